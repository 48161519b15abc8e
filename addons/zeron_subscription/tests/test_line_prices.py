from datetime import date

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger

from .common import ZeronSubscriptionCommon


def d(text):
    return date.fromisoformat(text)


@tagged("post_install", "-at_install")
class TestOneTimeLines(ZeronSubscriptionCommon):
    """A one-time line (a setup fee) is billed once, with the first invoice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_product = cls.env["product.product"].create(
            {
                "name": "Installation",
                "type": "service",
                "zeron_one_time": True,
                "list_price": 250.0,
                "taxes_id": [Command.clear()],
            }
        )

    def _contract_with_fee(self, start="2026-01-01", fee_vals=None, **vals):
        return self._create_contract(
            start=start,
            lines=[
                {"price_unit": 100.0},
                {
                    "product_id": self.setup_product.id,
                    "quantity": 2.0,
                    **(fee_vals or {}),
                },
            ],
            **vals,
        )

    def _billed(self, contract):
        """Return the invoiced lines as (date, product, period start, amount)."""
        move_lines = (
            self.env["account.move.line"]
            .search([("zeron_contract_line_id", "in", contract.line_ids.ids)])
            .sorted(lambda line: (line.move_id.id, line.id))
        )
        return [
            (
                line.move_id.invoice_date.isoformat(),
                line.product_id.name,
                line.zeron_period_start.isoformat(),
                line.price_subtotal,
            )
            for line in move_lines
        ]

    def test_billed_once_with_the_first_invoice(self):
        contract = self._contract_with_fee()
        monthly, fee = contract.line_ids
        self.assertRecordValues(
            fee,
            [
                {
                    "one_time": True,
                    "price_unit": 250.0,
                    "next_period_start": d("2026-01-01"),
                    "next_invoice_date": d("2026-01-01"),
                    "recurring_monthly": 0.0,
                }
            ],
        )
        self.assertFalse(monthly.one_time)
        self.assertEqual(contract.recurring_monthly, 100.0)
        self.assertEqual(self._invoice("2026-01-01", contract)["created"], 1)
        invoice = contract.invoice_ids
        # full price x quantity; no service period, only the description
        self.assertRecordValues(
            invoice.invoice_line_ids,
            [
                {
                    "name": "Alarm Monitoring\nPeriod: 01/01/2026 - 01/31/2026",
                    "quantity": 1.0,
                    "price_unit": 100.0,
                    "price_subtotal": 100.0,
                    "zeron_period_start": d("2026-01-01"),
                    "zeron_period_end": d("2026-01-31"),
                },
                {
                    "name": "Installation",
                    "quantity": 2.0,
                    "price_unit": 250.0,
                    "price_subtotal": 500.0,
                    "zeron_period_start": d("2026-01-01"),
                    "zeron_period_end": d("2026-01-01"),
                },
            ],
        )
        self.assertRecordValues(
            fee.period_ids,
            [
                {
                    "date_start": d("2026-01-01"),
                    "date_end": d("2026-01-01"),
                    "period_type": "one_time",
                    "invoice_id": invoice.id,
                }
            ],
        )
        self.assertRecordValues(
            fee,
            [
                {
                    "invoiced_up_to": d("2026-01-01"),
                    "next_period_start": False,
                    "next_invoice_date": False,
                }
            ],
        )
        # reruns and the next months bill the monthly line only
        self.assertEqual(self._invoice("2026-01-01", contract)["created"], 0)
        self._invoice("2026-02-01", contract)
        self._invoice("2026-03-01", contract)
        self.assertEqual(
            self._billed(contract),
            [
                ("2026-01-01", "Alarm Monitoring", "2026-01-01", 100.0),
                ("2026-01-01", "Installation", "2026-01-01", 500.0),
                ("2026-02-01", "Alarm Monitoring", "2026-02-01", 100.0),
                ("2026-03-01", "Alarm Monitoring", "2026-03-01", 100.0),
            ],
        )
        self.assertEqual(contract.recurring_monthly, 100.0)

    def test_never_prorated_in_arrears_cut_or_suspended(self):
        # the monthly line bills in arrears, cut to calendar months: the fee is
        # due on its date, in full, on the contract's first invoice
        contract = self._contract_with_fee(start="2026-01-15")
        monthly, fee = contract.line_ids
        monthly.write(
            {"recurring_invoicing_type": "arrears", "recurring_align": "month"}
        )
        fee.recurring_invoicing_type = "arrears"  # ignored: due on its date
        self.assertEqual(fee.next_invoice_date, d("2026-01-15"))
        self._invoice("2026-01-15", contract)
        self._invoice("2026-02-01", contract)
        self.assertEqual(
            self._billed(contract),
            [
                ("2026-01-15", "Installation", "2026-01-15", 500.0),
                # 17 of 31 days
                ("2026-02-01", "Alarm Monitoring", "2026-01-15", 54.84),
            ],
        )
        # a suspension credits the service days, never the fee
        contract.action_suspend("2026-02-01")
        contract.action_resume("2026-02-11")
        self._invoice("2026-03-01", contract)
        credit_note = contract.invoice_ids.filtered(
            lambda m: m.move_type == "out_refund"
        )
        self.assertFalse(credit_note, "February was not invoiced yet")
        self.assertEqual(
            self._billed(contract)[-1],
            ("2026-03-01", "Alarm Monitoring", "2026-02-01", 64.29),  # 18/28
        )
        self.assertEqual(fee.period_ids.period_type, "one_time")

    def test_fee_on_a_suspended_day_is_billed_in_full(self):
        contract = self._contract_with_fee()
        monthly, fee = contract.line_ids
        self._invoice("2026-01-01", contract)
        contract.action_suspend("2026-01-10")
        contract.action_resume("2026-01-20")
        # ten days of the monthly line credited (10 / 31 x 100), not the fee
        credit_note = contract.invoice_ids.filtered(
            lambda m: m.move_type == "out_refund"
        )
        self.assertEqual(credit_note.amount_untaxed, 32.26)
        self.assertEqual(
            credit_note.invoice_line_ids.product_id, self.subscription_product
        )
        # a fee added inside a suspension is billed after it, in full
        contract.action_suspend("2026-02-01")
        extra = self.env["zeron.contract.line"].create(
            {
                "contract_id": contract.id,
                "product_id": self.setup_product.id,
                "price_unit": 80.0,
                "date_start": "2026-02-05",
            }
        )
        contract.action_resume("2026-02-10")
        self._invoice("2026-02-10", contract)
        self.assertEqual(
            self._billed(contract)[-1],
            ("2026-02-10", "Installation", "2026-02-05", 80.0),
        )
        self.assertEqual(extra.period_ids.period_type, "one_time")

    def test_added_to_a_running_contract_goes_with_the_next_invoice(self):
        contract = self._create_contract(start="2026-01-01")
        self._invoice("2026-01-01", contract)
        fee = self.env["zeron.contract.line"].create(
            {
                "contract_id": contract.id,
                "product_id": self.setup_product.id,
                "price_unit": 120.0,
                "date_start": "2026-01-20",
            }
        )
        self.assertEqual(fee.next_invoice_date, d("2026-01-20"))
        self.assertEqual(contract.next_invoice_date, d("2026-01-20"))
        # the next run catches it up, with the monthly period due then
        self._invoice("2026-02-01", contract)
        second = contract.invoice_ids.sorted("id")[1]
        self.assertRecordValues(
            second.invoice_line_ids,
            [
                {"name": "Alarm Monitoring\nPeriod: 02/01/2026 - 02/28/2026"},
                {"name": "Installation"},
            ],
        )
        self.assertEqual(
            second.invoice_line_ids.mapped("price_subtotal"), [100.0, 120.0]
        )
        self.assertFalse(fee.next_invoice_date)

    def test_cancelled_or_credited_invoice_makes_the_fee_due_again(self):
        contract = self._contract_with_fee()
        monthly, fee = contract.line_ids
        self._invoice("2026-01-01", contract)
        invoice = contract.invoice_ids
        invoice.button_draft()
        invoice.button_cancel()
        self.assertFalse(fee.period_ids)
        self.assertEqual(fee.next_invoice_date, d("2026-01-01"))
        self._invoice("2026-01-02", contract)
        second = contract.invoice_ids - invoice
        self.assertEqual(second.amount_untaxed, 600.0)
        # Odoo's full credit note: due again, billed again, once
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=second.ids)
            .create({"journal_id": second.journal_id.id, "reason": "Disputed"})
        )
        credit_note = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        credit_note.action_post()
        self.assertFalse(fee.period_ids)
        self.assertEqual(fee.next_invoice_date, d("2026-01-01"))
        self._invoice("2026-01-03", contract)
        third = contract.invoice_ids.filtered(
            lambda m: m.move_type == "out_invoice"
        ).sorted("id")[-1]
        self.assertEqual(third.amount_untaxed, 600.0)
        self.assertEqual(self._invoice("2026-01-04", contract)["created"], 0)

    def test_termination_before_its_date_credits_the_fee(self):
        contract = self._contract_with_fee(
            fee_vals={"date_start": "2026-01-20"}, invoicing_lead_days=30
        )
        self._invoice("2026-01-01", contract)
        self.assertEqual(contract.invoice_ids.amount_untaxed, 600.0)
        credit_note = contract._terminate(d("2026-01-10"), "Moved out")
        # 21 of 31 days of January, and the whole fee of 20 January
        self.assertEqual(credit_note.amount_untaxed, 567.74)
        self.assertFalse(contract.line_ids[1].next_invoice_date)

    def test_line_and_product_rules(self):
        self.assertTrue(
            self.env["zeron.contract.line"]
            .new({"product_id": self.setup_product.id})
            .one_time
        )
        for vals in ({"zeron_is_subscription": True}, {"type": "consu"}):
            with self.assertRaisesRegex(ValidationError, "fields One-Time Fee and"):
                self.env["product.template"].create(
                    {
                        "name": "Survey",
                        "type": "service",
                        "zeron_one_time": True,
                        **vals,
                    }
                )
        contract = self._contract_with_fee()
        monthly, fee = contract.line_ids
        # a one-time line has no days to split
        with self.assertRaisesRegex(UserError, "Bill Once"):
            fee._split_at(d("2026-02-01"), {"price_unit": 1.0})
        self._invoice("2026-01-01", contract)
        with self.assertRaisesRegex(UserError, "Bill Once cannot change"):
            fee.one_time = False
        with self.assertRaisesRegex(UserError, "Bill Once cannot change"):
            monthly.one_time = True
        # a price revision leaves the fee billed already alone
        revision = self.env["zeron.price.revision"].create(
            {"contract_ids": contract.ids, "date_from": "2026-02-01", "percent": 10}
        )
        revision.action_apply()
        self.assertRecordValues(
            contract.line_ids.sorted("id"),
            [
                {"price_unit": 100.0, "date_end": d("2026-01-31")},
                {"price_unit": 250.0, "date_end": False},
                {"price_unit": 110.0, "date_end": False},
            ],
        )


@tagged("post_install", "-at_install")
class TestPricelistPrices(ZeronSubscriptionCommon):
    """A line billed at the pricelist price takes it on each period's first day."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.partner_id.tz = False
        cls.pricelist = cls.env["product.pricelist"].create(
            {
                "name": "Monitoring 2026",
                "currency_id": cls.env.company.currency_id.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "0_product_variant",
                            "product_id": cls.subscription_product.id,
                            "compute_price": "fixed",
                            "fixed_price": 100.0,
                            "date_end": "2026-01-31 23:59:59",
                        }
                    ),
                    Command.create(
                        {
                            "applied_on": "0_product_variant",
                            "product_id": cls.subscription_product.id,
                            "compute_price": "fixed",
                            "fixed_price": 120.0,
                            "date_start": "2026-02-01 00:00:00",
                        }
                    ),
                ],
            }
        )

    def _contract(self, invoicing_type="advance", **vals):
        return self._create_contract(
            start="2026-01-01",
            pricelist_id=self.pricelist.id,
            lines=[
                {
                    "price_source": "pricelist",
                    "recurring_invoicing_type": invoicing_type,
                },
                {"recurring_invoicing_type": invoicing_type},
            ],
            **vals,
        )

    def _billed(self, contract):
        """Return the invoiced lines as (line index, period start, price)."""
        lines = contract.line_ids.sorted("id")
        return sorted(
            (
                list(lines).index(line.zeron_contract_line_id),
                line.zeron_period_start.isoformat(),
                line.price_unit,
            )
            for line in contract.invoice_ids.invoice_line_ids
        )

    def test_catch_up_bills_each_period_at_its_own_price(self):
        for today in ("2025-12-20", "2026-06-15"):
            for invoicing_type, expected in (
                (
                    "advance",
                    [
                        (0, "2026-01-01", 100.0),
                        (0, "2026-02-01", 120.0),
                        (0, "2026-03-01", 120.0),
                        (1, "2026-01-01", 100.0),
                        (1, "2026-02-01", 100.0),
                        (1, "2026-03-01", 100.0),
                    ],
                ),
                (
                    "arrears",
                    [
                        (0, "2026-01-01", 100.0),
                        (0, "2026-02-01", 120.0),
                        (1, "2026-01-01", 100.0),
                        (1, "2026-02-01", 100.0),
                    ],
                ),
            ):
                with self.subTest(today=today, invoicing=invoicing_type):
                    with freeze_time(today):
                        contract = self._contract(invoicing_type)
                        priced, contracted = contract.line_ids
                        # the contracted price: the pricelist's on the line's start
                        self.assertEqual(contracted.price_unit, 100.0)
                        self.assertEqual(
                            self._invoice("2026-03-01", contract)["created"], 1
                        )
                    self.assertEqual(self._billed(contract), expected)

    def test_forecast_and_monthly_revenue_follow_the_pricelist(self):
        contract = self._contract()
        priced, contracted = contract.line_ids
        rows = contract._get_forecast(count=3, date_from=d("2026-01-01"))
        self.assertEqual(
            [
                (row["rank"], row["line"], row["price_unit"], row["amount_untaxed"])
                for row in rows
            ],
            [
                (1, priced, 100.0, 100.0),
                (1, contracted, 100.0, 100.0),
                (2, priced, 120.0, 120.0),
                (2, contracted, 100.0, 100.0),
                (3, priced, 120.0, 120.0),
                (3, contracted, 100.0, 100.0),
            ],
        )
        # the price of the next period to invoice
        self.assertEqual(
            (priced.recurring_monthly, priced.price_subtotal), (100.0, 100.0)
        )
        self._invoice("2026-01-01", contract)
        self.assertEqual(
            (priced.recurring_monthly, priced.price_subtotal), (120.0, 120.0)
        )
        self.assertEqual(contract.recurring_monthly, 220.0)
        self.assertEqual(contracted.recurring_monthly, 100.0)

    def test_price_in_the_contracts_currency(self):
        # no item: the product's 100.00 sales price, converted at 2 EUR a dollar
        pricelist = self.env["product.pricelist"].create(
            {"name": "EUR", "currency_id": self.other_currency.id}
        )
        contract = self._create_contract(
            start="2026-01-01",
            pricelist_id=pricelist.id,
            lines=[{"price_source": "pricelist", "price_unit": 1.0}],
        )
        self.assertEqual(contract.currency_id, self.other_currency)
        self._invoice("2026-01-01", contract)
        self.assertRecordValues(
            contract.invoice_ids,
            [{"currency_id": self.other_currency.id, "amount_untaxed": 200.0}],
        )
        self.assertEqual(contract.invoice_ids.invoice_line_ids.price_unit, 200.0)

    def test_period_start_in_the_company_time_zone(self):
        # the 120.00 price starts at midnight in Sofia (22:00 UTC the day before)
        self.env.company.partner_id.tz = "Europe/Sofia"
        old, new = self.pricelist.item_ids.sorted("fixed_price")
        old.date_end = "2026-01-31 21:59:59"
        new.date_start = "2026-01-31 22:00:00"
        contract = self._create_contract(
            start="2025-12-31",
            pricelist_id=self.pricelist.id,
            lines=[{"price_source": "pricelist"}],
        )
        self._invoice("2026-02-28", contract)
        self.assertEqual(
            [
                (line.zeron_period_start.isoformat(), line.price_unit)
                for line in contract.invoice_ids.invoice_line_ids
            ],
            [("2025-12-31", 100.0), ("2026-01-31", 100.0), ("2026-02-28", 120.0)],
        )

    def test_price_revision_leaves_pricelist_lines_alone(self):
        contract = self._contract()
        priced, contracted = contract.line_ids
        self.env["zeron.price.revision"].create(
            {"contract_ids": contract.ids, "date_from": "2026-01-01", "percent": 10}
        ).action_apply()
        self.assertEqual((priced.price_unit, contracted.price_unit), (100.0, 110.0))

    @mute_logger("odoo.addons.zeron_subscription.models.zeron_contract")
    def test_pricelist_price_without_pricelist_fails(self):
        contract = self._contract()
        contract.pricelist_id = False
        self.assertEqual(
            self._invoice("2026-01-01", contract),
            {"created": 0, "skipped": 0, "failed": 1},
        )
        self.assertIn("field Price Source", contract.invoicing_error)
