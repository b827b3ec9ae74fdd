"""Recording a person's decision on what the rules suggested."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from shouwang.access.capabilities import Cap
from shouwang.access.chokepoints import access_child
from shouwang.access.views import requires
from shouwang.core.errors import ValidationFailed
from shouwang.rules import services
from shouwang.rules.models import Classification
from shouwang.rules.selectors import classifications_for


@requires(Cap.DECIDE_CLASSIFICATION)
def classification_decide(request: HttpRequest, public_id: str, pk: int) -> HttpResponse:
    child = access_child(request.user, public_id)  # first: an outsider learns nothing
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    visible = {c.pk: c for c in classifications_for(viewer=request.user, child=child)}
    classification: Classification | None = visible.get(int(pk))
    if classification is None:
        raise Http404
    try:
        services.classification_decide(
            actor=request.user,  # type: ignore[arg-type]
            classification=classification,
            decision=request.POST.get("decision", ""),
            reason=request.POST.get("reason", ""),
            overridden_to=request.POST.get("overridden_to", ""),
        )
    except ValidationFailed as exc:
        for field_messages in exc.field_errors.values():
            for message in field_messages:
                messages.error(request, str(message))
    else:
        messages.success(request, _("Your decision has been recorded."))
    return redirect(reverse("registry:child_detail", args=[child.public_id]) + "#rules")
