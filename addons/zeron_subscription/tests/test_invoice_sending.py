import io

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tools.pdf import PdfFileReader

from odoo.addons.mail.tests.common import MockEmail

from .common import ZeronSubscriptionCommon


class InvoiceSendingCommon(ZeronSubscriptionCommon, MockEmail):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.postal_customer = cls.env["res.partner"].create(
            {
                "name": "Plovdiv Guards Ltd",
                "street": "12 Main Street",
                "zip": "4000",
                "city": "Plovdiv",
                "country_id": cls.env.ref("base.bg").id,
            }
        )
        cls.silent_customer = cls.env["res.partner"].create({"name": "No Mail Ltd"})
        cls.email_contract = cls._create_contract(lines=[{"price_unit": 100.0}])
        cls.post_contract = cls._create_contract(
            lines=[{"price_unit": 60.0}],
            partner_id=cls.postal_customer.id,
            invoice_delivery="post",
        )
        cls.silent_contract = cls._create_contract(
            lines=[{"price_unit": 30.0}], partner_id=cls.silent_customer.id
        )

    def _send(self):
        return self.env["account.move"]._cron_zeron_send_invoices()


@tagged("post_install", "-at_install")
class TestInvoiceSending(InvoiceSendingCommon):
    def test_posted_invoices_wait_for_sending(self):
        self._invoice("2024-01-01")
        invoices = (
            self.email_contract | self.post_contract | self.silent_contract
        ).invoice_ids
        self.assertEqual(len(invoices), 3)
        self.assertEqual(set(invoices.mapped("zeron_delivery_state")), {"to_send"})

    def test_send_by_email_and_post(self):
        self._invoice("2024-01-01")
        with self.mock_mail_gateway():
            result = self._send()
        self.assertEqual(result, {"emailed": 1, "posted": 1, "skipped": 0, "failed": 1})
        invoice = self.email_contract.invoice_ids
        self.assertEqual(invoice.zeron_delivery_state, "sent")
        self.assertTrue(invoice.is_move_sent)
        mail = self.env["mail.mail"].search(
            [("model", "=", "account.move"), ("res_id", "=", invoice.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.customer)
        self.assertEqual(
            mail.attachment_ids.mapped("name"),
            [invoice._get_invoice_report_filename()],
        )
        self.assertIn(invoice.name, mail.subject)
        self.assertIn(
            "Invoice %s emailed to Sofia Vaults Ltd." % invoice.name,
            self.email_contract.message_ids[0].body,
        )
        # by post: queued as a letter of the open batch, nothing emailed
        post_invoice = self.post_contract.invoice_ids
        self.assertEqual(post_invoice.zeron_delivery_state, "to_print")
        letter = post_invoice.zeron_letter_ids
        self.assertRecordValues(
            letter,
            [
                {
                    "kind": "invoice",
                    "partner_id": self.postal_customer.id,
                    "contract_id": self.post_contract.id,
                }
            ],
        )
        self.assertEqual(letter.batch_id.state, "draft")
        self.assertFalse(
            self.env["mail.mail"].search(
                [("model", "=", "account.move"), ("res_id", "=", post_invoice.id)]
            )
        )
        # no email address: flagged and logged on the contract, the rest went out
        silent_invoice = self.silent_contract.invoice_ids
        self.assertEqual(silent_invoice.zeron_delivery_state, "failed")
        self.assertIn(
            "could not be sent: customer No Mail Ltd has no email address",
            self.silent_contract.message_ids[0].body,
        )

    def test_rerun_sends_nothing_twice(self):
        self._invoice("2024-01-01")
        with self.mock_mail_gateway():
            self._send()
            result = self._send()
        self.assertEqual(result, {"emailed": 0, "posted": 0, "skipped": 0, "failed": 0})
        invoice = self.email_contract.invoice_ids
        self.assertEqual(
            self.env["mail.mail"].search_count(
                [("model", "=", "account.move"), ("res_id", "=", invoice.id)]
            ),
            1,
        )
        self.assertEqual(len(self.post_contract.invoice_ids.zeron_letter_ids), 1)
        # the next month's invoices join the same open batch
        self._invoice("2024-02-01")
        with self.mock_mail_gateway():
            result = self._send()
        self.assertEqual(result["emailed"], 1)
        self.assertEqual(result["posted"], 1)
        self.assertEqual(len(self.env["zeron.letter.batch"].search([])), 1)

    def test_batches(self):
        self._invoice("2024-01-01")
        self._invoice("2024-02-01")
        moves = self.env["account.move"].search(
            self.env["account.move"]._get_zeron_invoices_to_send_domain()
        )
        self.assertEqual(len(moves), 6)
        with self.mock_mail_gateway():
            result = moves._zeron_send_invoices(batch_size=2)
        self.assertEqual(result, {"emailed": 2, "posted": 2, "skipped": 0, "failed": 2})

    def test_other_company(self):
        other_company = self.setup_other_company(name="Zeron Varna")["company"]
        self.env.user.company_ids += other_company
        product = self.subscription_product.with_company(other_company)
        contract = (
            self.env["zeron.contract"]
            .with_company(other_company)
            .create(
                {
                    "partner_id": self.customer.id,
                    "company_id": other_company.id,
                    "date_start": "2024-01-01",
                    "line_ids": [
                        Command.create({"product_id": product.id, "price_unit": 10.0})
                    ],
                }
            )
        )
        contract.action_start()
        self._invoice("2024-01-01", contracts=contract)
        self._invoice("2024-01-01")
        self.assertEqual(len(contract.invoice_ids), 1)
        with self.mock_mail_gateway():
            result = self._send()
        self.assertEqual(result["emailed"], 2)
        self.assertEqual(contract.invoice_ids.zeron_delivery_state, "sent")


@tagged("post_install", "-at_install")
class TestLetterBatch(InvoiceSendingCommon, HttpCase):
    def _queue_post_invoices(self):
        self._invoice("2024-01-01")
        with self.mock_mail_gateway():
            self._send()
        return self.post_contract.invoice_ids.zeron_letter_ids.batch_id

    def test_address_page_fits_the_envelope_window(self):
        batch = self._queue_post_invoices()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "zeron_subscription.zeron_letter_address_report", batch.letter_ids.ids
            )[0]
            .decode()
        )
        self.assertIn("top: 53mm; left: 25mm; width: 85mm", html)
        self.assertIn("Plovdiv Guards Ltd", html)
        self.assertIn("12 Main Street", html)
        self.assertIn("Plovdiv  4000", html)
        self.assertIn("company_1_data, United States", html)
        self.assertIn(self.post_contract.invoice_ids.name, html)

    def test_print_batch_merged_pdf(self):
        batch = self._queue_post_invoices()
        expiry_letter = self.post_contract._queue_notice_letter(
            "expiry", self.post_contract.date_start
        )
        self.assertEqual(expiry_letter.batch_id, batch)
        # wkhtmltopdf loads the report assets from this test's HTTP server
        batch.with_context(force_report_rendering=True).action_print()
        self.assertEqual(batch.state, "printed")
        self.assertTrue(batch.date_printed)
        self.assertEqual(batch.printed_by_id, self.env.user)
        pdf = batch.attachment_id.raw
        self.assertTrue(pdf.startswith(b"%PDF"))
        reader = PdfFileReader(io.BytesIO(pdf))
        # two letters: an address page and at least one page of document each
        self.assertGreaterEqual(reader.getNumPages(), 4)
        invoice = self.post_contract.invoice_ids
        self.assertEqual(invoice.zeron_delivery_state, "printed")
        self.assertTrue(invoice.is_move_sent)
        # a printed batch is closed: new letters open a new one
        self._invoice("2024-02-01")
        with self.mock_mail_gateway():
            self._send()
        self.assertNotEqual(
            self.post_contract.invoice_ids.zeron_letter_ids.batch_id, batch
        )
        with self.assertRaises(UserError):
            batch._print()

    def test_reminder_letter_html(self):
        letter = self.post_contract._queue_notice_letter(
            "expiry", fields.Date.to_date("2024-12-31")
        )
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "zeron_subscription.zeron_letter_document_report", letter.ids
            )[0]
            .decode()
        )
        self.assertIn("Your contract %s is ending" % self.post_contract.name, html)
        self.assertIn("Your contract ends on", html)
        self.assertIn("12/31/2024", html)
        self.assertIn("Alarm Monitoring", html)
