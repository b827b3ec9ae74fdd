from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafeguardingConfig(AppConfig):
    name = "shouwang.safeguarding"
    label = "safeguarding"
    verbose_name = _("Safeguarding")

    def ready(self) -> None:
        from shouwang.audit.vocabulary import register_actions  # noqa: PLC0415
        from shouwang.notifications import worker  # noqa: PLC0415
        from shouwang.safeguarding import (  # noqa: PLC0415
            notices,
            policies,  # noqa: F401  (registers the scope rule)
            services,
        )
        from shouwang.safeguarding.vocabulary import SafeguardingAction  # noqa: PLC0415

        register_actions(SafeguardingAction)
        notices.register()
        worker.register_job("escalate", lambda now: services.escalate_due(now), order=10)  # noqa: PLW0108
