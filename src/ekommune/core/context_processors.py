"""Template context: the current municipality and the staff user's permissions there."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ekommune.core.selectors import staff_permissions


def municipality(request: HttpRequest) -> dict[str, Any]:
    current = getattr(request, "municipality", None)
    permissions: frozenset[str] = frozenset()
    user = getattr(request, "user", None)
    if current is not None and user is not None and user.is_authenticated:
        permissions = frozenset(str(p) for p in staff_permissions(user=user, municipality=current))
    return {"municipality": current, "staff_permissions": permissions}
