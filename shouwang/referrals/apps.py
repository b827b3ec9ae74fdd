from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "shouwang.referrals"
    label = "referrals"
    verbose_name = _("Referrals")

    def ready(self) -> None:
        from shouwang.audit.vocabulary import register_actions  # noqa: PLC0415
        from shouwang.notifications import worker  # noqa: PLC0415
        from shouwang.referrals import (  # noqa: PLC0415
            notices,
            policies,  # noqa: F401  (registers the scope rule and the referral route)
            services,
        )
        from shouwang.referrals.vocabulary import ReferralAction  # noqa: PLC0415

        register_actions(ReferralAction)
        notices.register()
        worker.register_job(
            "referrals_overdue",
            lambda now: services.referrals_flag_overdue(now),  # noqa: PLW0108
            order=20,
        )
