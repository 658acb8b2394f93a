from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicJournalConfig(AppConfig):
    name = "ekommune.publicjournal"
    label = "publicjournal"
    verbose_name = _("Offentlig journal")
