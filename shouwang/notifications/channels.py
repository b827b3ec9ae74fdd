"""Delivery channels. A channel takes one notification and delivers it, or raises
``DeliveryError`` (retry later) or ``PermanentDeliveryError`` (retrying cannot help).

In-app and e-mail exist now. An SMS or WeChat gateway is one more class with a ``send``
method, registered with ``register_channel`` and added to ``Notification.Channel``
(docs/notifications.md). The platform makes no call out of the intranet except through a
configured gateway: e-mail goes through Django's e-mail backend (console in development,
locmem in tests, the county's SMTP relay in production).
"""

from typing import Any, Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation


class DeliveryError(Exception):
    pass


class PermanentDeliveryError(DeliveryError):
    pass


class Channel(Protocol):
    def send(self, notification: Any) -> None: ...


class InAppChannel:
    """The row itself is the message: delivering it means it is now on the recipient's list."""

    def send(self, notification: Any) -> None:
        return None


class EmailChannel:
    def send(self, notification: Any) -> None:
        address = notification.recipient.email
        if not address:
            raise PermanentDeliveryError("the recipient has no e-mail address")
        with translation.override(settings.LANGUAGE_CODE):
            message = notification.message
            base = getattr(settings, "SHOUWANG_SITE_URL", "").rstrip("/")
            link = f"\n\n{base}{message.url}" if message.url and base else ""
            try:
                send_mail(
                    subject=message.title,
                    message=f"{message.body}{link}",
                    from_email=None,
                    recipient_list=[address],
                )
            except OSError as exc:  # SMTP refused, connection failed: try again later
                raise DeliveryError(str(exc)) from exc


_CHANNELS: dict[str, Channel] = {"in_app": InAppChannel(), "email": EmailChannel()}


def register_channel(name: str, channel: Channel) -> None:
    _CHANNELS[name] = channel


def channel_for(name: str) -> Channel:
    try:
        return _CHANNELS[name]
    except KeyError:
        raise PermanentDeliveryError(f"no channel {name!r} is configured") from None
