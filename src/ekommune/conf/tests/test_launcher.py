"""The launcher behind `make run` / `make test`: a database that cannot be reached fails loudly."""

from __future__ import annotations

import pytest

from ekommune.launcher import ensure_database_reachable, main


def test_unreachable_database_url_fails_with_a_message(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        ensure_database_reachable("postgresql://postgres@127.0.0.1:1/ekommune?connect_timeout=2")
    assert exit_info.value.code == 2
    assert "unreachable" in capsys.readouterr().err


def test_unknown_subcommand_prints_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deploy"]) == 2
    assert "make run" in capsys.readouterr().err
