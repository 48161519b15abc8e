from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ZeronServiceDeskCommon, sofia


@tagged("post_install", "-at_install")
class TestConstraints(ZeronServiceDeskCommon):
    def test_planned_end_after_start(self):
        with self.assertRaisesRegex(ValidationError, "Planned End must be after"):
            self._create_task(
                zeron_planned_start=sofia(2024, 3, 1, 11, 0),
                zeron_planned_end=sofia(2024, 3, 1, 9, 0),
            )

    def test_company_days_not_negative(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.env.company.zeron_sd_grace_days = -1
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.env.company.zeron_sd_expiring_days = -1

    def test_contract_line_hours_not_negative(self):
        contract = self._create_support_contract(start="2024-01-01")
        with self.assertRaisesRegex(ValidationError, "Included Hours and Hourly Rate"):
            contract.line_ids.zeron_included_hours = -2.0
        with self.assertRaisesRegex(ValidationError, "Included Hours and Hourly Rate"):
            contract.line_ids.zeron_hourly_rate = -1.0

    def test_visit_plan_values(self):
        contract = self._create_support_contract(start="2024-01-01")
        values = {
            "name": "Cleaning",
            "line_id": contract.line_ids.id,
            "project_id": self.project.id,
            "date_first": "2024-01-10",
        }
        for field, value in [
            ("interval_number", 0),
            ("duration", 0.0),
            ("hour_start", 24.0),
            ("lead_days", -1),
        ]:
            with self.assertRaisesRegex(ValidationError, "Visit plan", msg=field):
                self.env["zeron.visit.plan"].create({**values, field: value})
