"""One error hierarchy for the whole platform.

Services raise these; each interface (pages, API, CLI) maps them once: the API to an HTTP 4xx
with ``{"code": ..., "message": ..., "field": ...}``, pages to a message beside the field, the
CLI to a message and a non-zero exit code. Tests assert ``code``, not message text.
"""

from __future__ import annotations


class ApplicationError(Exception):
    """A request the platform refuses, with a stable machine-readable ``code``."""

    code = "invalid"
    http_status = 400

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.field = field

    def as_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "message": self.message, "field": self.field}


class ValidationError(ApplicationError):
    code = "invalid"
    http_status = 400


class PermissionDeniedError(ApplicationError):
    code = "permission_denied"
    http_status = 403


class NotFoundError(ApplicationError):
    code = "not_found"
    http_status = 404


class ConflictError(ApplicationError):
    code = "conflict"
    http_status = 409
