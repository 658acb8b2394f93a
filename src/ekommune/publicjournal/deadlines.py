"""Working days in Norway: weekends and the public holidays (helligdager og høytidsdager).

Fixed: 1 January, 1 May, 17 May, 25 and 26 December. Moving with Easter: Maundy Thursday,
Good Friday, Easter Sunday and Monday, Ascension Day (Easter + 39), Whit Sunday and Monday
(Easter + 49, + 50). Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
"""

from __future__ import annotations

import datetime as dt
from functools import cache


def easter_sunday(year: int) -> dt.date:
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


@cache
def public_holidays(year: int) -> frozenset[dt.date]:
    easter = easter_sunday(year)
    moving = {easter + dt.timedelta(days=offset) for offset in (-3, -2, 0, 1, 39, 49, 50)}
    fixed = {dt.date(year, month, day) for month, day in ((1, 1), (5, 1), (5, 17), (12, 25), (12, 26))}
    return frozenset(moving | fixed)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (the day of receipt itself does not count)."""
    day = start
    remaining = days
    while remaining > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when ``end`` is before)."""
    if end < start:
        return -working_days_between(end, start)
    return sum(1 for n in range(1, (end - start).days + 1) if is_working_day(start + dt.timedelta(days=n)))
