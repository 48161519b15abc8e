from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import ZeronServiceDeskCommon


@tagged("post_install", "-at_install")
class TestVisitPlan(ZeronServiceDeskCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract = cls._create_support_contract(start="2024-01-01")
        cls.plan = cls.env["zeron.visit.plan"].create(
            {
                "name": "Monthly alarm inspection",
                "line_id": cls.contract.line_ids.id,
                "project_id": cls.project.id,
                "user_ids": [Command.set(cls.tech_a.ids)],
                "interval_number": 1,
                "interval_type": "month",
                "date_first": "2024-01-31",
                "hour_start": 9.0,
                "duration": 1.5,
                "tz": "Europe/Sofia",
                "lead_days": 30,
            }
        )

    def test_visits_generated_once_with_events_across_dst(self):
        self.assertEqual(str(self.plan.date_next), "2024-01-31")
        with freeze_time("2024-03-15 10:00:00"):
            counts = self.env["zeron.visit.plan"]._cron_generate_visits()
        self.assertEqual(counts["created"], 3)
        tasks = self.plan.task_ids.sorted("zeron_planned_start")
        # month ends do not drift, and 09:00 in Sofia is 07:00 UTC in winter,
        # 06:00 UTC from 31 March (daylight saving time)
        self.assertEqual(
            tasks.mapped("zeron_planned_start"),
            [
                datetime(2024, 1, 31, 7, 0),
                datetime(2024, 2, 29, 7, 0),
                datetime(2024, 3, 31, 6, 0),
            ],
        )
        self.assertEqual(tasks[2].zeron_planned_end, datetime(2024, 3, 31, 7, 30))
        for task in tasks:
            self.assertEqual(task.zeron_coverage_state, "covered")
            self.assertEqual(task.zeron_event_id.start, task.zeron_planned_start)
            self.assertEqual(
                task.zeron_event_id.attendee_ids.partner_id, self.tech_a.partner_id
            )
        self.assertEqual(str(self.plan.date_next), "2024-04-30")
        with freeze_time("2024-03-15 10:00:00"):
            counts = self.env["zeron.visit.plan"]._cron_generate_visits()
        self.assertEqual(counts["created"], 0, "a second run creates nothing")
        self.assertEqual(len(self.plan.task_ids), 3)

    def test_visits_stop_at_the_line_end(self):
        self.contract.line_ids.date_end = "2024-02-29"
        with freeze_time("2024-06-01 10:00:00"):
            self.plan.action_generate_visits()
        self.assertEqual(len(self.plan.task_ids), 2)
        self.assertFalse(self.plan.date_next)

    def test_visits_skip_the_days_of_a_suspension(self):
        self.contract.action_suspend("2024-02-10")
        with freeze_time("2024-03-01 10:00:00"):
            counts = self.env["zeron.visit.plan"]._cron_generate_visits()
        self.assertEqual(counts["created"], 0, "a suspended contract waits")
        self.assertFalse(self.plan.task_ids)
        self.contract.action_resume("2024-03-05")
        with freeze_time("2024-03-15 10:00:00"):
            self.plan.action_generate_visits()
        # 29 February falls in the suspension (10 February - 4 March)
        self.assertEqual(
            [
                str(d)
                for d in self.plan.task_ids.sorted("zeron_request_date").mapped(
                    "zeron_request_date"
                )
            ],
            ["2024-01-31", "2024-03-31"],
        )
        self.assertEqual(self.plan.visit_count, 3)
        self.assertEqual(str(self.plan.date_next), "2024-04-30")

    def test_quarterly_plan(self):
        self.plan.write({"interval_type": "quarter", "date_first": "2024-01-15"})
        with freeze_time("2024-12-01 10:00:00"):
            self.plan.action_generate_visits()
        self.assertEqual(
            [
                str(d)
                for d in self.plan.task_ids.sorted("zeron_request_date").mapped(
                    "zeron_request_date"
                )
            ],
            ["2024-01-15", "2024-04-15", "2024-07-15", "2024-10-15"],
        )

    def test_cron_runs_for_every_company(self):
        other_company = self.setup_other_company()["company"]
        other_company.partner_id.tz = "Europe/Sofia"
        customer = self.env["res.partner"].create(
            {"name": "Second Company Customer", "company_id": other_company.id}
        )
        contract = (
            self.env["zeron.contract"]
            .with_company(other_company)
            .create(
                {
                    "partner_id": customer.id,
                    "company_id": other_company.id,
                    "date_start": "2024-01-01",
                    "line_ids": [
                        Command.create(
                            {"product_id": self.support_product.id, "price_unit": 10.0}
                        )
                    ],
                }
            )
        )
        contract.action_start()
        project = self.env["project.project"].create(
            {
                "name": "Second Desk",
                "zeron_is_service": True,
                "company_id": other_company.id,
            }
        )
        other_plan = self.env["zeron.visit.plan"].create(
            {
                "name": "Quarterly alarm inspection",
                "line_id": contract.line_ids.id,
                "project_id": project.id,
                "interval_type": "quarter",
                "date_first": "2024-02-01",
                "tz": "Europe/Sofia",
                "lead_days": 0,
            }
        )
        with freeze_time("2024-03-15 10:00:00"):
            counts = self.env["zeron.visit.plan"]._cron_generate_visits()
        self.assertEqual(counts, {"created": 4, "plans": 2, "failed": 0})
        self.assertEqual(len(self.plan.task_ids), 3)
        self.assertEqual(other_plan.task_ids.company_id, other_company)
        self.assertEqual(other_plan.task_ids.zeron_contract_id, contract)
        self.assertEqual(other_plan.task_ids.zeron_coverage_state, "covered")
