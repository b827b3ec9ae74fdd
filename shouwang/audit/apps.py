from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "shouwang.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from shouwang.audit.models import AuditEvent  # noqa: PLC0415
        from shouwang.audit.vocabulary import register_actions  # noqa: PLC0415

        register_actions(AuditEvent.Action)
