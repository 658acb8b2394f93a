from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ekommune.core"
    label = "core"
    verbose_name = _("Kjerne")

    def ready(self) -> None:
        from ekommune.core import receivers  # noqa: F401  (login audit)
