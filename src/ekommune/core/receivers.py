"""Framework events the audit log must see (successful staff logins).

Thin: the receiver calls a service; no rule lives here.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from ekommune.core.models import User
from ekommune.core.services import staff_login_record


@receiver(user_logged_in, dispatch_uid="ekommune.core.audit_login")
def audit_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    municipality = getattr(request, "municipality", None) if request is not None else None
    ip_address = request.META.get("REMOTE_ADDR") if request is not None else None
    staff_login_record(user=user, municipality=municipality, ip_address=ip_address)
