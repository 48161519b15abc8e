from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import ZeronServiceDeskCommon


@tagged("post_install", "-at_install")
class TestSecurity(ZeronServiceDeskCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract = cls._create_support_contract(start="2024-01-01")
        cls.plan = cls.env["zeron.visit.plan"].create(
            {
                "name": "Monthly cleaning",
                "line_id": cls.contract.line_ids.id,
                "project_id": cls.project.id,
                "date_first": "2024-01-10",
            }
        )
        cls.other_company = cls.setup_other_company()["company"]
        cls.other_user = new_test_user(
            cls.env,
            login="zeron_sd_other_company",
            groups="base.group_user,project.group_project_manager,"
            "zeron_subscription.zeron_contract_group_manager",
            company_id=cls.other_company.id,
            company_ids=[Command.set(cls.other_company.ids)],
        )
        cls.portal_partner = cls.env["res.partner"].create({"name": "Portal Vault"})
        cls.portal_user = new_test_user(
            cls.env,
            login="zeron_sd_portal",
            groups="base.group_portal",
            partner_id=cls.portal_partner.id,
        )
        cls.task = cls._create_task(zeron_request_date="2024-03-01")
        cls.own_task = cls._create_task(
            name="Portal request", partner_id=cls.portal_partner.id
        )

    def test_other_company_cannot_read(self):
        plans = self.env["zeron.visit.plan"].with_user(self.other_user)
        self.assertFalse(plans.search([]))
        with self.assertRaises(AccessError):
            plans.browse(self.plan.id).read(["name"])
        with self.assertRaises(AccessError):
            self.task.with_user(self.other_user).read(["name"])

    def test_technicians_see_the_service_tasks_of_their_projects(self):
        tasks = self.env["project.task"].with_user(self.tech_a)
        self.assertFalse(tasks.search([("id", "=", self.task.id)]))
        with self.assertRaises(AccessError):
            self.task.with_user(self.tech_a).read(["name"])
        self.project.message_subscribe(self.tech_a.partner_id.ids)
        self.assertEqual(tasks.search([("id", "=", self.task.id)]), self.task)
        values = self.task.with_user(self.tech_a).read(
            ["zeron_coverage_state", "zeron_contract_id", "zeron_contract_line_id"]
        )[0]
        self.assertEqual(values["zeron_coverage_state"], "covered")
        self.assertEqual(values["zeron_contract_id"][0], self.contract.id)
        # technicians log time on covered tasks without reading contracts
        self.project.allow_timesheets = True
        with self.assertRaises(AccessError):
            self.contract.with_user(self.tech_a).read(["name"])
        timesheet = (
            self.env["account.analytic.line"]
            .with_user(self.tech_a)
            .create(
                {
                    "name": "Checked the panel",
                    "task_id": self.task.id,
                    "project_id": self.project.id,
                    "date": "2024-03-04",
                    "unit_amount": 1.0,
                }
            )
        )
        self.assertEqual(timesheet.zeron_coverage, "covered")
        self.assertEqual(timesheet.sudo().zeron_contract_id, self.contract)
        # technicians read plans, only managers change them
        self.assertEqual(
            self.env["zeron.visit.plan"].with_user(self.tech_a).search([]), self.plan
        )
        with self.assertRaises(AccessError):
            self.plan.with_user(self.tech_a).write({"name": "Changed"})

    def test_portal_user_sees_only_own_requests(self):
        tasks = self.env["project.task"].with_user(self.portal_user)
        self.assertEqual(tasks.search([]), self.own_task)
        with self.assertRaises(AccessError):
            self.task.with_user(self.portal_user).read(["name"])
        with self.assertRaises(AccessError):
            self.own_task.with_user(self.portal_user).write({"name": "Changed"})
        with self.assertRaises(AccessError):
            self.env["zeron.visit.plan"].with_user(self.portal_user).search([])
