from datetime import datetime

import pytz

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.zeron_subscription.tests.common import ZeronSubscriptionCommon

SOFIA = pytz.timezone("Europe/Sofia")


def sofia(*args):
    """Return the naive UTC datetime of a wall-clock time in Sofia."""
    return SOFIA.localize(datetime(*args)).astimezone(pytz.utc).replace(tzinfo=None)


class ZeronServiceDeskCommon(ZeronSubscriptionCommon):
    """Own data for the service desk tests: no demo records."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.partner_id.tz = "Europe/Sofia"
        cls.env.user.tz = "Europe/Sofia"
        cls.env.user.groups_id += cls.env.ref("project.group_project_manager")
        cls.hour_uom = cls.env.ref("uom.product_uom_hour")
        cls.support_product = cls.env["product.product"].create(
            {
                "name": "Technical Support",
                "type": "service",
                "uom_id": cls.hour_uom.id,
                "uom_po_id": cls.hour_uom.id,
                "list_price": 80.0,
                "taxes_id": [Command.clear()],
            }
        )
        cls.cleaning_product = cls.env["product.product"].create(
            {
                "name": "Office Cleaning",
                "type": "service",
                "list_price": 50.0,
                "taxes_id": [Command.clear()],
            }
        )
        cls.project = cls.env["project.project"].create(
            {
                "name": "Support Desk",
                "company_id": cls.env.company.id,
                "zeron_is_service": True,
                "zeron_service_product_id": cls.support_product.id,
                "allow_timesheets": True,
                "privacy_visibility": "followers",
            }
        )
        cls.tech_a = cls._create_technician("zeron_tech_a", "Technician Ana")
        cls.tech_b = cls._create_technician("zeron_tech_b", "Technician Boris")
        cls.employee_admin = cls.env["hr.employee"].create(
            {"name": "Desk Admin", "user_id": cls.env.user.id, "hourly_cost": 20.0}
        )

    @classmethod
    def _create_technician(cls, login, name):
        user = new_test_user(
            cls.env,
            login=login,
            name=name,
            tz="Europe/Sofia",
            groups="base.group_user,project.group_project_user,"
            "hr_timesheet.group_hr_timesheet_user",
        )
        cls.env["hr.employee"].create({"name": name, "user_id": user.id})
        return user

    @classmethod
    def _create_support_contract(cls, line_vals=None, **vals):
        """Create a running contract with one line for the support service."""
        return cls._create_contract(
            lines=[
                {
                    "product_id": cls.support_product.id,
                    "price_unit": 100.0,
                    **(line_vals or {}),
                }
            ],
            **vals,
        )

    @classmethod
    def _create_task(cls, **vals):
        return cls.env["project.task"].create(
            {
                "name": "Alarm panel beeps",
                "project_id": cls.project.id,
                "partner_id": cls.customer.id,
                **vals,
            }
        )

    def _log(self, task, day, hours, **vals):
        """Log ``hours`` on ``task`` on ``day``; return the created lines."""
        before = task.timesheet_ids
        self.env["account.analytic.line"].create(
            {
                "name": vals.pop("name", "Work"),
                "task_id": task.id,
                "project_id": task.project_id.id,
                "employee_id": self.employee_admin.id,
                "date": day,
                "unit_amount": hours,
                **vals,
            }
        )
        task.invalidate_recordset(["timesheet_ids"])
        return task.timesheet_ids - before
