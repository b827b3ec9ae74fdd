from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "shouwang.insights"
    label = "insights"
    verbose_name = _("Insights")

    def ready(self) -> None:
        from shouwang.audit.vocabulary import register_actions  # noqa: PLC0415
        from shouwang.insights.audit_actions import InsightsAction  # noqa: PLC0415
        from shouwang.insights.exports_audit import ExportAction  # noqa: PLC0415

        register_actions(InsightsAction)
        register_actions(ExportAction)
