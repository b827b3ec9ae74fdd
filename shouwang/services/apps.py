from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "shouwang.services"
    label = "services"
    verbose_name = _("Services and activities")

    def ready(self) -> None:
        from shouwang.audit.vocabulary import register_actions  # noqa: PLC0415
        from shouwang.services import policies  # noqa: F401, PLC0415  (registers scope rules)
        from shouwang.services.audit_actions import ServiceAction  # noqa: PLC0415

        register_actions(ServiceAction)
