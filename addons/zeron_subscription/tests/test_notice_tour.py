from odoo import Command
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestInvoiceSendingTour(HttpCase):
    def test_contract_invoiced_and_sent_in_the_web_client(self):
        self.env["product.product"].create(
            {
                "name": "Tour Alarm Service",
                "type": "service",
                "zeron_is_subscription": True,
                "list_price": 35.0,
                "taxes_id": [Command.clear()],
            }
        )
        customer = self.env["res.partner"].create(
            {"name": "Tour Mail Customer", "email": "tour@customer.example.com"}
        )
        self.start_tour(
            "/odoo/action-zeron_subscription.zeron_contract_action",
            "zeron_invoice_sending_tour",
            login="admin",
        )
        contract = self.env["zeron.contract"].search([("partner_id", "=", customer.id)])
        invoice = contract.invoice_ids
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.amount_total, 35.0)
        self.assertEqual(invoice.zeron_delivery_state, "sent")
        mail = self.env["mail.mail"].search(
            [("model", "=", "account.move"), ("res_id", "=", invoice.id)]
        )
        message = self.env["mail.message"].search(
            [
                ("model", "=", "account.move"),
                ("res_id", "=", invoice.id),
                ("message_type", "=", "comment"),
            ]
        )
        self.assertEqual(message.partner_ids, customer)
        self.assertEqual(
            message.attachment_ids.mapped("name"),
            [invoice._get_invoice_report_filename()],
        )
        self.assertTrue(mail or message.notification_ids)
