"""Follow-up pages. The parent-contact form lives on the child's profile (htmx)."""

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render

from shouwang.access.capabilities import Cap
from shouwang.access.chokepoints import access_child
from shouwang.access.policies import require
from shouwang.access.views import requires
from shouwang.cases import selectors, services
from shouwang.cases.forms import ContactLogForm
from shouwang.core.errors import ValidationFailed


@requires(Cap.LOG_CONTACT)
def contact_create(request: HttpRequest, public_id: str) -> HttpResponse:
    child = access_child(request.user, public_id)  # first: an outsider learns nothing
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    require(request.user, Cap.LOG_CONTACT, child)
    form = ContactLogForm(request.POST, parents=selectors.parents_of(child=child))
    saved = False
    if form.is_valid():
        try:
            services.contact_log_record(actor=request.user, child=child, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationFailed as exc:
            for field, messages in exc.field_errors.items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, str(message))
        else:
            saved = True
            form = ContactLogForm(parents=selectors.parents_of(child=child))
    return render(
        request,
        "cases/_contacts.html",
        {
            "child": child,
            "contact_form": form,
            "contacts": selectors.contact_list(child=child),
            "can_log_contact": True,
            "saved": saved,
        },
    )
