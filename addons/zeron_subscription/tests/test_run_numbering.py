from odoo import Command
from odoo.tests import tagged

from .common import ZeronSubscriptionCommon


@tagged("post_install", "-at_install")
class TestRunNumbering(ZeronSubscriptionCommon):
    """The run numbers, subscribes and checks its invoices per batch."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = cls.env["res.partner"].create(
            [{"name": f"Numbering customer {n}"} for n in range(3)]
        )
        cls.journal = cls.company_data["default_journal_sale"]

    def _contracts(self, start):
        return self.env["zeron.contract"].concat(
            *(
                self._create_contract(start=start, partner_id=customer.id)
                for customer in self.customers
            )
        )

    def _run_invoices(self, contracts):
        return self.env["account.move"].search(
            [("zeron_contract_id", "in", contracts.ids)], order="name"
        )

    def _manual_invoice(self, date):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": date,
                "journal_id": self.journal.id,
                "invoice_line_ids": [
                    Command.create({"name": "Consulting", "price_unit": 10.0})
                ],
            }
        )
        invoice.action_post()
        return invoice

    def test_numbers_follow_the_journal_without_gaps(self):
        manual = self._manual_invoice("2026-03-01")
        contracts = self._contracts("2026-03-01")
        self._invoice("2026-03-01", contracts)
        invoices = self._run_invoices(contracts)
        prefix = manual.sequence_prefix
        self.assertRecordValues(
            invoices,
            [
                {
                    "state": "posted",
                    "name": f"{prefix}{number:05d}",
                    "sequence_prefix": prefix,
                    "sequence_number": number,
                    "made_sequence_gap": False,
                    "checked": True,
                    "payment_reference": f"{prefix}{number:05d}",
                }
                for number in range(
                    manual.sequence_number + 1, manual.sequence_number + 4
                )
            ],
        )
        for invoice in invoices:
            self.assertIn(invoice.partner_id, invoice.message_partner_ids)
        # a person's invoice afterwards takes the next number
        after = self._manual_invoice("2026-03-01")
        self.assertEqual(after.sequence_number, manual.sequence_number + 4)
        self.assertFalse(after.made_sequence_gap)

    def test_first_invoices_of_a_new_year(self):
        self._manual_invoice("2026-12-01")
        contracts = self._contracts("2027-01-01")
        self._invoice("2027-01-01", contracts)
        invoices = self._run_invoices(contracts)
        self.assertEqual(invoices.mapped("sequence_number"), [1, 2, 3])
        self.assertEqual(len(set(invoices.mapped("sequence_prefix"))), 1)
        self.assertIn("2027", invoices[0].sequence_prefix)
        self.assertFalse(any(invoices.mapped("made_sequence_gap")))

    def test_drafts_for_review_get_no_number(self):
        self.env.company.zeron_invoice_auto_post = False
        contracts = self._contracts("2026-03-01")
        self._invoice("2026-03-01", contracts)
        invoices = self._run_invoices(contracts)
        self.assertEqual(set(invoices.mapped("state")), {"draft"})
        self.assertEqual(set(invoices.mapped("name")), {"/"})
        invoices.action_post()
        self.assertEqual(len(set(invoices.mapped("name"))), 3)
        self.assertNotIn("/", invoices.mapped("name"))
