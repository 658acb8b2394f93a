from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DepositConfig(AppConfig):
    name = "ekommune.deposit"
    label = "deposit"
    verbose_name = _("Deponering og arkivuttrekk")
