"""The coverage ratchet: services and selectors at 100 %, or at least their floor, which may only go."""

from __future__ import annotations

from ekommune.launcher import coverage_findings, coverage_floors


def test_a_module_below_full_coverage_and_not_on_the_list_breaks_the_check() -> None:
    assert coverage_findings({"src/a/services.py": 99.0}, {}) == [
        "src/a/services.py: 99.0 % covered; services and selectors must be at 100 %"
    ]


def test_a_listed_module_may_not_drop_below_its_floor() -> None:
    assert coverage_findings({"src/a/services.py": 90.0}, {"src/a/services.py": 90.0}) == []
    assert "below its floor" in coverage_findings({"src/a/services.py": 89.9}, {"src/a/services.py": 90.0})[0]


def test_the_list_shrinks_when_a_module_reaches_full_coverage_or_goes_away() -> None:
    findings = coverage_findings(
        {"src/a/services.py": 100.0}, {"src/a/services.py": 90.0, "src/gone.py": 50.0}
    )
    assert findings == [
        "src/a/services.py: now at 100 %; remove it from [tool.ekommune.coverage-floors]",
        "src/gone.py: on [tool.ekommune.coverage-floors] but not a services/selectors module any more; remove it",
    ]


def test_the_floors_are_read_from_pyproject() -> None:
    assert all(
        path.startswith("src/ekommune/") and 0 < floor < 100 for path, floor in coverage_floors().items()
    )
