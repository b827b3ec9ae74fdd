from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FucConfig(AppConfig):
    name = "shouwang.fuc"
    label = "fuc"
    verbose_name = _("De facto unsupported children")

    def ready(self) -> None:
        from shouwang.fuc import policies  # noqa: F401, PLC0415  (registers scope rules)
