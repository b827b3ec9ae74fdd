from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "shouwang.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from shouwang.notifications import services, worker  # noqa: PLC0415

        worker.register_job("deliver", lambda now: services.deliver_due(now), order=90)  # noqa: PLW0108
