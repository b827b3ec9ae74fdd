from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "shouwang.registry"
    label = "registry"
    verbose_name = _("Child registry")

    def ready(self) -> None:
        from shouwang.registry import policies  # noqa: F401, PLC0415  (registers scope rules)
