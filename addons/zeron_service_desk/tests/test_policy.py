from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ZeronServiceDeskCommon, sofia


@tagged("post_install", "-at_install")
class TestUncoveredPolicy(ZeronServiceDeskCommon):
    def _plan(self, task):
        task.write(
            {
                "zeron_planned_start": sofia(2024, 3, 1, 9, 0),
                "zeron_planned_end": sofia(2024, 3, 1, 11, 0),
            }
        )

    def test_warn_lets_work_be_scheduled(self):
        task = self._create_task(zeron_request_date="2024-03-01")
        self._plan(task)
        self.assertEqual(task.zeron_coverage_state, "no_contract")
        self.assertEqual(task.zeron_planned_start, sofia(2024, 3, 1, 9, 0))

    def test_block_refuses_planning_and_time(self):
        self.project.zeron_uncovered_policy = "block"
        task = self._create_task(zeron_request_date="2024-03-01")
        with self.assertRaisesRegex(UserError, "blocks work for uncovered"):
            self._plan(task)
        with self.assertRaisesRegex(UserError, "blocks work for uncovered"):
            self._log(task, "2024-03-01", 1.0)
        with self.assertRaisesRegex(UserError, "Alarm panel beeps"):
            self._create_task(
                zeron_request_date="2024-03-01",
                zeron_planned_start=sofia(2024, 3, 1, 9, 0),
                zeron_planned_end=sofia(2024, 3, 1, 10, 0),
            )

    def test_block_does_not_apply_to_covered_customers(self):
        self.project.zeron_uncovered_policy = "block"
        self._create_support_contract(start="2024-01-01")
        task = self._create_task(zeron_request_date="2024-03-01")
        self._plan(task)
        self.assertEqual(task.zeron_coverage_state, "covered")

    def test_approval_required_then_given(self):
        self.project.zeron_uncovered_policy = "approval"
        task = self._create_task(zeron_request_date="2024-03-01")
        with self.assertRaisesRegex(UserError, "must approve the work"):
            self._plan(task)
        with self.assertRaises(AccessError):
            task.with_user(self.tech_a).action_zeron_approve_uncovered()
        task.action_zeron_approve_uncovered()
        self.assertEqual(task.zeron_approved_by_id, self.env.user)
        self._plan(task)
        lines = self._log(task, "2024-03-01", 1.0)
        self.assertEqual(lines.zeron_coverage, "billable")
