"""Kinds of notification: how a payload becomes a title, a body and a link.

An app that sends notifications registers a renderer for each of its kinds (in its
``AppConfig.ready``). Renderers run in the reader's active language, so the stored payload
carries codes and parameters only (no rendered text, no names of people to protect).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class RenderedMessage:
    title: str
    body: str
    url: str  # a path within the site, or ""


Renderer = Callable[[dict[str, Any]], RenderedMessage]
_RENDERERS: dict[str, Renderer] = {}


def register_kind(kind: str, renderer: Renderer) -> None:
    _RENDERERS[kind] = renderer


def is_registered(kind: str) -> bool:
    return kind in _RENDERERS


def render(notification: Any) -> RenderedMessage:
    renderer = _RENDERERS.get(notification.kind)
    if renderer is None:
        return RenderedMessage(title=_("Notification"), body="", url="")
    return renderer(notification.payload)
