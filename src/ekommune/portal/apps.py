from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "ekommune.portal"
    label = "portal"
    verbose_name = _("Tjenestetorg (innbyggerportal)")

    def ready(self) -> None:
        from ekommune.portal import checks  # noqa: F401  (registers the system checks)
