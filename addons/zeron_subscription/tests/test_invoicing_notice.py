from datetime import date

from odoo.tests import tagged

from odoo.addons.mail.tests.common import MockEmail

from .common import ZeronSubscriptionCommon


@tagged("post_install", "-at_install")
class TestInvoicingNotice(ZeronSubscriptionCommon, MockEmail):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.zeron_invoice_notice_days = 3
        cls.contract = cls._create_contract(
            start="2024-01-01",
            lines=[
                {"price_unit": 100.0},
                {"price_unit": 0.0, "date_end": "2024-02-15"},
            ],
        )

    def _notify(self, day):
        with self.mock_mail_gateway():
            return self.env["zeron.contract"]._send_invoicing_notices(day)

    def _digests(self):
        return self.env["mail.mail"].search(
            [("recipient_ids", "in", self.manager_user.partner_id.ids)]
        )

    def _activities(self, contract):
        todo = self.env.ref("mail.mail_activity_data_todo")
        return contract.activity_ids.filtered(lambda a: a.activity_type_id == todo)

    def test_digest_lists_due_lines_and_problems(self):
        self._invoice("2024-01-01")
        self.assertEqual(self.contract.next_invoice_date, date(2024, 2, 1))
        # 3 days ahead of 1 February, not sooner
        result = self._notify(date(2024, 1, 28))
        self.assertEqual(result["contracts"], 0)
        result = self._notify(date(2024, 1, 29))
        self.assertEqual(
            result, {"contracts": 1, "digests": 1, "skipped": 0, "failed": 0}
        )
        digest = self._digests()
        self.assertEqual(len(digest), 1)
        self.assertEqual(digest.subject, "Subscriptions to invoice: 1 contracts")
        self.assertEqual(digest.email_to, self.manager_user.email_formatted)
        rows = digest.body_html.split('class="o_zeron_digest_row"')[1:]
        self.assertEqual(len(rows), 2)
        for text in (
            self.contract.name,
            "Sofia Vaults Ltd",
            "Alarm Monitoring",
            "02/01/2024",
            "02/29/2024",
            "100.00",
        ):
            self.assertIn(text, rows[0])
        self.assertIn("02/15/2024", rows[1])
        self.assertIn("no price, the line ends on 02/15/2024", rows[1])
        activity = self._activities(self.contract)
        self.assertRecordValues(
            activity,
            [
                {
                    "user_id": self.manager_user.id,
                    "summary": "Invoicing due: Sofia Vaults Ltd",
                    "date_deadline": date(2024, 2, 1),
                }
            ],
        )
        self.assertIn("Alarm Monitoring", activity.note)
        self.assertEqual(self.contract.invoice_notice_date, date(2024, 2, 1))

    def test_rerun_announces_nothing_twice(self):
        self._invoice("2024-01-01")
        self._notify(date(2024, 1, 29))
        result = self._notify(date(2024, 1, 30))
        self.assertEqual(
            result, {"contracts": 0, "digests": 0, "skipped": 0, "failed": 0}
        )
        self.assertEqual(len(self._digests()), 1)
        self.assertEqual(len(self._activities(self.contract)), 1)
        # once invoiced, the next period is announced in its turn
        self._invoice("2024-02-01", contracts=self.contract)
        result = self._notify(date(2024, 2, 27))
        self.assertEqual(result["contracts"], 1)
        self.assertEqual(len(self._activities(self.contract)), 2)

    def test_manual_contract_reminder(self):
        manual_customer = self.env["res.partner"].create({"name": "Ruse Cleaning"})
        self.manual_contract = self._create_contract(
            start="2024-01-15",
            lines=[{"price_unit": 40.0}],
            partner_id=manual_customer.id,
            invoicing_mode="manual",
        )
        result = self._notify(date(2024, 1, 13))
        self.assertEqual(result["contracts"], 2)
        activity = self._activities(self.manual_contract)
        self.assertEqual(activity.summary, "Invoice manually: Ruse Cleaning")
        self.assertEqual(activity.date_deadline, date(2024, 1, 15))
        self.assertIn("Customer Ruse Cleaning, contract", activity.note)
        self.assertIn("Alarm Monitoring: 01/15/2024 – 02/14/2024", activity.note)
        # one digest for both contracts of the same responsible
        self.assertEqual(len(self._digests()), 1)
        self.assertEqual(
            self._digests().subject, "Subscriptions to invoice: 2 contracts"
        )

    def test_notice_days_setting(self):
        self.env.company.zeron_invoice_notice_days = 10
        self._invoice("2024-01-01")
        result = self._notify(date(2024, 1, 22))
        self.assertEqual(result["contracts"], 1)
