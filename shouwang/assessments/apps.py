from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "shouwang.assessments"
    label = "assessments"
    verbose_name = _("Assessments")

    def ready(self) -> None:
        from shouwang.assessments import policies  # noqa: F401, PLC0415  (scope rules)
        from shouwang.assessments.models import AuditAction  # noqa: PLC0415
        from shouwang.audit.vocabulary import register_actions  # noqa: PLC0415

        register_actions(AuditAction)
