"""Pages with no protected data: home, health check, and the wrapped auth/i18n views."""

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.i18n import set_language as django_set_language

from shouwang.access.capabilities import Cap
from shouwang.access.policies import can
from shouwang.access.views import login_only, public
from shouwang.registry.selectors import viewer_scope_label


@login_only
def home(request: HttpRequest) -> HttpResponse:
    """Each role's first job of the day (DESIGN.md §2): the supervisor's town board, the
    child director's worklist, the service provider's referral inbox, else the children
    she can see."""
    if can(request.user, Cap.VIEW_TOWN_BOARD):
        return redirect("cases:board")
    if can(request.user, Cap.MANAGE_CASE):
        return redirect("cases:worklist")
    if can(request.user, Cap.RESPOND_REFERRAL):
        return redirect("referrals:inbox")
    if can(request.user, Cap.VIEW_CHILD):
        return redirect("registry:child_list")
    return render(request, "web/home.html", {"grants": viewer_scope_label(request.user)})


@public
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


login = public(auth_views.LoginView.as_view(redirect_authenticated_user=True))
logout = public(auth_views.LogoutView.as_view())
set_language = public(django_set_language)
