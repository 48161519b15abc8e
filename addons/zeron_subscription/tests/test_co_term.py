from datetime import date

from odoo.tests import tagged

from ..tools.periods import Schedule
from .common import ZeronSubscriptionCommon


def d(value):
    return date.fromisoformat(value)


@tagged("post_install", "-at_install")
class TestCoTermedLines(ZeronSubscriptionCommon):
    """A contract option bills all its lines on one schedule."""

    def _contract(self, co_term, invoicing="advance"):
        """Monthly from 1 Jan 2026: 100 and 50 from 1 Jan, 25 from 15 Jan."""
        return self._create_contract(
            start="2026-01-01",
            co_term_lines=co_term,
            lines=[
                {
                    "price_unit": price,
                    "date_start": start,
                    "recurring_invoicing_type": invoicing,
                }
                for price, start in (
                    (100.0, "2026-01-01"),
                    (50.0, "2026-01-01"),
                    (25.0, "2026-01-15"),
                )
            ],
        )

    def _billed(self, contract, contract_line=None):
        """Return (price, period start, period end) of the invoice lines.

        :param contract_line: only this contract line's; default: all
        """
        lines = contract.invoice_ids.invoice_line_ids
        if contract_line:
            lines = lines.filtered(
                lambda line: line.zeron_contract_line_id == contract_line
            )
        return [
            (line.price_subtotal, line.zeron_period_start, line.zeron_period_end)
            for line in lines.sorted(
                lambda line: (line.zeron_contract_line_id.id, line.zeron_period_start)
            )
        ]

    def test_schedule_on_a_shared_anchor_date(self):
        cases = [
            # (unit, anchor date, line start, expected first period)
            (
                "month",
                "2026-01-01",
                "2026-01-15",
                ("2026-01-15", "2026-01-31", "2026-01-01", "2026-01-31"),
            ),
            (
                "month",
                "2026-01-31",
                "2026-02-10",
                ("2026-02-10", "2026-02-27", "2026-01-31", "2026-02-27"),
            ),
            (
                "quarter",
                "2026-01-01",
                "2026-02-15",
                ("2026-02-15", "2026-03-31", "2026-01-01", "2026-03-31"),
            ),
            (
                "year",
                "2025-07-01",
                "2026-03-01",
                ("2026-03-01", "2026-06-30", "2025-07-01", "2026-06-30"),
            ),
            (
                "week",
                "2026-01-01",
                "2026-01-05",
                ("2026-01-05", "2026-01-07", "2026-01-01", "2026-01-07"),
            ),
            # starting on a boundary: a full first period
            (
                "month",
                "2026-01-10",
                "2026-03-10",
                ("2026-03-10", "2026-04-09", "2026-03-10", "2026-04-09"),
            ),
        ]
        for unit, anchor, start, expected in cases:
            with self.subTest(unit=unit, anchor=anchor, start=start):
                schedule = Schedule(d(start), 1, unit, anchor_date=d(anchor))
                self.assertEqual(
                    tuple(schedule.period_from(d(start))),
                    tuple(d(value) for value in expected),
                )
        # the period after the cut one is a full one of the shared grid
        schedule = Schedule(d("2026-01-15"), 1, "month", anchor_date=d("2026-01-01"))
        self.assertEqual(
            [tuple(p[:2]) for p in schedule.periods(date_to=d("2026-02-01"))],
            [(d("2026-01-15"), d("2026-01-31")), (d("2026-02-01"), d("2026-02-28"))],
        )

    def test_one_run_bills_every_line_up_to_the_same_day(self):
        # lines billed in advance, the products' default
        contract = self._contract(co_term=True)
        late = contract.line_ids[2]
        self.assertEqual(late.next_invoice_date, date(2026, 1, 15))
        self._invoice("2026-02-01")
        self.assertEqual(len(contract.invoice_ids), 1)
        self.assertEqual(
            self._billed(contract),
            [
                (100.0, date(2026, 1, 1), date(2026, 1, 31)),
                (100.0, date(2026, 2, 1), date(2026, 2, 28)),
                (50.0, date(2026, 1, 1), date(2026, 1, 31)),
                (50.0, date(2026, 2, 1), date(2026, 2, 28)),
                # 17 of January's 31 days of 25.00
                (13.71, date(2026, 1, 15), date(2026, 1, 31)),
                (25.0, date(2026, 2, 1), date(2026, 2, 28)),
            ],
        )
        self.assertEqual(contract.invoice_ids.amount_untaxed, 338.71)
        self.assertEqual(
            contract.line_ids.mapped("invoiced_up_to"), [date(2026, 2, 28)] * 3
        )
        self.assertEqual(
            contract.line_ids.mapped("next_invoice_date"), [date(2026, 3, 1)] * 3
        )
        self.assertEqual(contract.next_invoice_date, date(2026, 3, 1))

    def test_daily_runs_keep_the_lines_together(self):
        contract = self._contract(co_term=True)
        expected = [
            # run on, invoiced up to per line, amount of the run's invoice
            ("2026-01-01", [d("2026-01-31"), d("2026-01-31"), False], 150.0),
            ("2026-01-15", [d("2026-01-31")] * 3, 13.71),
            ("2026-02-01", [d("2026-02-28")] * 3, 175.0),
        ]
        for day, invoiced_up_to, amount in expected:
            with self.subTest(day=day):
                self.assertEqual(self._invoice(day)["created"], 1)
                self.assertEqual(
                    contract.line_ids.mapped("invoiced_up_to"), invoiced_up_to
                )
                invoice = contract.invoice_ids.sorted("id")[-1]
                self.assertEqual(invoice.amount_untaxed, amount)

    def test_in_arrears_every_line_is_billed_up_to_the_same_day(self):
        contract = self._contract(co_term=True, invoicing="arrears")
        self._invoice("2026-02-01")
        self.assertEqual(
            self._billed(contract),
            [
                (100.0, date(2026, 1, 1), date(2026, 1, 31)),
                (50.0, date(2026, 1, 1), date(2026, 1, 31)),
                (13.71, date(2026, 1, 15), date(2026, 1, 31)),
            ],
        )
        self.assertEqual(
            contract.line_ids.mapped("invoiced_up_to"), [date(2026, 1, 31)] * 3
        )

    def test_without_the_option_a_line_keeps_its_own_schedule(self):
        contract = self._contract(co_term=False)
        self._invoice("2026-02-01")
        self.assertEqual(
            self._billed(contract),
            [
                (100.0, date(2026, 1, 1), date(2026, 1, 31)),
                (100.0, date(2026, 2, 1), date(2026, 2, 28)),
                (50.0, date(2026, 1, 1), date(2026, 1, 31)),
                (50.0, date(2026, 2, 1), date(2026, 2, 28)),
                (25.0, date(2026, 1, 15), date(2026, 2, 14)),
            ],
        )
        self.assertEqual(
            contract.line_ids.mapped("invoiced_up_to"),
            [date(2026, 2, 28), date(2026, 2, 28), date(2026, 2, 14)],
        )
        self.assertEqual(contract.line_ids[2].next_invoice_date, date(2026, 2, 15))
        # in arrears, the late line is not due before 15 February
        arrears = self._contract(co_term=False, invoicing="arrears")
        self._invoice("2026-02-01")
        self.assertFalse(arrears.line_ids[2].invoiced_up_to)
        self.assertEqual(arrears.line_ids[2].next_invoice_date, date(2026, 2, 15))

    def test_turning_the_option_on_realigns_with_a_prorated_period(self):
        contract = self._contract(co_term=False)
        self._invoice("2026-01-15")
        late = contract.line_ids[2]
        self.assertEqual(late.invoiced_up_to, date(2026, 2, 14))
        contract.co_term_lines = True
        # the rest of February, 14 of its 28 days, then March with the others
        self.assertEqual(late.next_invoice_date, date(2026, 2, 15))
        self._invoice("2026-03-01")
        self.assertEqual(
            self._billed(contract, late),
            [
                (25.0, date(2026, 1, 15), date(2026, 2, 14)),
                (12.5, date(2026, 2, 15), date(2026, 2, 28)),
                (25.0, date(2026, 3, 1), date(2026, 3, 31)),
            ],
        )
        self.assertEqual(
            contract.line_ids.mapped("invoiced_up_to"), [date(2026, 3, 31)] * 3
        )

    def test_no_proration_policy_bills_the_cut_period_in_full(self):
        contract = self._contract(co_term=True)
        contract.proration_policy = "none"
        self._invoice("2026-01-15")
        self.assertIn(
            (25.0, date(2026, 1, 15), date(2026, 1, 31)), self._billed(contract)
        )
