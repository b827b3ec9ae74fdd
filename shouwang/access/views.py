"""How a view declares its access rule. Default deny: ``tests/test_url_access.py`` walks every
URL pattern and fails on a view that carries none of these marks.

- ``@public``: no login (login page, language switch, health check).
- ``@login_only``: any signed-in user, no protected data (home, own profile).
- ``@requires(cap)``: signed in and holding ``cap`` somewhere; records are then reached
  only through the ``access_<entity>`` choke points, whose ``NotFound`` becomes a 404.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from shouwang.access.capabilities import Cap
from shouwang.access.policies import can
from shouwang.core.errors import NotFound, PermissionDenied

ACCESS_ATTR = "shouwang_access"

V = TypeVar("V", bound=Callable[..., HttpResponse])


def _mark(view: Callable[..., Any], rule: str) -> None:
    setattr(view, ACCESS_ATTR, rule)


def public(view: V) -> V:
    _mark(view, "public")
    return view


def login_only(view: V) -> V:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return _translate_errors(view, request, *args, **kwargs)

    _mark(wrapper, "login")
    return wrapper  # type: ignore[return-value]


def requires(cap: Cap) -> Callable[[V], V]:
    def decorator(view: V) -> V:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not can(request.user, cap):
                raise DjangoPermissionDenied
            return _translate_errors(view, request, *args, **kwargs)

        _mark(wrapper, f"capability:{cap}")
        return wrapper  # type: ignore[return-value]

    return decorator


def _translate_errors(
    view: Callable[..., HttpResponse], request: HttpRequest, *args: Any, **kwargs: Any
) -> HttpResponse:
    try:
        return view(request, *args, **kwargs)
    except NotFound as exc:
        raise Http404 from exc
    except PermissionDenied as exc:
        raise DjangoPermissionDenied from exc
