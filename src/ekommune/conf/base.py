"""Settings shared by every environment. Everything that differs comes from the environment.

Environment variables (docs/operations.md lists them with examples):
DATABASE_URL, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DJANGO_DEBUG, EKOMMUNE_STORAGE,
EKOMMUNE_MEDIA_ROOT, EKOMMUNE_STATIC_ROOT, EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, DEFAULT_FROM_EMAIL, EKOMMUNE_LOG_FORMAT, EKOMMUNE_LOG_LEVEL,
EKOMMUNE_LOGIN_FAILURE_LIMIT, EKOMMUNE_LOGIN_COOLOFF_MINUTES.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from ekommune.conf.embedded_db import PROJECT_ROOT, embedded_database_url
from ekommune.conf.env import env_bool, env_int, env_list, env_str
from ekommune.conf.logging import logging_config

PACKAGE_DIR = Path(__file__).resolve().parents[1]

# Safe by default: production values unless an environment says otherwise.
DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])


def database_settings(default_url: str | None) -> dict[str, object]:
    """The ``default`` database from DATABASE_URL; ``default_url`` where it is unset (None: required)."""
    url = env_str("DATABASE_URL", default_url)
    config = dj_database_url.parse(
        url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60), conn_health_checks=True
    )
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL: ekommune runs on PostgreSQL only.")
    config["ATOMIC_REQUESTS"] = False
    return dict(config)


DATABASES = {"default": database_settings(embedded_database_url())}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "axes",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ekommune.core",
    "ekommune.archive",
    "ekommune.identity",
    "ekommune.publicjournal",
    "ekommune.portal",
    "ekommune.politics",
    "ekommune.deposit",
    "ekommune.security",
    "ekommune.invoices",
    "ekommune.standards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "ekommune.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ekommune.core.middleware.RequestLogMiddleware",
    "ekommune.core.middleware.MunicipalityMiddleware",
    "ekommune.core.middleware.ReadLogMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ekommune.core.middleware.StaffSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "ekommune.core.middleware.ApplicationErrorMiddleware",
]

ROOT_URLCONF = "ekommune.urls"
WSGI_APPLICATION = "ekommune.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ekommune.core.context_processors.municipality",
                "ekommune.identity.context_processors.citizen",
            ],
        },
    },
]

# ------------------------------------------------------------------ users and login
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out user before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:staff-home"
LOGOUT_REDIRECT_URL = "core:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AXES_FAILURE_LIMIT = env_int("EKOMMUNE_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("EKOMMUNE_LOGIN_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/lockout.html"
AXES_VERBOSE = False

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 8
# Staff sessions (decision 0227): ended after this long without a request, and this long after
# login whatever happens; two-factor login (TOTP) is required of administrators, records managers
# and operators when EKOMMUNE_TWO_FACTOR_REQUIRED is on (production's default; the demo and tests
# turn it on where they show or test it).
EKOMMUNE_STAFF_IDLE_SECONDS = env_int("EKOMMUNE_STAFF_IDLE_SECONDS", 30 * 60)
EKOMMUNE_STAFF_SESSION_SECONDS = env_int("EKOMMUNE_STAFF_SESSION_SECONDS", SESSION_COOKIE_AGE)
EKOMMUNE_TWO_FACTOR_REQUIRED = env_bool("EKOMMUNE_TWO_FACTOR_REQUIRED", False)
OTP_TOTP_ISSUER = "ekommune"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# ------------------------------------------------------------------ i18n
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norsk bokmål")), ("nn", _("Norsk nynorsk")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

# ------------------------------------------------------------------ files
STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(env_str("EKOMMUNE_STATIC_ROOT", str(PROJECT_ROOT / "var" / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("EKOMMUNE_MEDIA_ROOT", str(PROJECT_ROOT / "var" / "media")))
STORAGE_BACKEND = env_str("EKOMMUNE_STORAGE", "filesystem")
if STORAGE_BACKEND == "filesystem":
    _default_storage: dict[str, object] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif STORAGE_BACKEND == "s3":
    # Needs the optional extra: pip install 'ekommune[s3]'. django-storages reads AWS_* variables.
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("EKOMMUNE_S3_BUCKET"),
            "endpoint_url": env_str("EKOMMUNE_S3_ENDPOINT_URL", "") or None,
            "default_acl": None,
            "querystring_auth": True,
        },
    }
else:
    raise ImproperlyConfigured(f"EKOMMUNE_STORAGE must be 'filesystem' or 's3', not {STORAGE_BACKEND!r}.")
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o640
# Chunked uploads wait here until their last chunk arrives (a folder shared by the web processes).
EKOMMUNE_UPLOAD_DIR = Path(env_str("EKOMMUNE_UPLOAD_DIR", str(PROJECT_ROOT / "var" / "uploads")))

# ------------------------------------------------------------------ e-mail
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def mailers_config(backend: str) -> dict[str, dict[str, object]]:
    """Django 6.1's MAILERS: the SMTP server from EMAIL_* variables, or another backend as it is."""
    if backend != SMTP_BACKEND:
        return {"default": {"BACKEND": backend}}
    return {
        "default": {
            "BACKEND": SMTP_BACKEND,
            "OPTIONS": {
                "host": env_str("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 25),
                "username": env_str("EMAIL_HOST_USER", ""),
                "password": env_str("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                "timeout": env_int("EMAIL_TIMEOUT", 20),
            },
        }
    }


MAILERS = mailers_config(env_str("EMAIL_BACKEND", SMTP_BACKEND))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ekommune <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# ------------------------------------------------------------------ background tasks
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# Periodic work, enqueued by ``ekommune schedule`` (run exactly one per installation; ``make run``
# starts it): (task path, every N seconds, keyword arguments). docs/operations.md.
EKOMMUNE_SCHEDULE: list[tuple[str, int, dict[str, object]]] = [
    # the public journal: new and changed entries every five minutes, everything (screening
    # changes of cases and documents included) once a night
    ("ekommune.publicjournal.tasks.publication_refresh_all", 300, {"since_minutes": 15}),
    ("ekommune.publicjournal.tasks.publication_refresh_all", 86_400, {}),
    ("ekommune.core.tasks.audit_chains_verify", 86_400, {}),
    ("ekommune.deposit.tasks.fixity_verify", 86_400, {"sample": 10_000}),
    ("ekommune.core.tasks.rate_counters_purge", 3_600, {}),
    # personal-data breaches: reminders at 24 and 48 hours of the 72-hour clock
    ("ekommune.security.tasks.breach_reminders_send", 900, {}),
    # risk assessments: the yearly review, a month before and when due
    ("ekommune.security.tasks.review_reminders_send", 86_400, {}),
    # e-invoices: reminders to attester or approver three days before the due date and on it
    ("ekommune.invoices.tasks.invoice_reminders_send", 3_600, {}),
]
# How long a reader or a proxy may keep the public journal's feeds, sitemaps and JSON without
# asking again: the interval of the publication above (decision 0181).
EKOMMUNE_PUBLIC_MAX_AGE = env_int("EKOMMUNE_PUBLIC_MAX_AGE", 300)

# ------------------------------------------------------------------ rate limits
# Per client address (per user on the API when logged in), counted in PostgreSQL so that every
# worker shares them (core.ratelimits, decision 0170). "<count>/<s|m|h|d>" or "off"; each can be
# set with EKOMMUNE_RATE_LIMIT_<SCOPE>, e.g. EKOMMUNE_RATE_LIMIT_ACCESS_REQUEST=5/h.
RATE_LIMIT_DEFAULTS = {
    "access_request": "10/h",
    "deviation_report": "10/h",  # deviations reported through the public form (each is archived)  # innsynskrav sent: each registers an entry and sends an e-mail
    "search": "120/m",  # searches of the public journal, the political pages and the services
    "login": "30/m",  # citizen logins started (each asks ID-porten)
    "public_api": "600/m",  # the public JSON APIs (public journal, OParl)
    "api_anonymous": "120/m",  # the Noark 5 API before login (token endpoint, discovery)
    "api_user": "30000/m",  # the Noark 5 API per logged-in user (integrations post in bulk)
}
EKOMMUNE_RATE_LIMITS = {
    scope: env_str(f"EKOMMUNE_RATE_LIMIT_{scope.upper()}", default)
    for scope, default in RATE_LIMIT_DEFAULTS.items()
}
# Behind a reverse proxy every request comes from the proxy: name the header that carries the
# client's address (as Django's META key, e.g. HTTP_X_FORWARDED_FOR); empty = REMOTE_ADDR.
EKOMMUNE_CLIENT_IP_HEADER = env_str("EKOMMUNE_CLIENT_IP_HEADER", "")

# ------------------------------------------------------------------ API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "ekommune.core.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["ekommune.core.ratelimits.ApiRateThrottle"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

# ------------------------------------------------------------------ tenancy
# The path prefix fallback (``/k/<slug>/...``) reaches a municipality when no host name matches,
# as on the embedded default on localhost. See docs/decisions/0003-tenancy.md.
EKOMMUNE_TENANT_PATH_PREFIX = "k"

# ------------------------------------------------------------------ logging
LOGGING = logging_config(
    fmt=env_str("EKOMMUNE_LOG_FORMAT", "json"),
    level=env_str("EKOMMUNE_LOG_LEVEL", "INFO"),
)

# ------------------------------------------------------------------ security headers
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A strict Content Security Policy on every answer (Django's own middleware, decision 0228): only
# the site's own scripts, styles and images; the one inline style (the municipality's colours in
# base.html) carries the request's nonce; no frames, no plug-ins. No form-action: the logout and
# login forms are answered with a redirect to the municipality's identity provider, configured at
# run time, and Chromium applies form-action to that redirect too.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Powerful browser features the site never uses are switched off (core.middleware.SecurityHeadersMiddleware).
# Read logging (decision 0226): a request's reads are committed to the audit chain before its answer
# leaves; off: without waiting for the disk flush (only a crash of PostgreSQL itself can lose the
# last fraction of a second of read lines), on: the commit waits for it.
EKOMMUNE_READ_LOG_SYNCHRONOUS_COMMIT = env_bool("EKOMMUNE_READ_LOG_SYNCHRONOUS_COMMIT", False)
EKOMMUNE_PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("EKOMMUNE_BEHIND_TLS_PROXY", False) else None
)
