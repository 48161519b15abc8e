from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ZeronSubscriptionCommon


@tagged("post_install", "-at_install")
class TestBreakerMidperiod(ZeronSubscriptionCommon):
    """Correcting a mid-period change whose difference is invoiced or credited."""

    def _revise(self, contract, day, price):
        self.env["zeron.price.revision"].create(
            {
                "contract_ids": [Command.set(contract.ids)],
                "date_from": day,
                "method": "price",
                "price_unit": price,
            }
        ).action_apply()

    def _documents(self, contract):
        return contract.invoice_ids.sorted("id")

    def test_correcting_an_invoiced_upgrade_is_refused(self):
        contract = self._create_contract(start="2026-01-01")
        self._invoice("2026-01-01", contract)
        self._revise(contract, "2026-01-16", 200.0)
        self._invoice("2026-01-20", contract)
        successor = contract.line_ids.filtered(lambda line: line.predecessor_id)
        # 51.61 is invoiced for 16 to 31 January at 200.00: a price of 150.00
        # from the same day would owe 25.81 only, and nothing would say so
        with self.assertRaisesRegex(UserError, "Unit Price"):
            self._revise(contract, "2026-01-16", 150.0)
        with self.assertRaisesRegex(UserError, "Quantity"):
            successor.quantity = 2.0
        self.assertEqual(successor.price_unit, 200.0)
        self.assertRecordValues(
            successor.period_ids.filtered(lambda p: p.period_type == "carried"),
            [{"adjustment_amount": 51.61, "adjustment_due": False}],
        )
        # the former line's terms are what the adjustment was computed from
        with self.assertRaisesRegex(UserError, "Unit Price"):
            successor.predecessor_id.price_unit = 90.0

    def test_correcting_a_credited_downgrade_is_refused(self):
        contract = self._create_contract(start="2026-01-01")
        self._invoice("2026-01-01", contract)
        self._revise(contract, "2026-01-16", 50.0)
        successor = contract.line_ids.filtered(lambda line: line.predecessor_id)
        with self.assertRaisesRegex(UserError, "Discount"):
            successor.discount = 10.0
        self.assertRecordValues(
            successor.period_ids.filtered(lambda p: p.period_type == "carried"),
            [{"adjustment_amount": -25.81}],
        )
        self.assertEqual(
            self._documents(contract).mapped("amount_untaxed"), [100.0, 25.81]
        )

    def test_correcting_an_upgrade_not_invoiced_yet(self):
        contract = self._create_contract(start="2026-01-01")
        self._invoice("2026-01-01", contract)
        self._revise(contract, "2026-01-16", 200.0)
        self._revise(contract, "2026-01-16", 150.0)
        self._invoice("2026-01-20", contract)
        # 50.00 more a month for 16 of January's 31 days
        self.assertEqual(
            self._documents(contract).mapped("amount_untaxed"), [100.0, 25.81]
        )
        # once the adjustment invoice is cancelled, the line may change again
        adjustment = self._documents(contract)[-1]
        adjustment.button_cancel()
        self._revise(contract, "2026-01-16", 120.0)
        self._invoice("2026-01-21", contract)
        self.assertEqual(self._documents(contract)[-1].amount_untaxed, 10.32)
