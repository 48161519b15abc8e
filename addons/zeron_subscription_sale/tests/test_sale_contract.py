from datetime import date

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from odoo.addons.zeron_subscription.tests.common import ZeronSubscriptionCommon


@tagged("post_install", "-at_install")
class TestSaleContract(ZeronSubscriptionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id += cls.env.ref("sales_team.group_sale_salesman")
        cls.setup_fee = cls.env["product.product"].create(
            {
                "name": "Installation",
                "type": "service",
                "list_price": 250.0,
                "invoice_policy": "order",
                "taxes_id": [Command.clear()],
            }
        )

    def _order(self, lines, **vals):
        return self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "date_order": "2024-03-05 10:00:00",
                **vals,
                "order_line": [
                    Command.create({"product_id": product.id, **line_vals})
                    for product, line_vals in lines
                ],
            }
        )

    @freeze_time("2024-03-05 10:00:00")
    def test_confirmed_order_creates_the_contract(self):
        order = self._order(
            [
                (self.subscription_product, {"product_uom_qty": 2, "price_unit": 45.0}),
                (self.setup_fee, {"product_uom_qty": 1}),
            ]
        )
        order.action_confirm()
        contract = order.zeron_contract_ids
        self.assertEqual(len(contract), 1)
        self.assertRecordValues(
            contract,
            [
                {
                    "partner_id": self.customer.id,
                    "state": "running",
                    "date_start": date(2024, 3, 5),
                    "origin": order.name,
                    "currency_id": order.currency_id.id,
                }
            ],
        )
        self.assertRecordValues(
            contract.line_ids,
            [
                {
                    "product_id": self.subscription_product.id,
                    "quantity": 2.0,
                    "price_unit": 45.0,
                    "date_start": date(2024, 3, 5),
                    "recurring_rule_type": "month",
                }
            ],
        )
        # the order invoices the setup fee only; the contract bills the service
        invoice = order._create_invoices()
        self.assertEqual(invoice.invoice_line_ids.product_id, self.setup_fee)
        self.assertEqual(self._invoice("2024-03-05", contract)["created"], 1)
        self.assertEqual(contract.invoice_ids.amount_untaxed, 90.0)

    @freeze_time("2024-03-05 10:00:00")
    def test_order_adds_lines_to_a_running_contract(self):
        contract = self._create_contract(start="2024-01-01")
        order = self._order(
            [(self.subscription_product, {"price_unit": 12.5})],
            zeron_contract_id=contract.id,
        )
        order.action_confirm()
        self.assertEqual(order.zeron_contract_ids, contract)
        self.assertEqual(contract.line_ids.mapped("price_unit"), [100.0, 12.5])
        self.assertEqual(contract.line_ids[-1].date_start, date(2024, 3, 5))

    def test_order_in_another_currency_is_refused(self):
        contract = self._create_contract(start="2024-01-01")
        pricelist = self.env["product.pricelist"].create(
            {"name": "EUR", "currency_id": self.other_currency.id}
        )
        order = self._order(
            [(self.subscription_product, {})],
            zeron_contract_id=contract.id,
            pricelist_id=pricelist.id,
        )
        with self.assertRaisesRegex(UserError, "field Add to Contract"):
            order.action_confirm()
        self.assertFalse(contract.line_ids[1:])

    def test_order_cannot_extend_another_customers_contract(self):
        other = self.env["res.partner"].create({"name": "Other Customer"})
        contract = self._create_contract(start="2024-01-01", partner_id=other.id)
        order = self._order(
            [(self.subscription_product, {})], zeron_contract_id=contract.id
        )
        with self.assertRaisesRegex(UserError, "belongs to Other Customer"):
            order.action_confirm()

    @freeze_time("2024-03-05 10:00:00")
    def test_one_time_fee_goes_with_the_first_contract_invoice(self):
        fee = self.env["product.product"].create(
            {
                "name": "Panel Installation",
                "type": "service",
                "zeron_one_time": True,
                "list_price": 300.0,
                "invoice_policy": "order",
                "taxes_id": [Command.clear()],
            }
        )
        # alone on an order, a one-time fee makes no contract
        alone = self._order([(fee, {})])
        alone.action_confirm()
        self.assertFalse(alone.zeron_contract_ids)
        self.assertEqual(alone.order_line.qty_to_invoice, 1.0)
        order = self._order(
            [
                (self.subscription_product, {"price_unit": 45.0}),
                (fee, {"product_uom_qty": 2}),
            ]
        )
        order.action_confirm()
        contract = order.zeron_contract_ids
        self.assertRecordValues(
            contract.line_ids,
            [
                {
                    "product_id": self.subscription_product.id,
                    "one_time": False,
                    "quantity": 1.0,
                },
                {"product_id": fee.id, "one_time": True, "quantity": 2.0},
            ],
        )
        # the contract bills the fee, the order does not
        self.assertEqual(order.order_line.mapped("qty_to_invoice"), [0.0, 0.0])
        self._invoice("2024-03-05", contract)
        self.assertEqual(contract.invoice_ids.amount_untaxed, 645.0)
        self._invoice("2024-04-05", contract)
        self.assertEqual(contract.invoice_ids.sorted("id")[1].amount_untaxed, 45.0)
        # a renewal offers the service again, never the fee
        self.assertEqual(
            contract._get_renewal_lines(date(2025, 3, 5)), contract.line_ids[0]
        )
