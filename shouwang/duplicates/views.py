"""Review queue pages: candidates in the viewer's reach, a pair side by side, confirm or
reject with a reason, merge a confirmed pair, unmerge."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shouwang.access.capabilities import Cap
from shouwang.access.views import requires
from shouwang.core.errors import ValidationFailed
from shouwang.duplicates import selectors, services
from shouwang.duplicates.models import DuplicatePair
from shouwang.registry.selectors import child_profile

FIELDS = [
    ("name", gettext_lazy("Name")),
    ("name_pinyin", gettext_lazy("Pinyin")),
    ("sex", gettext_lazy("Sex")),
    ("birth_date", gettext_lazy("Date of birth")),
    ("id_number", gettext_lazy("Resident ID number")),
    ("village", gettext_lazy("Village")),
]


class DecideForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


@requires(Cap.REVIEW_DUPLICATES)
def queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", DuplicatePair.Status.CANDIDATE)
    if status not in DuplicatePair.Status.values:
        status = DuplicatePair.Status.CANDIDATE
    pairs = selectors.pair_list(viewer=request.user, status=status)[:200]
    return render(
        request,
        "duplicates/queue.html",
        {"pairs": pairs, "status": status, "statuses": DuplicatePair.Status.choices},
    )


def _side(child: object) -> list[object]:
    child = child_profile(child)  # type: ignore[arg-type]
    values = []
    for key, _label in FIELDS:
        if key == "sex":
            value: object = child.get_sex_display()
        elif key == "village":
            value = child.village
        else:
            value = getattr(child, key)
        values.append(value)
    parents = {r.relation: r.person.name for r in child.relations.all()}
    return [*values, parents.get("father", ""), parents.get("mother", "")]


@requires(Cap.REVIEW_DUPLICATES)
def pair_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pair = selectors.access_pair(request.user, pk)
    labels = [label for _k, label in FIELDS] + [_("Father"), _("Mother")]
    a, b = _side(pair.child_a), _side(pair.child_b)
    rows = [(label, x, y, x == y) for label, x, y in zip(labels, a, b, strict=True)]
    return render(
        request,
        "duplicates/pair.html",
        {
            "pair": pair,
            "rows": rows,
            "form": DecideForm(),
            "merge": selectors.live_merge(pair),
        },
    )


@requires(Cap.REVIEW_DUPLICATES)
@require_POST
def pair_decide(request: HttpRequest, pk: int) -> HttpResponse:
    pair = selectors.access_pair(request.user, pk)
    form = DecideForm(request.POST)
    form.is_valid()
    try:
        services.pair_decide(
            actor=request.user,  # type: ignore[arg-type]
            pair=pair,
            confirm=request.POST.get("decision") == "confirm",
            reason=form.cleaned_data.get("reason", ""),
        )
    except ValidationFailed as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Your decision has been saved."))
    return redirect("duplicates:pair", pk=pair.pk)


@requires(Cap.REVIEW_DUPLICATES)
@require_POST
def pair_merge(request: HttpRequest, pk: int) -> HttpResponse:
    pair = selectors.access_pair(request.user, pk)
    keep = pair.child_a if request.POST.get("keep") == "a" else pair.child_b
    try:
        services.child_merge(actor=request.user, pair=pair, survivor=keep)  # type: ignore[arg-type]
    except ValidationFailed as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request, _("The records have been merged into %(name)s.") % {"name": keep.name}
        )
    return redirect("duplicates:pair", pk=pair.pk)


@requires(Cap.REVIEW_DUPLICATES)
@require_POST
def pair_unmerge(request: HttpRequest, pk: int) -> HttpResponse:
    pair = selectors.access_pair(request.user, pk)
    merge = selectors.live_merge(pair)
    if merge is None:
        messages.error(request, _("These records are not merged."))
    else:
        try:
            services.child_unmerge(actor=request.user, merge=merge)  # type: ignore[arg-type]
        except ValidationFailed as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("The merge has been reversed."))
    return redirect("duplicates:pair", pk=pair.pk)
