"""Staff accounts (issue 22 §5, decision 0227): two-factor login with TOTP (django-otp), recovery
codes, and "log out all my sessions". Services of the kernel: each write is one transaction and
leaves an event in the installation's audit chain (a user may work for several municipalities).

Who must use it: operators (``is_superuser``), administrators and records managers; when
``EKOMMUNE_TWO_FACTOR_REQUIRED`` is on, ``core.middleware.StaffSessionMiddleware`` sends them to
set it up, or to give their code, before any other staff page. Anyone else may turn it on; once on,
the login and the API's password grant ask every user who has it for the code.
"""

from __future__ import annotations

import secrets

import segno
from django.db import transaction
from django.db.models import F
from django_otp import devices_for_user, match_token, user_has_device
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ekommune.core.errors import ValidationError
from ekommune.core.models import ApiToken, Role, StaffMembership, User

TWO_FACTOR_ROLES = frozenset({Role.ADMINISTRATOR, Role.RECORDS_MANAGER})
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud, typed by hand


def two_factor_required(*, user: User) -> bool:
    """Operators, administrators and records managers (in any municipality) must log in with two factors."""
    return (
        bool(user.is_superuser)
        or StaffMembership.objects.filter(user=user, role__in=TWO_FACTOR_ROLES).exists()
    )


def two_factor_enabled(*, user: User) -> bool:
    """The user has a confirmed authenticator app (TOTP)."""
    return bool(user_has_device(user)) and TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def totp_setup_start(*, user: User) -> TOTPDevice:
    """A new, unconfirmed TOTP key for the user's app (the earlier unconfirmed one is dropped);
    it counts only once a code from the app confirms it (``totp_setup_confirm``)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name="app", confirmed=False)


def totp_pending(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def totp_setup_confirm(*, user: User, token: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending key with a code from the app: it replaces any earlier app, and a new
    set of recovery codes is made (shown once). A wrong code is ``invalid_token``."""
    from ekommune.core.services import audit_event_record

    token = token.strip().replace(" ", "")
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-pk").first()
        )
        if device is None:
            raise ValidationError("Start oppsettet på nytt.", code="no_pending_device", field="token")
        if not token or not device.verify_token(token):
            raise ValidationError(
                "Koden stemmer ikke. Skriv inn koden appen viser nå.", code="invalid_token", field="token"
            )
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _recovery_codes_replace(user)
        audit_event_record(
            actor=user,
            municipality=None,
            action="auth.two_factor.enable",
            object_type="user",
            object_id=user.pk,
        )
    return device, codes


def recovery_codes_renew(*, user: User) -> list[str]:
    """A new set of recovery codes (the old ones stop working); only for a user with an app."""
    from ekommune.core.services import audit_event_record

    if not two_factor_enabled(user=user):
        raise ValidationError("Sett opp tofaktor først.", code="two_factor_not_enabled")
    with transaction.atomic():
        codes = _recovery_codes_replace(user)
        audit_event_record(
            actor=user,
            municipality=None,
            action="auth.two_factor.recovery_codes",
            object_type="user",
            object_id=user.pk,
        )
    return codes


def recovery_codes_left(*, user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _recovery_codes_replace(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="reservekoder", confirmed=True)
    codes = [
        "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODE_COUNT)
    ]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def two_factor_check(*, user: User, token: str) -> Device | None:
    """The device (the app, or the recovery codes: a recovery code works once) that accepts
    ``token``, or None. Throttled by django-otp after failures."""
    token = token.strip().replace(" ", "")
    if not token:
        return None
    return match_token(user, token)


def two_factor_disable(*, actor: User, user: User) -> None:
    """Remove a user's app and recovery codes (the user, or an operator for a user who lost the
    phone and the codes); the user sets it up again at next login where it is required."""
    from ekommune.core.services import _require_operator, audit_event_record

    if actor.pk != user.pk:
        _require_operator(actor)
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=None):
            device.delete()
        audit_event_record(
            actor=actor,
            municipality=None,
            action="auth.two_factor.disable",
            object_type="user",
            object_id=user.pk,
        )


def totp_qr_svg(*, device: TOTPDevice) -> str:
    """The ``otpauth://`` address of the key as an inline SVG QR code (no script, no style)."""
    return str(segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#000", light="#fff"))


def totp_secret_text(*, device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing into an app by hand."""
    from base64 import b32encode

    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def user_sessions_end_all(*, user: User) -> None:
    """Log out everywhere: every login session of the user ends at its next request (the session
    epoch is part of each session's hash), and the user's API tokens are revoked."""
    from ekommune.core import lookup_cache
    from ekommune.core.services import audit_event_record

    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
        user.refresh_from_db(fields=["session_epoch"])
        ApiToken.objects.filter(user=user).delete()
        audit_event_record(
            actor=user,
            municipality=None,
            action="auth.sessions.end_all",
            object_type="user",
            object_id=user.pk,
        )
        lookup_cache.clear_on_commit()
