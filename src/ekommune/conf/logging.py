"""Structured logging: JSON lines in production, readable lines in development.

Log events carry the request id, the municipality and the user id, never screened content,
national identity numbers or the secrets of URLs, and no value longer than 1,000 characters; a
traceback is plain text without local variables, in every renderer (ekommune.core.logging).
"""

from __future__ import annotations

from typing import Any

import structlog

from ekommune.core.logging import cap_values, exception_text, redact_identity_numbers


def shared_processors() -> list[Any]:
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        exception_text,  # plain text, cut: the console renderer never formats an exception itself
        cap_values,
        redact_identity_numbers,
    ]


def logging_config(*, fmt: str, level: str) -> dict[str, Any]:
    """A ``LOGGING`` dict that routes the standard library and structlog through one formatter."""
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if fmt == "json"
        # plain_traceback, never Rich's with local variables (a local of 1 MB took minutes to render)
        else structlog.dev.ConsoleRenderer(colors=False, exception_formatter=structlog.dev.plain_traceback)
    )
    pre_chain = shared_processors()
    structlog.configure(
        # filter_by_level first: an event below the level costs nothing more than this check.
        processors=[
            structlog.stdlib.filter_by_level,
            *pre_chain,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "structured": {
                "()": structlog.stdlib.ProcessorFormatter,
                "processors": [structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
                "foreign_pre_chain": pre_chain,
            }
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
        "root": {"handlers": ["console"], "level": level},
        # Django's own handlers (its console handler, mail to ADMINS) are taken off: every line of
        # Django's loggers goes through the one formatter above, with its hygiene.
        "loggers": {
            "django": {"handlers": [], "level": level, "propagate": True},
            "django.db.backends": {"level": "WARNING"},
            "django.server": {"handlers": [], "level": "INFO", "propagate": True},
        },
    }
