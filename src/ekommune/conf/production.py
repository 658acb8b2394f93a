"""Production: every secret from the environment, HTTPS only, DATABASE_URL required.

``ekommune check --deploy`` is clean with these settings (a test proves it).
"""

from django.core.exceptions import ImproperlyConfigured

from ekommune.conf.base import *  # noqa: F403
from ekommune.conf.base import database_settings
from ekommune.conf.env import env_bool, env_int, env_list, env_str

DEBUG = False
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 random characters in production.")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must name the host names the site answers to.")
DATABASES = {"default": database_settings(None)}

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
EKOMMUNE_TWO_FACTOR_REQUIRED = env_bool("EKOMMUNE_TWO_FACTOR_REQUIRED", True)
