"""Settings for the test suite: DATABASE_URL or the embedded default, fast hashing, no outside calls."""

from ekommune.conf.base import *  # noqa: F403
from ekommune.conf.base import mailers_config
from ekommune.conf.env import env_str
from ekommune.conf.logging import logging_config

DEBUG = False
SECRET_KEY = "test-only-key-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = mailers_config("django.core.mail.backends.locmem.EmailBackend")
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
LOGGING = logging_config(fmt="json", level=env_str("EKOMMUNE_LOG_LEVEL", "WARNING"))
# Tests send many requests from one address inside one transaction: the limits are off unless a
# test sets them (the settings fixture, or EKOMMUNE_RATE_LIMIT_<SCOPE> for a server it starts).
EKOMMUNE_RATE_LIMITS = {
    scope: env_str(f"EKOMMUNE_RATE_LIMIT_{scope.upper()}", "off")
    for scope in RATE_LIMIT_DEFAULTS  # noqa: F405
}
# Tests travel in time with logged-in clients: the staff session limits are off unless a test sets them.
EKOMMUNE_STAFF_IDLE_SECONDS = 10 * 365 * 24 * 60 * 60
EKOMMUNE_STAFF_SESSION_SECONDS = 10 * 365 * 24 * 60 * 60
