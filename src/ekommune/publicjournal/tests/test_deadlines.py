"""Deadlines in working days: weekends and Norwegian public holidays, Easter computed."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from ekommune.publicjournal.deadlines import (
    add_working_days,
    easter_sunday,
    is_working_day,
    public_holidays,
    working_days_between,
)


def test_easter_sunday_in_known_years() -> None:
    known = {2024: (3, 31), 2025: (4, 20), 2026: (4, 5), 2027: (3, 28), 2038: (4, 25), 2285: (3, 22)}
    for year, (month, day) in known.items():
        assert easter_sunday(year) == dt.date(year, month, day)


def test_norwegian_public_holidays_of_2026() -> None:
    assert sorted(public_holidays(2026)) == [
        dt.date(2026, 1, 1),
        dt.date(2026, 4, 2),  # skjærtorsdag
        dt.date(2026, 4, 3),  # langfredag
        dt.date(2026, 4, 5),
        dt.date(2026, 4, 6),  # 2. påskedag
        dt.date(2026, 5, 1),
        dt.date(2026, 5, 14),  # Kristi himmelfartsdag
        dt.date(2026, 5, 17),
        dt.date(2026, 5, 24),
        dt.date(2026, 5, 25),  # 2. pinsedag
        dt.date(2026, 12, 25),
        dt.date(2026, 12, 26),
    ]


def test_three_working_days_skip_weekends_and_easter() -> None:
    assert add_working_days(dt.date(2026, 11, 25), 3) == dt.date(2026, 11, 30)  # Wed -> Mon
    assert add_working_days(dt.date(2026, 4, 1), 3) == dt.date(2026, 4, 9)  # over Easter
    assert add_working_days(dt.date(2026, 12, 23), 3) == dt.date(2026, 12, 29)  # 24th is a working day
    assert add_working_days(dt.date(2026, 11, 28), 0) == dt.date(2026, 11, 28)
    assert working_days_between(dt.date(2026, 4, 1), dt.date(2026, 4, 9)) == 3
    assert working_days_between(dt.date(2026, 4, 9), dt.date(2026, 4, 1)) == -3


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)), st.integers(0, 30))
def test_the_deadline_is_a_working_day_exactly_n_working_days_later(start: dt.date, days: int) -> None:
    deadline = add_working_days(start, days)
    assert working_days_between(start, deadline) == days
    if days:
        assert is_working_day(deadline)
        assert deadline > start


@given(st.integers(1583, 4099))
def test_easter_is_a_sunday_between_22_march_and_25_april(year: int) -> None:
    easter = easter_sunday(year)
    assert easter.weekday() == 6
    assert dt.date(year, 3, 22) <= easter <= dt.date(year, 4, 25)
