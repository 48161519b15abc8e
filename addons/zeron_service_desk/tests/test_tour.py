from odoo.tests import HttpCase, tagged

from .test_mail_request import REQUEST_EMAIL


@tagged("post_install", "-at_install")
class TestServiceDeskTour(HttpCase):
    def test_email_request_covered_time_logged_and_invoiced(self):
        admin = self.env.ref("base.user_admin")
        if not admin.employee_ids:
            self.env["hr.employee"].create({"name": "Tour Admin", "user_id": admin.id})
        product = self.env["product.product"].create(
            {
                "name": "Tour Alarm Service",
                "type": "service",
                "uom_id": self.env.ref("uom.product_uom_hour").id,
                "uom_po_id": self.env.ref("uom.product_uom_hour").id,
                "list_price": 90.0,
                "taxes_id": [(5, 0, 0)],
            }
        )
        customer = self.env["res.partner"].create(
            {
                "name": "Tour Vault Co",
                "email": "desk@tourvault.example.com",
                "is_company": True,
            }
        )
        alias_domain = self.env["mail.alias.domain"].create(
            {"name": "tour.zeron.example.com"}
        )
        project = self.env["project.project"].create(
            {
                "name": "Tour Alarm Desk",
                "zeron_is_service": True,
                "zeron_service_product_id": product.id,
                "allow_timesheets": True,
                "alias_name": "tour-desk",
                "alias_domain_id": alias_domain.id,
                "type_ids": [(0, 0, {"name": "New Requests", "sequence": 1})],
            }
        )
        contract = self.env["zeron.contract"].create(
            {
                "partner_id": customer.id,
                "date_start": "2020-01-01",
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": product.id,
                            "price_unit": 100.0,
                            "zeron_time_billing": "billable",
                            "zeron_hourly_rate": 65.0,
                        },
                    )
                ],
            }
        )
        contract.action_start()
        task_id = self.env["mail.thread"].message_process(
            False,
            REQUEST_EMAIL.format(
                email_from="desk@tourvault.example.com",
                to="tour-desk@tour.zeron.example.com",
                subject="Tour alarm request",
                msg_id="tour-1",
                body="Please check the alarm.",
            ),
        )
        task = self.env["project.task"].browse(task_id)
        self.assertEqual(task.project_id, project)
        self.assertEqual(task.zeron_coverage_state, "covered")

        self.start_tour(
            "/odoo/action-zeron_service_desk.project_task_action_service",
            "zeron_service_desk_task_tour",
            login="admin",
        )
        timesheet = task.timesheet_ids
        self.assertEqual(timesheet.unit_amount, 2.0)
        self.assertEqual(timesheet.zeron_coverage, "billable")
        self.assertEqual(timesheet.zeron_price_unit, 65.0)

        self.start_tour(
            "/odoo/action-zeron_service_desk.account_analytic_line_action_service",
            "zeron_service_desk_invoice_tour",
            login="admin",
        )
        invoice = timesheet.timesheet_invoice_id
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.amount_total, 130.0)
        self.assertEqual(timesheet.zeron_invoice_status, "invoiced")
