from odoo import Command, fields
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestContractTour(HttpCase):
    def test_contract_made_and_invoiced_in_the_web_client(self):
        self.env["product.product"].create(
            {
                "name": "Tour Safe Deposit",
                "type": "service",
                "zeron_is_subscription": True,
                "list_price": 42.0,
                "taxes_id": [Command.clear()],
            }
        )
        customer = self.env["res.partner"].create({"name": "Tour Vault Customer"})
        self.start_tour(
            "/odoo/action-zeron_subscription.zeron_contract_action",
            "zeron_contract_tour",
            login="admin",
        )
        contract = self.env["zeron.contract"].search([("partner_id", "=", customer.id)])
        self.assertEqual(contract.state, "running")
        invoice = contract.invoice_ids
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.amount_total, 42.0)
        self.assertEqual(
            invoice.invoice_line_ids.zeron_period_start,
            fields.Date.context_today(contract),
        )
