from datetime import date

from odoo.tests import BaseCase, tagged

from ..tools.periods import (
    Schedule,
    add_months,
    prorated_price,
    proration_factor,
)


def d(text):
    return date.fromisoformat(text)


@tagged("post_install", "-at_install")
class TestPeriods(BaseCase):
    """Table-driven checks of the billing grid arithmetic."""

    def _assert_starts(self, schedule, expected, count=None):
        starts = [
            p.date_start.isoformat()
            for p, _i in zip(
                schedule.periods(), range(count or len(expected)), strict=False
            )
        ]
        self.assertEqual(starts, expected, f"period starts of {vars(schedule)}")

    def test_add_months_clamps_and_returns_to_anchor(self):
        cases = [
            # (date, months, anchor, expected)
            ("2023-01-31", 1, 31, "2023-02-28"),
            ("2023-01-31", 2, 31, "2023-03-31"),
            ("2024-01-31", 1, 31, "2024-02-29"),
            ("2024-02-29", 12, 29, "2025-02-28"),
            ("2024-02-29", 48, 29, "2028-02-29"),
            ("2024-03-15", -3, 15, "2023-12-15"),
            ("2024-12-31", 2, 30, "2025-02-28"),
        ]
        for value, months, anchor, expected in cases:
            with self.subTest(value=value, months=months, anchor=anchor):
                self.assertEqual(add_months(d(value), months, anchor), d(expected))

    def test_monthly_from_month_end_does_not_drift(self):
        self._assert_starts(
            Schedule(d("2023-01-31"), 1, "month"),
            ["2023-01-31", "2023-02-28", "2023-03-31", "2023-04-30", "2023-05-31"],
        )
        self._assert_starts(
            Schedule(d("2024-01-31"), 1, "month"),
            ["2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30", "2024-05-31"],
        )

    def test_yearly_from_leap_day(self):
        self._assert_starts(
            Schedule(d("2024-02-29"), 1, "year"),
            ["2024-02-29", "2025-02-28", "2026-02-28", "2027-02-28", "2028-02-29"],
        )

    def test_other_units(self):
        cases = [
            (
                Schedule(d("2024-01-15"), 1, "quarter"),
                ["2024-01-15", "2024-04-15", "2024-07-15", "2024-10-15"],
            ),
            (
                Schedule(d("2024-11-30"), 1, "quarter"),
                ["2024-11-30", "2025-02-28", "2025-05-30", "2025-08-30"],
            ),
            (
                Schedule(d("2024-01-01"), 2, "week"),
                ["2024-01-01", "2024-01-15", "2024-01-29"],
            ),
            (
                Schedule(d("2024-02-27"), 1, "day"),
                ["2024-02-27", "2024-02-28", "2024-02-29", "2024-03-01"],
            ),
            (
                Schedule(d("2024-01-01"), 6, "month"),
                ["2024-01-01", "2024-07-01", "2025-01-01"],
            ),
        ]
        for schedule, expected in cases:
            with self.subTest(start=schedule.start, unit=schedule.unit):
                self._assert_starts(schedule, expected)

    def test_periods_tile_without_gap_or_overlap(self):
        for anchor in (1, 15, 28, 29, 30, 31):
            schedule = Schedule(d("2023-01-10"), 1, "month", anchor_day=anchor)
            periods = list(schedule.periods(date_to=d("2026-12-31")))
            with self.subTest(anchor=anchor):
                self.assertEqual(periods[0].date_start, d("2023-01-10"))
                for previous, current in zip(periods, periods[1:], strict=False):
                    self.assertEqual(
                        (current.date_start - previous.date_end).days,
                        1,
                        f"gap or overlap between {previous} and {current}",
                    )

    def test_anchor_day_cuts_the_first_period(self):
        schedule = Schedule(d("2018-10-25"), 1, "month", anchor_day=1)
        first, second = list(schedule.periods(date_to=d("2018-11-01")))
        self.assertEqual(
            (first.date_start, first.date_end), (d("2018-10-25"), d("2018-10-31"))
        )
        self.assertEqual(
            (first.full_start, first.full_end), (d("2018-10-01"), d("2018-10-31"))
        )
        self.assertEqual(
            (second.date_start, second.date_end), (d("2018-11-01"), d("2018-11-30"))
        )
        self.assertEqual(prorated_price(100.0, proration_factor(first), 2), 22.58)
        self.assertEqual(prorated_price(100.0, proration_factor(second), 2), 100.0)
        self.assertEqual(
            prorated_price(100.0, proration_factor(first, "none"), 2), 100.0
        )

    def test_end_date_cuts_the_last_period(self):
        schedule = Schedule(d("2024-01-01"), 1, "month", end=d("2024-03-10"))
        periods = list(schedule.periods())
        self.assertEqual(
            [(p.date_start.isoformat(), p.date_end.isoformat()) for p in periods],
            [
                ("2024-01-01", "2024-01-31"),
                ("2024-02-01", "2024-02-29"),
                ("2024-03-01", "2024-03-10"),
            ],
        )
        self.assertEqual(prorated_price(31.0, proration_factor(periods[-1]), 2), 10.0)
        self.assertIsNone(schedule.period_from(d("2024-03-11")))

    def test_period_from_mid_period_and_index(self):
        schedule = Schedule(d("2024-01-31"), 1, "month")
        period = schedule.period_from(d("2024-03-05"))
        self.assertEqual(
            (period.date_start, period.date_end, period.full_start),
            (d("2024-03-05"), d("2024-03-30"), d("2024-02-29")),
        )
        self.assertEqual(schedule.index_of(d("2024-02-28")), 0)
        self.assertEqual(schedule.index_of(d("2024-02-29")), 1)
        self.assertEqual(schedule.index_of(d("2025-01-31")), 12)

    def test_calendar_alignment(self):
        schedule = Schedule(d("2024-02-10"), 1, "quarter", align="quarter")
        first = schedule.period_from(schedule.start)
        self.assertEqual(
            (first.date_start, first.date_end, first.full_start),
            (d("2024-02-10"), d("2024-03-31"), d("2024-01-01")),
        )
        self.assertAlmostEqual(proration_factor(first), 51 / 91)

    def test_invalid_schedule(self):
        with self.assertRaises(ValueError):
            Schedule(d("2024-01-01"), 0, "month")
        with self.assertRaises(ValueError):
            Schedule(d("2024-01-01"), 1, "fortnight")
