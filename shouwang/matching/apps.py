from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "shouwang.matching"
    label = "matching"
    verbose_name = _("Matching needs to helpers")

    def ready(self) -> None:
        from shouwang.audit.vocabulary import register_actions  # noqa: PLC0415
        from shouwang.matching import policies  # noqa: F401, PLC0415  (registers scope rules)
        from shouwang.matching.audit_actions import MatchingAction  # noqa: PLC0415

        register_actions(MatchingAction)
