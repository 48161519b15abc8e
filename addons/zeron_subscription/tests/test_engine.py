from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ZeronSubscriptionCommon


@tagged("post_install", "-at_install")
class TestEngine(ZeronSubscriptionCommon):
    """The billing engine's options, on the issue's worked examples."""

    def _lines_of(self, contract):
        invoices = self.env["account.move"].search(
            [("zeron_contract_id", "=", contract.id)], order="id"
        )
        return [
            [
                (
                    line.zeron_period_start.isoformat(),
                    line.zeron_period_end.isoformat(),
                    line.price_subtotal,
                )
                for line in invoice.invoice_line_ids
            ]
            for invoice in invoices
        ]

    def test_aligned_in_arrears_prorates_the_first_period(self):
        contract = self._create_contract(
            start="2018-10-25",
            lines=[
                {
                    "price_unit": 100.0,
                    "recurring_invoicing_type": "arrears",
                    "recurring_align": "month",
                }
            ],
        )
        self.assertEqual(contract.next_invoice_date, date(2018, 11, 1))
        self._invoice("2018-11-01")
        self._invoice("2018-12-01")
        self.assertEqual(
            self._lines_of(contract),
            [
                [("2018-10-25", "2018-10-31", 22.58)],
                [("2018-11-01", "2018-11-30", 100.0)],
            ],
        )

    def test_proration_policy_none_bills_cut_periods_in_full(self):
        self.env.company.zeron_proration_policy = "none"
        contract = self._create_contract(
            start="2018-10-25",
            lines=[{"price_unit": 100.0, "recurring_align": "month"}],
        )
        self._invoice("2018-10-25")
        self.assertEqual(
            self._lines_of(contract), [[("2018-10-25", "2018-10-31", 100.0)]]
        )
        # the contract overrides the company
        daily = self._create_contract(
            start="2018-10-25",
            proration_policy="daily",
            lines=[{"price_unit": 100.0, "recurring_align": "month"}],
        )
        self._invoice("2018-10-25")
        self.assertEqual(self._lines_of(daily), [[("2018-10-25", "2018-10-31", 22.58)]])

    def test_stopping_lines_one_after_another(self):
        contract = self._create_contract(
            start="2023-01-01",
            lines=[{"price_unit": 10.0}, {"price_unit": 20.0}, {"price_unit": 30.0}],
        )
        first, second, third = contract.line_ids
        self._invoice("2023-01-01")
        first.date_end = "2023-01-31"
        self._invoice("2023-02-01")
        second.date_end = "2023-02-28"
        self._invoice("2023-03-01")
        self._invoice("2023-03-31")
        totals = (
            self.env["account.move"]
            .search([("zeron_contract_id", "=", contract.id)], order="id")
            .mapped("amount_untaxed")
        )
        self.assertEqual(totals, [60.0, 50.0, 30.0])
        self.assertEqual(first.invoiced_up_to, date(2023, 1, 31))
        self.assertFalse(first.next_invoice_date)
        self.assertEqual(second.invoiced_up_to, date(2023, 2, 28))
        self.assertEqual(third.invoiced_up_to, date(2023, 3, 31))

    def test_invoicing_lead_time(self):
        contract = self._create_contract(start="2024-02-01", invoicing_lead_days=5)
        self.assertEqual(contract.next_invoice_date, date(2024, 1, 27))
        self.assertEqual(self._invoice("2024-01-26")["created"], 0)
        self._invoice("2024-01-27")
        self.assertEqual(
            self._lines_of(contract), [[("2024-02-01", "2024-02-29", 100.0)]]
        )
        self.assertEqual(contract.next_invoice_date, date(2024, 2, 25))
        with self.assertRaisesRegex(
            ValidationError, "Lead Time .Days. cannot be negative"
        ):
            contract.invoicing_lead_days = -1

    def test_lines_with_one_start_share_invoiced_up_to(self):
        contract = self._create_contract(
            start="2024-03-31",
            lines=[{"price_unit": 100.0}, {"price_unit": 50.0}, {"price_unit": 25.0}],
        )
        self._invoice("2024-03-31")
        self.assertEqual(
            set(contract.line_ids.mapped("invoiced_up_to")), {date(2024, 4, 29)}
        )

    def test_analytic_distribution_reaches_the_invoice(self):
        plan = self.env["account.analytic.plan"].create({"name": "Branches"})
        plovdiv, varna = self.env["account.analytic.account"].create(
            [
                {"name": "Plovdiv", "plan_id": plan.id},
                {"name": "Varna", "plan_id": plan.id},
            ]
        )
        contract = self._create_contract(
            start="2024-01-01",
            analytic_distribution={str(plovdiv.id): 100},
            lines=[
                {"price_unit": 10.0},
                {"price_unit": 20.0, "analytic_distribution": {str(varna.id): 100}},
            ],
        )
        self._invoice("2024-01-01")
        invoice = contract.invoice_ids
        self.assertEqual(
            invoice.invoice_line_ids.mapped("analytic_distribution"),
            [{str(plovdiv.id): 100}, {str(varna.id): 100}],
        )

    def test_drafts_for_review(self):
        self.env.company.zeron_invoice_auto_post = False
        contract = self._create_contract(start="2024-01-01")
        self._invoice("2024-01-01")
        self.assertEqual(contract.invoice_ids.state, "draft")
        # the draft holds its periods: a rerun adds nothing
        self.assertEqual(self._invoice("2024-01-01")["created"], 0)
        # deleting the draft makes the period due again
        contract.invoice_ids.unlink()
        self.assertEqual(contract.next_invoice_date, date(2024, 1, 1))
