from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DuplicatesConfig(AppConfig):
    name = "shouwang.duplicates"
    label = "duplicates"
    verbose_name = _("Duplicate records")

    def ready(self) -> None:
        from shouwang.audit.vocabulary import register_actions  # noqa: PLC0415
        from shouwang.duplicates.vocabulary import DuplicateAction  # noqa: PLC0415

        register_actions(DuplicateAction)
