from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "shouwang.imports"
    label = "imports"
    verbose_name = _("Census import and export")

    def ready(self) -> None:
        from shouwang.audit.vocabulary import register_actions  # noqa: PLC0415
        from shouwang.imports.vocabulary import ImportAction  # noqa: PLC0415

        register_actions(ImportAction)

        from shouwang.imports import services  # noqa: PLC0415
        from shouwang.notifications import worker  # noqa: PLC0415

        # Every pass notes that a worker runs: a large upload's page says whether its
        # check or import will start soon (``services.worker_seen_recently``).
        worker.register_job("census-heartbeat", services.worker_beat, order=5)
