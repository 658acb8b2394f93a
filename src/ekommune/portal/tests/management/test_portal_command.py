"""``ekommune portal setup``: the system account from the command line, errors as messages."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from ekommune.core.models import Municipality, Role
from ekommune.core.tests.factories import staff
from ekommune.portal.models import PortalSettings

pytestmark = pytest.mark.django_db


def test_setup_creates_the_system_account_once(
    municipality_a: Municipality, capsys: pytest.CaptureFixture[str]
) -> None:
    admin = staff(municipality_a, Role.ADMINISTRATOR)
    call_command("portal", "setup", "aust", "--as", admin.username)
    call_command("portal", "setup", "aust", "--as", admin.username)
    assert "tjenestetorg.aust" in capsys.readouterr().out
    assert PortalSettings.objects.filter(municipality=municipality_a).count() == 1


def test_setup_refuses_unknown_names_and_missing_rights(municipality_a: Municipality) -> None:
    case_worker = staff(municipality_a, Role.CASE_WORKER)
    with pytest.raises(CommandError, match="Unknown municipality"):
        call_command("portal", "setup", "ingen", "--as", case_worker.username)
    with pytest.raises(CommandError, match="Unknown or inactive user"):
        call_command("portal", "setup", "aust", "--as", "ingen")
    with pytest.raises(CommandError, match="permission_denied"):
        call_command("portal", "setup", "aust", "--as", case_worker.username)
    assert not PortalSettings.objects.exists()
