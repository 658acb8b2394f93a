from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliticsConfig(AppConfig):
    name = "ekommune.politics"
    label = "politics"
    verbose_name = _("Politikk og møter")
