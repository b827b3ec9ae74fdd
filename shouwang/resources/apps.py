from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "shouwang.resources"
    label = "resources"
    verbose_name = _("Volunteers, funds and material")

    def ready(self) -> None:
        from shouwang.audit.vocabulary import register_actions  # noqa: PLC0415
        from shouwang.resources import policies  # noqa: F401, PLC0415  (registers scope rules)
        from shouwang.resources.audit_actions import ResourceAction  # noqa: PLC0415

        register_actions(ResourceAction)
