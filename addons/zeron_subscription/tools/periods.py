"""Date and money arithmetic of billing schedules, in one place.

A schedule is a grid of boundaries. Boundary ``n`` is computed directly from
the grid's origin, never from boundary ``n - 1``, so month ends do not drift:
monthly from 31 January gives 31 January, 28 (or 29) February, 31 March.

Periods tile the grid: period ``n`` runs from boundary ``n`` to the day before
boundary ``n + 1``, cut by the line's start and end dates.
"""

import calendar
from collections import namedtuple
from datetime import date, datetime, timedelta

import pytz

from odoo.tools import float_round

#: months covered by one unit of a month-based rule
MONTHS_PER_UNIT = {"month": 1, "quarter": 3, "year": 12}
#: days covered by one unit of a day-based rule
DAYS_PER_UNIT = {"day": 1, "week": 7}

Period = namedtuple("Period", "date_start date_end full_start full_end")
Period.__doc__ = """A billing period, with the full grid period it belongs to.

``full_start``/``full_end`` differ from ``date_start``/``date_end`` when the
period is cut by a start or end date; the ratio of their day counts is the
proration factor.
"""


def clamp_day(year, month, day):
    """Return ``day`` of the month, or that month's last day if it is shorter."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def add_months(value, months, anchor_day):
    """Return the date ``months`` after ``value``'s month, on ``anchor_day``.

    The day is clamped to the month end (anchor 31 in February gives the 28th
    or 29th), and since ``anchor_day`` is kept aside, the following month
    returns to the anchor.
    """
    year, month = divmod(value.year * 12 + value.month - 1 + months, 12)
    return clamp_day(year, month + 1, anchor_day)


class Schedule:
    """A billing grid: ``interval`` x ``unit`` periods on ``anchor_day``.

    :param date start: the first day billed
    :param int interval: periods are ``interval`` units long (at least 1)
    :param str unit: ``day``, ``week``, ``month``, ``quarter`` or ``year``
    :param int anchor_day: day of the month boundaries fall on (month-based
        units); defaults to the start's day
    :param date end: the last day billed (inclusive), or ``None``
    :param str align: ``None`` to run the grid from the anchor, or ``month``,
        ``quarter`` or ``year`` to put boundaries on the first day of calendar
        months, quarters or years (the first period is then cut)
    :param date anchor_date: a day the grid has a boundary on, shared with
        other schedules (the start of a contract whose lines bill together);
        it overrides ``anchor_day`` and ``align``, and a ``start`` between two
        of its boundaries gets a cut first period
    """

    def __init__(
        self,
        start,
        interval,
        unit,
        anchor_day=None,
        end=None,
        align=None,
        anchor_date=None,
    ):
        if interval < 1:
            raise ValueError("interval must be at least 1")
        if unit not in MONTHS_PER_UNIT and unit not in DAYS_PER_UNIT:
            raise ValueError(f"unknown unit {unit!r}")
        self.start = start
        self.end = end
        self.interval = interval
        self.unit = unit
        self.monthly = unit in MONTHS_PER_UNIT
        if self.monthly:
            self.step = interval * MONTHS_PER_UNIT[unit]
            if anchor_date:
                # boundary n is n steps after the anchor date, on its day
                self.anchor_day = anchor_date.day
                self.origin = anchor_date
            elif align:
                self.anchor_day = 1
                month_step = MONTHS_PER_UNIT[align]
                month0 = (start.month - 1) // month_step * month_step + 1
                self.origin = date(start.year, month0, 1)
            else:
                self.anchor_day = anchor_day or start.day
                origin = clamp_day(start.year, start.month, self.anchor_day)
                if origin > start:
                    origin = add_months(origin, -1, self.anchor_day)
                self.origin = origin
        else:
            self.step = interval * DAYS_PER_UNIT[unit]
            self.anchor_day = None
            self.origin = anchor_date or start

    def boundary(self, index):
        """Return the first day of grid period ``index`` (0 = the origin's)."""
        if self.monthly:
            return add_months(self.origin, index * self.step, self.anchor_day)
        return self.origin + timedelta(days=index * self.step)

    def index_of(self, day):
        """Return the index of the grid period that contains ``day``."""
        if self.monthly:
            months = (day.year - self.origin.year) * 12 + day.month - self.origin.month
            index = months // self.step
            # the month count is off by one period around the anchor day
            if self.boundary(index) > day:
                index -= 1
            elif self.boundary(index + 1) <= day:
                index += 1
            return index
        return (day - self.origin).days // self.step

    def period_from(self, day):
        """Return the period that starts on ``day``, or ``None`` after the end.

        It runs to the end of the grid period containing ``day`` (or to the
        schedule's end), so a period that starts mid-grid is a cut one.
        """
        day = max(day, self.start)
        if self.end and day > self.end:
            return None
        index = self.index_of(day)
        full_start = self.boundary(index)
        full_end = self.boundary(index + 1) - timedelta(days=1)
        date_end = min(full_end, self.end) if self.end else full_end
        return Period(day, date_end, full_start, full_end)

    def periods(self, date_from=None, date_to=None):
        """Yield the periods starting from ``date_from`` up to ``date_to``."""
        period = self.period_from(date_from or self.start)
        while period and (date_to is None or period.date_start <= date_to):
            yield period
            period = self.period_from(period.date_end + timedelta(days=1))


def days_between(date_from, date_to):
    """Return the number of days from ``date_from`` to ``date_to``, inclusive."""
    return (date_to - date_from).days + 1


def proration_factor(period, policy="daily"):
    """Return the share of a full period that ``period`` covers.

    :param str policy: ``daily`` prorates by the actual days of the period,
        ``none`` bills a cut period in full
    """
    if policy == "none":
        return 1.0
    full = days_between(period.full_start, period.full_end)
    return days_between(period.date_start, period.date_end) / full


def prorated_price(price_unit, factor, digits):
    """Return ``price_unit`` x ``factor`` rounded to ``digits`` decimals."""
    if factor == 1.0:
        return price_unit
    return float_round(price_unit * factor, precision_digits=digits)


def months_per_period(interval, unit):
    """Return how many months one period of ``interval`` x ``unit`` lasts.

    A year counts 12 months, 52 weeks and 365 days, so a weekly price makes
    52 / 12 of itself a month and a daily one 365 / 12.

    Example: a quarter is 3 months, 2 weeks are 24 / 52 of a month.
    """
    if unit in MONTHS_PER_UNIT:
        return interval * MONTHS_PER_UNIT[unit]
    if unit == "week":
        return interval * 12 / 52
    if unit == "day":
        return interval * 12 / 365
    raise ValueError(f"unknown unit {unit!r}")


def today_in_tz(tz_name):
    """Return today's date in the time zone ``tz_name`` (UTC if unset or unknown)."""
    try:
        tz = pytz.timezone(tz_name or "UTC")
    except pytz.UnknownTimeZoneError:
        tz = pytz.utc
    return datetime.now(tz).date()


def day_start_utc(day, tz_name):
    """Return the first moment of ``day`` in the time zone ``tz_name``, in UTC.

    Naive, as Odoo stores datetimes: 1 February 2026 in Europe/Sofia starts at
    2026-01-31 22:00:00 UTC. An unset or unknown time zone counts as UTC.
    """
    try:
        tz = pytz.timezone(tz_name or "UTC")
    except pytz.UnknownTimeZoneError:
        tz = pytz.utc
    local = tz.localize(datetime.combine(day, datetime.min.time()))
    return local.astimezone(pytz.utc).replace(tzinfo=None)


def add_months_plain(value, months):
    """Return ``value`` moved by ``months`` months, clamped to the month end."""
    return add_months(value, months, value.day)


def revised_price(price_unit, percent, rounding=0.01):
    """Return ``price_unit`` raised by ``percent`` %, rounded to ``rounding``.

    Example: 110.00 raised by 10 % to the cent is 121.00.
    """
    return float_round(price_unit * (1 + percent / 100.0), precision_rounding=rounding)


def converted_price(price_unit, rate, rounding=0.01):
    """Return ``price_unit`` converted at a fixed ``rate`` (old units per new).

    Example: 100.00 lev at 1.95583 lev per euro is 51.13 euro.
    """
    return float_round(price_unit / rate, precision_rounding=rounding)
