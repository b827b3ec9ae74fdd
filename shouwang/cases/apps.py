from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "shouwang.cases"
    label = "cases"
    verbose_name = _("Cases and follow-up")

    def ready(self) -> None:
        from shouwang.audit.vocabulary import register_actions  # noqa: PLC0415
        from shouwang.cases import policies  # noqa: F401, PLC0415  (registers scope rules)
        from shouwang.cases.audit_actions import CaseAction  # noqa: PLC0415

        register_actions(CaseAction)
