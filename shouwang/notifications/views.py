"""Notification pages: the recipient's own list (in-app channel), and the failures page
for administrators."""

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render

from shouwang.access.capabilities import Cap
from shouwang.access.views import login_only, requires
from shouwang.notifications import selectors, services

PAGE = 100


@login_only
def inbox(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.inbox(user=request.user)[:PAGE])
    return render(
        request,
        "notifications/inbox.html",
        {
            "rows": rows,
            "unread": selectors.unread_count(user=request.user),
        },
    )


@login_only
def mark_all_read(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.mark_read(user=request.user)  # type: ignore[arg-type]
    return redirect("notifications:inbox")


@requires(Cap.VIEW_NOTIFICATION_FAILURES)
def failures(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.failures(viewer=request.user)[:PAGE])
    return render(request, "notifications/failures.html", {"rows": rows})
