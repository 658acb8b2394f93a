"""Development and the run command's demo: DEBUG on, embedded database by default."""

from ekommune.conf.base import *  # noqa: F403
from ekommune.conf.base import mailers_config
from ekommune.conf.env import env_bool, env_list, env_str
from ekommune.conf.logging import logging_config

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", ".localhost"])
# E-mail (receipts, notices, summons) goes to files in var/mail/ unless EMAIL_BACKEND says otherwise:
# readable by the developer, and the demo's summons do not flood the terminal.
_FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
MAILERS = mailers_config(env_str("EMAIL_BACKEND", _FILE_BACKEND))
if MAILERS["default"]["BACKEND"] == _FILE_BACKEND:
    MAILERS["default"]["OPTIONS"] = {
        "file_path": env_str("EKOMMUNE_MAIL_DIR", str(PROJECT_ROOT / "var" / "mail"))  # noqa: F405
    }
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
LOGGING = logging_config(
    fmt=env_str("EKOMMUNE_LOG_FORMAT", "console"), level=env_str("EKOMMUNE_LOG_LEVEL", "INFO")
)
