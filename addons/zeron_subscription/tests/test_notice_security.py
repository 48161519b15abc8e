from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import ZeronSubscriptionCommon


@tagged("post_install", "-at_install")
class TestNoticeSecurity(ZeronSubscriptionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract = cls._create_contract(start="2024-01-01", invoice_delivery="post")
        cls.letter = cls.contract._queue_notice_letter(
            "expiry", cls.contract.date_start
        )
        cls.notice = cls.env["zeron.contract.notice"].create(
            {
                "contract_id": cls.contract.id,
                "kind": "expiry",
                "key": "expiry:test",
                "state": "sent",
            }
        )
        cls.other_company = cls.setup_other_company()["company"]
        cls.other_user = new_test_user(
            cls.env,
            login="zeron_notice_other",
            groups="base.group_user,zeron_subscription.zeron_contract_group_manager",
            company_id=cls.other_company.id,
            company_ids=[Command.set(cls.other_company.ids)],
        )
        cls.clerk = new_test_user(
            cls.env,
            login="zeron_notice_clerk",
            groups="base.group_user,zeron_subscription.zeron_contract_group_user",
        )
        cls.portal_user = new_test_user(
            cls.env, login="zeron_notice_portal", groups="base.group_portal"
        )

    def test_other_company_cannot_read(self):
        for record in (self.notice, self.letter, self.letter.batch_id):
            with self.subTest(model=record._name):
                self.assertFalse(
                    record.with_user(self.other_user).search([("id", "=", record.id)])
                )
                with self.assertRaises(AccessError):
                    record.with_user(self.other_user).read(["display_name"])

    def test_clerk_reads_but_does_not_delete(self):
        for record in (self.notice, self.letter.batch_id):
            with self.subTest(model=record._name):
                record.with_user(self.clerk).read(["display_name"])
                with self.assertRaises(AccessError):
                    record.with_user(self.clerk).unlink()
        with self.assertRaises(AccessError):
            self.notice.with_user(self.clerk).write({"error": "edited"})

    def test_portal_user_has_no_access(self):
        for record in (self.notice, self.letter, self.letter.batch_id):
            with self.subTest(model=record._name):
                with self.assertRaises(AccessError):
                    record.with_user(self.portal_user).read(["display_name"])

    def test_stages_shared_or_per_company(self):
        stage = self.env["zeron.expiry.stage"].create(
            {"name": "90 days", "days_before": 90, "company_id": self.env.company.id}
        )
        stages = self.env["zeron.expiry.stage"].with_user(self.other_user)
        self.assertNotIn(stage, stages.search([]))
        self.assertIn(
            self.env.ref("zeron_subscription.zeron_expiry_stage_30"), stages.search([])
        )
