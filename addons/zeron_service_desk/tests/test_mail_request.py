from odoo.tests import tagged

from .common import ZeronServiceDeskCommon

REQUEST_EMAIL = """Return-Path: <{email_from}>
To: {to}
From: {email_from}
Subject: {subject}
Message-ID: <{msg_id}@mail.example.com>
Date: Fri, 01 Mar 2024 08:15:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

{body}
"""


@tagged("post_install", "-at_install")
class TestMailRequest(ZeronServiceDeskCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alias_domain = cls.env["mail.alias.domain"].create(
            {"name": "desk.zeron.example.com"}
        )
        cls.project.write(
            {"alias_name": "support", "alias_domain_id": cls.alias_domain.id}
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Vault Clerk",
                "email": "clerk@vaults.example.com",
                "parent_id": cls.customer.id,
            }
        )

    def _receive(self, email_from, subject, msg_id):
        return self.env["mail.thread"].message_process(
            False,
            REQUEST_EMAIL.format(
                email_from=email_from,
                to="support@desk.zeron.example.com",
                subject=subject,
                msg_id=msg_id,
                body="The alarm panel beeps every night.",
            ),
        )

    def test_email_creates_a_service_task_for_the_sender(self):
        self._create_support_contract(start="2024-01-01")
        task_id = self._receive(
            '"Vault Clerk" <clerk@vaults.example.com>', "Alarm panel beeps", "req-1"
        )
        task = self.env["project.task"].browse(task_id)
        self.assertRecordValues(
            task,
            [
                {
                    "name": "Alarm panel beeps",
                    "project_id": self.project.id,
                    "partner_id": self.contact.id,
                    "zeron_request_channel": "email",
                    "zeron_service_product_id": self.support_product.id,
                    "zeron_coverage_state": "covered",
                }
            ],
        )
        self.assertIn("every night", str(task.description))

    def test_unknown_sender_gets_a_contact_without_coverage(self):
        task = self.env["project.task"].browse(
            self._receive("stranger@else.example.com", "Need help", "req-2")
        )
        self.assertEqual(task.partner_id.email, "stranger@else.example.com")
        self.assertEqual(task.zeron_coverage_state, "no_contract")
        self.assertEqual(task.zeron_request_channel, "email")
