from datetime import date

from odoo import Command
from odoo.tests import tagged

from odoo.addons.mail.tests.common import MockEmail
from odoo.addons.sms.tests.common import SMSCase

from .common import ZeronSubscriptionCommon


@tagged("post_install", "-at_install")
class TestExpiryWarnings(ZeronSubscriptionCommon, MockEmail, SMSCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.mobile = "+359881234567"
        cls.env.company.email = "billing@zeron.example.com"
        cls.stage_60 = cls.env.ref("zeron_subscription.zeron_expiry_stage_60")
        cls.stage_30 = cls.env.ref("zeron_subscription.zeron_expiry_stage_30")
        cls.stage_7 = cls.env.ref("zeron_subscription.zeron_expiry_stage_7")
        # a one-year term ending on 31 December 2024
        cls.contract = cls._create_contract(start="2024-01-01", term_months=12)

    def _warn(self, day, contracts=None):
        contracts = contracts or self.env["zeron.contract"]
        with self.mock_mail_gateway(), self.mockSMSGateway():
            return contracts._send_expiry_warnings(day)

    def _customer_mails(self, partner=None):
        return self.env["mail.mail"].search(
            [
                ("model", "=", "zeron.contract"),
                ("recipient_ids", "in", (partner or self.customer).ids),
            ]
        )

    def test_stages_by_email(self):
        self.assertEqual(
            self.contract._get_expiry_reference_date(date(2024, 6, 1)),
            date(2024, 12, 31),
        )
        self.assertEqual(self._warn(date(2024, 10, 31))["sent"], 0)
        result = self._warn(date(2024, 11, 1))
        self.assertEqual(result, {"sent": 1, "skipped": 0, "failed": 0})
        mail = self._customer_mails()
        self.assertEqual(len(mail), 1)
        self.assertEqual(
            mail.subject,
            "company_1_data: contract %s ends on 12/31/2024" % self.contract.name,
        )
        self.assertIn("ends on\n                    12/31/2024", mail.body_html)
        self.assertIn("Alarm Monitoring", mail.body_html)
        self.assertRecordValues(
            self.contract.notice_ids,
            [
                {
                    "kind": "expiry",
                    "stage_id": self.stage_60.id,
                    "reference_date": date(2024, 12, 31),
                    "channels": "email",
                    "state": "sent",
                    "error": False,
                }
            ],
        )
        self.assertIn(
            "Expiry Warning (60 days before) sent by Email.",
            self.contract.message_ids[0].body,
        )
        # the next stage comes 30 days before the end
        self.assertEqual(self._warn(date(2024, 11, 2))["sent"], 0)
        self.assertEqual(self._warn(date(2024, 12, 1))["sent"], 1)
        self.assertEqual(self._warn(date(2024, 12, 24))["sent"], 1)
        self.assertEqual(
            self.contract.notice_ids.stage_id,
            self.stage_60 | self.stage_30 | self.stage_7,
        )
        self.assertEqual(len(self._customer_mails()), 3)

    def test_rerun_sends_nothing_twice(self):
        self._warn(date(2024, 11, 1))
        result = self._warn(date(2024, 11, 1))
        self.assertEqual(result, {"sent": 0, "skipped": 1, "failed": 0})
        self.assertEqual(len(self._customer_mails()), 1)
        self.assertEqual(len(self.contract.notice_ids), 1)

    def test_late_contract_gets_only_the_closest_stage(self):
        late = self._create_contract(start="2024-12-11", term_months=1)
        self._warn(date(2024, 12, 20), contracts=late)
        self.assertEqual(late.notice_ids.stage_id, self.stage_30)

    def test_sms_and_letter(self):
        self.contract.write(
            {"notice_by_email": False, "notice_by_sms": True, "notice_by_letter": True}
        )
        self.customer.write({"street": "1 Vitosha Blvd", "city": "Sofia"})
        result = self._warn(date(2024, 11, 1))
        self.assertEqual(result["sent"], 1)
        self.assertSMSOutgoing(
            self.customer,
            "+359881234567",
            content="company_1_data: your contract %s ends on 12/31/2024."
            % self.contract.name,
        )
        self.assertFalse(self._customer_mails())
        notice = self.contract.notice_ids
        self.assertEqual(notice.channels, "sms,letter")
        letter = notice.letter_id
        self.assertRecordValues(
            letter,
            [
                {
                    "kind": "expiry",
                    "partner_id": self.customer.id,
                    "reference_date": date(2024, 12, 31),
                    "stage_id": self.stage_60.id,
                }
            ],
        )
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "zeron_subscription.zeron_letter_document_report", letter.ids
            )[0]
            .decode()
        )
        self.assertIn("Your contract ends on", html)
        self.assertIn("12/31/2024", html)

    def test_failing_recipient_is_logged_and_does_not_stop_the_rest(self):
        nobody = self.env["res.partner"].create({"name": "Unreachable Ltd"})
        unreachable = self._create_contract(
            start="2024-01-01", term_months=12, partner_id=nobody.id
        )
        unreachable.notice_by_sms = True
        result = self._warn(date(2024, 11, 1))
        self.assertEqual(result, {"sent": 1, "skipped": 0, "failed": 1})
        self.assertEqual(len(self._customer_mails()), 1)
        notice = unreachable.notice_ids
        self.assertEqual(notice.state, "failed")
        self.assertEqual(
            notice.error,
            "Email: customer Unreachable Ltd has no email address\n"
            "SMS: customer Unreachable Ltd has no mobile number",
        )
        self.assertIn("could not be sent", unreachable.message_ids[0].body)
        self.assertIn("has no mobile number", unreachable.message_ids[0].body)
        # logged: not retried the next day
        self.assertEqual(self._warn(date(2024, 11, 2))["failed"], 0)

    def test_default_channels_follow_delivery(self):
        contract = self._create_contract(invoice_delivery="post")
        self.assertEqual(contract._get_notice_channels(), ["letter"])
        self.assertEqual(self.contract._get_notice_channels(), ["email"])

    def test_tacit_renewal_warns_before_each_term_end(self):
        self.contract.renewal_type = "tacit"
        self._warn(date(2025, 11, 1))
        self.assertEqual(self.contract.notice_ids.reference_date, date(2025, 12, 31))
        self.assertIn(
            "Unless you cancel it by 12/31/2025, it renews for another term",
            " ".join(self._customer_mails().body_html.split()),
        )

    def test_tacit_renewal_counts_down_to_the_last_day_to_cancel(self):
        self.contract.write({"renewal_type": "tacit", "notice_days": 30})
        self.assertEqual(
            self.contract._get_expiry_reference_date(date(2024, 6, 1)),
            date(2024, 12, 1),
        )
        self._warn(date(2024, 11, 24))
        self.assertEqual(self.contract.notice_ids.stage_id, self.stage_7)
        self.assertEqual(self.contract.notice_ids.reference_date, date(2024, 12, 1))
        body = self._customer_mails().body_html
        self.assertIn("ends on 12/31/2024", " ".join(body.split()))
        self.assertIn("Unless you cancel it by 12/01/2024", " ".join(body.split()))
        # past the deadline, the next term's deadline counts
        self.assertEqual(
            self.contract._get_expiry_reference_date(date(2024, 12, 5)),
            date(2025, 12, 1),
        )

    def test_announcement_once(self):
        with self.mock_mail_gateway(), self.mockSMSGateway():
            notices = self.contract._announce("price", date(2025, 1, 1))
            self.assertFalse(self.contract._announce("price", date(2025, 1, 1)))
        self.assertEqual(notices.kind, "price")
        self.assertIn(
            "the prices of your contract %s change" % self.contract.name,
            self._customer_mails().body_html,
        )
        self.assertEqual(len(self._customer_mails()), 1)

    def test_price_revision_wizard_announces_once(self):
        self.contract.write({"notice_by_sms": True})
        with self.mock_mail_gateway(), self.mockSMSGateway():
            for _run in range(2):
                self.env["zeron.price.revision"].create(
                    {
                        "contract_ids": self.contract.ids,
                        "date_from": "2024-07-01",
                        "percent": 10.0,
                        "announce": True,
                    }
                ).action_apply()
        notice = self.contract.notice_ids
        self.assertRecordValues(
            notice,
            [
                {
                    "kind": "price",
                    "reference_date": date(2024, 7, 1),
                    "channels": "email,sms",
                }
            ],
        )
        self.assertEqual(len(self._customer_mails()), 1)
        self.assertSMSOutgoing(
            self.customer,
            "+359881234567",
            content="the prices of your contract %s change from 07/01/2024."
            % self.contract.name,
        )

    def test_other_company(self):
        other_company = self.setup_other_company(name="Zeron Burgas")["company"]
        other_company.email = "varna@zeron.example.com"
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
                    "term_months": 12,
                    "line_ids": [
                        Command.create({"product_id": product.id, "price_unit": 10.0})
                    ],
                }
            )
        )
        contract.action_start()
        with self.mock_mail_gateway(), self.mockSMSGateway():
            self.env["zeron.contract"].with_context(
                allowed_company_ids=(self.env.company | other_company).ids
            )._cron_send_expiry_warnings()
        # the cron runs on today's date: only check both companies were searched
        self.assertEqual(
            self.env["zeron.contract"]
            .with_context(allowed_company_ids=(self.env.company | other_company).ids)
            .search_count(self.env["zeron.contract"]._get_expiry_warning_domain()),
            2,
        )
        result = self._warn(date(2024, 11, 1), contracts=self.contract | contract)
        self.assertEqual(result["sent"], 2)
        self.assertEqual(contract.notice_ids.stage_id, self.stage_60)
