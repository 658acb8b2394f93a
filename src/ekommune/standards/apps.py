from django.apps import AppConfig


class StandardsConfig(AppConfig):
    """Installed only for its command, ``ekommune standards fetch|status``; it has no models."""

    name = "ekommune.standards"
    label = "standards"
    verbose_name = "Standards files"
