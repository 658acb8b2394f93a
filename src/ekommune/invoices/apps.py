from django.apps import AppConfig


class InvoicesConfig(AppConfig):
    name = "ekommune.invoices"
    label = "invoices"
    verbose_name = "E-invoices (EHF)"
