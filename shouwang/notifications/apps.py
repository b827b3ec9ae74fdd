from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "shouwang.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from shouwang.notifications import tasks, worker  # noqa: F401, PLC0415  (the task)

        worker.register_job("deliver", lambda now: worker.deliver(now), order=90)  # noqa: PLW0108
