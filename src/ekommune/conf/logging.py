"""Structured logging: JSON lines in production, readable lines in development.

Log events carry the request id, the municipality and the user id, never screened content
or national identity numbers (see ekommune.core.logging for the redaction step).
"""

from __future__ import annotations

from typing import Any

import structlog

from ekommune.core.logging import redact_identity_numbers


def shared_processors() -> list[Any]:
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        redact_identity_numbers,
    ]


def logging_config(*, fmt: str, level: str) -> dict[str, Any]:
    """A ``LOGGING`` dict that routes the standard library and structlog through one formatter."""
    renderer: Any = (
        structlog.processors.JSONRenderer() if fmt == "json" else structlog.dev.ConsoleRenderer(colors=False)
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
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            "django.server": {"level": "INFO"},
        },
    }
