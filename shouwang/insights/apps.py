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
        from shouwang.insights.services import stats_refresh_due  # noqa: PLC0415
        from shouwang.notifications import worker  # noqa: PLC0415

        worker.register_job("insights", stats_refresh_due, order=70)
