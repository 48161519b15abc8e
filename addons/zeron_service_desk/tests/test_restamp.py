from datetime import date

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import ZeronServiceDeskCommon


@tagged("post_install", "-at_install")
class TestRestamp(ZeronServiceDeskCommon):
    """An edited entry is stamped again as if it were logged now."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract = cls._create_support_contract(
            start="2024-01-01",
            line_vals={
                "zeron_time_billing": "bank",
                "zeron_included_hours": 10.0,
                "zeron_hourly_rate": 60.0,
            },
        )
        cls.task = cls._create_task(zeron_request_date="2024-03-01")

    def _parts(self, lines):
        """Return (coverage, hours) of ``lines``, covered part first."""
        return [
            (line.zeron_coverage, line.unit_amount)
            for line in lines.exists().sorted(lambda t: (t.zeron_coverage, t.id))
        ]

    def _entry(self, head):
        head.invalidate_recordset(["zeron_split_ids"])
        return head | head.zeron_split_ids

    def test_edited_entry_is_stamped_against_the_others(self):
        first = self._log(self.task, "2024-03-04", 6.0)
        second = self._log(self.task, "2024-03-20", 5.0)
        self.assertEqual(self._parts(first), [("covered", 6.0)])
        self.assertEqual(self._parts(second), [("billable", 1.0), ("covered", 4.0)])
        head, rest = second.sorted("id")
        self.assertEqual(rest.zeron_split_from_id, head)
        self.assertEqual(head.zeron_coverage, "covered")

        # 3 hours less on the first entry: it alone is stamped again, the
        # second keeps its stamps and 3 hours stay in the bank
        first.unit_amount = 3.0
        self.assertEqual(self._parts(first), [("covered", 3.0)])
        self.assertEqual(self._parts(second), [("billable", 1.0), ("covered", 4.0)])
        self.assertEqual(self.task.zeron_covered_hours, 7.0)
        self.assertEqual(self.task.zeron_billable_hours, 1.0)

        # the billable rest corrected to 2 hours: the entry (4 + 2 hours) is
        # stamped again against the 7 hours the first leaves, and put back
        # together in its covered part
        rest.unit_amount = 2.0
        self.assertFalse(rest.exists())
        self.assertRecordValues(
            head,
            [
                {
                    "unit_amount": 6.0,
                    "zeron_coverage": "covered",
                    "zeron_split_from_id": False,
                    "zeron_contract_line_id": self.contract.line_ids.id,
                    "zeron_price_unit": 0.0,
                }
            ],
        )
        self.assertEqual(self.task.zeron_covered_hours, 9.0)
        self.assertEqual(self.task.zeron_billable_hours, 0.0)

    def test_more_hours_split_the_entry(self):
        first = self._log(self.task, "2024-03-04", 6.0)
        first.unit_amount = 12.0
        entry = self._entry(first)
        self.assertEqual(self._parts(entry), [("billable", 2.0), ("covered", 10.0)])
        rest = entry - first
        self.assertRecordValues(
            rest,
            [
                {
                    "zeron_split_from_id": first.id,
                    "zeron_price_unit": 60.0,
                    "zeron_product_id": self.support_product.id,
                    "date": first.date,
                    "task_id": self.task.id,
                    "employee_id": self.employee_admin.id,
                    "name": "Work",
                    "zeron_invoice_status": "to_invoice",
                    "timesheet_invoice_type": "billable_time",
                }
            ],
        )
        # no duplicate rest when the covered part is edited again: its hours
        # and the rest's are added up (8 + 2) and split again
        first.unit_amount = 8.0
        self.assertFalse(rest.exists())
        self.assertEqual(self._parts(first), [("covered", 10.0)])
        first.unit_amount = 13.0
        self.assertEqual(
            self._parts(self._entry(first)), [("billable", 3.0), ("covered", 10.0)]
        )
        self.task.invalidate_recordset(["timesheet_ids"])
        self.assertEqual(len(self.task.timesheet_ids), 2)

    def test_entry_moved_to_another_month_moves_whole(self):
        first = self._log(self.task, "2024-03-04", 6.0)
        second = self._log(self.task, "2024-03-20", 5.0)
        head, rest = second.sorted("id")
        rest.date = "2024-04-02"
        self.assertFalse(rest.exists())
        self.assertRecordValues(
            head,
            [
                {
                    "date": date(2024, 4, 2),
                    "unit_amount": 5.0,
                    "zeron_coverage": "covered",
                    "zeron_coverage_reason": (
                        f"Hour bank of contract {self.contract.name}, "
                        "2024-04-01 - 2024-04-30"
                    ),
                }
            ],
        )
        self.assertEqual(self._parts(first), [("covered", 6.0)])

    def test_entries_edited_together_are_stamped_in_date_order(self):
        late = self._log(self.task, "2024-03-20", 6.0)
        early = self._log(self.task, "2024-03-04", 6.0)
        self.assertEqual(self._parts(late), [("covered", 6.0)])
        self.assertEqual(self._parts(early), [("billable", 2.0), ("covered", 4.0)])
        (late | early).date = "2024-04-10"
        # same day: the entry logged first is stamped first
        self.assertEqual(self._parts(late), [("covered", 6.0)])
        self.assertEqual(
            self._parts(self._entry(early.sorted("id")[0])),
            [("billable", 2.0), ("covered", 4.0)],
        )
        (late | early).write({"date": "2024-05-10", "unit_amount": 5.0})
        # each part took 5 hours: the late entry 5, the early one 5 + 5
        self.assertEqual(self._parts(late), [("covered", 5.0)])
        self.assertEqual(
            self._parts(self._entry(early.sorted("id")[0])),
            [("billable", 5.0), ("covered", 5.0)],
        )

    def test_task_change_stamps_again(self):
        line = self._log(self.task, "2024-03-04", 2.0)
        stranger = self.env["res.partner"].create({"name": "Walk-in Customer"})
        other_task = self._create_task(
            zeron_request_date="2024-03-01", partner_id=stranger.id
        )
        line.task_id = other_task
        self.assertRecordValues(
            line,
            [
                {
                    "zeron_coverage": "billable",
                    "zeron_coverage_reason": "No contract",
                    "zeron_contract_line_id": False,
                    "zeron_price_unit": 80.0,
                }
            ],
        )
        internal = self.env["project.project"].create(
            {"name": "Internal", "allow_timesheets": True}
        )
        internal_task = self.env["project.task"].create(
            {"name": "Tidy the stock room", "project_id": internal.id}
        )
        line.write({"project_id": internal.id, "task_id": internal_task.id})
        self.assertRecordValues(
            line,
            [
                {
                    "zeron_coverage": False,
                    "zeron_coverage_reason": False,
                    "zeron_price_unit": 0.0,
                    "zeron_invoice_status": False,
                }
            ],
        )

    def test_contract_change_alone_never_restamps(self):
        first = self._log(self.task, "2024-03-04", 6.0)
        second = self._log(self.task, "2024-03-20", 5.0)
        stamps = [
            (t.zeron_coverage, t.unit_amount, t.zeron_price_unit)
            for t in (first | second).sorted("id")
        ]
        self.contract.line_ids.write(
            {"zeron_included_hours": 2.0, "zeron_hourly_rate": 75.0}
        )
        # nor do edits of other fields: description, employee
        second.write({"name": "Battery swap"})
        second.employee_id = self.env["hr.employee"].create({"name": "Relief"})
        self.assertEqual(
            [
                (t.zeron_coverage, t.unit_amount, t.zeron_price_unit)
                for t in (first | second).sorted("id")
            ],
            stamps,
        )
        # an edit of the hours stamps that entry against today's contract:
        # the 4 hours covered by the second entry leave nothing of a 2-hour bank
        first.unit_amount = 4.0
        self.assertEqual(self._parts(self._entry(first)), [("billable", 4.0)])
        self.assertEqual(first.zeron_price_unit, 75.0, "today's rate")

    def test_invoiced_time_refuses_edits(self):
        first = self._log(self.task, "2024-03-04", 10.0)
        second = self._log(self.task, "2024-03-20", 3.0, name="Night call")
        self.assertEqual(second.zeron_coverage, "billable")
        invoice = (
            self.env["zeron.timesheet.invoice.wizard"]
            .create({"date_to": "2024-03-31"})
            ._create_invoices()
        )
        self.assertEqual(second.zeron_invoice_status, "invoiced")
        other_task = self._create_task(zeron_request_date="2024-03-01")
        for vals in (
            {"unit_amount": 2.0},
            {"date": "2024-03-21"},
            {"task_id": other_task.id},
            {"employee_id": self.tech_a.employee_id.id},
        ):
            with self.subTest(vals=vals):
                with self.assertRaisesRegex(
                    UserError,
                    f"Timesheet Night call of task Alarm panel beeps is invoiced "
                    f"in {invoice.name}",
                ):
                    second.write(vals)
        with self.assertRaisesRegex(UserError, "Timesheet Night call of task"):
            second.action_zeron_restamp()
        second.name = "Night call, alarm reset"
        self.assertEqual(second.unit_amount, 3.0)
        # time not invoiced is stamped against the invoiced time it leaves
        first.unit_amount = 8.0
        self.assertEqual(self._parts(first), [("covered", 8.0)])
        self.assertEqual(second.zeron_coverage, "billable")

    def test_invoiced_rest_stays_apart(self):
        self._log(self.task, "2024-03-04", 6.0)
        second = self._log(self.task, "2024-03-20", 5.0)
        head, rest = second.sorted("id")
        self.env["zeron.timesheet.invoice.wizard"].create(
            {"date_to": "2024-03-31"}
        )._create_invoices()
        self.assertEqual(rest.zeron_invoice_status, "invoiced")
        head.write({"unit_amount": 6.0, "date": "2024-03-25"})
        # the head alone: 6 hours against the 4 left by the first entry
        self.assertEqual(
            self._parts(self._entry(head)),
            [("billable", 1.0), ("billable", 2.0), ("covered", 4.0)],
        )
        self.assertRecordValues(
            rest,
            [{"unit_amount": 1.0, "date": date(2024, 3, 20)}],
        )

    def test_technician_edits_own_time(self):
        self.project.message_subscribe(self.tech_a.partner_id.ids)
        line = (
            self.env["account.analytic.line"]
            .with_user(self.tech_a)
            .create(
                {
                    "name": "Panel check",
                    "task_id": self.task.id,
                    "project_id": self.project.id,
                    "date": "2024-03-04",
                    "unit_amount": 6.0,
                }
            )
        )
        line.unit_amount = 12.0
        entry = self._entry(line.sudo())
        self.assertEqual(self._parts(entry), [("billable", 2.0), ("covered", 10.0)])
        self.assertEqual((entry - line).employee_id, self.tech_a.employee_id)
        line.unit_amount = 4.0
        self.assertEqual(self._parts(self._entry(line.sudo())), [("covered", 6.0)])

    def test_edit_in_the_task_form(self):
        self._log(self.task, "2024-03-04", 6.0)
        with Form(self.task) as form:
            with form.timesheet_ids.edit(0) as row:
                row.unit_amount = 12.0
        self.task.invalidate_recordset(["timesheet_ids"])
        self.assertEqual(
            self._parts(self.task.timesheet_ids),
            [("billable", 2.0), ("covered", 10.0)],
        )
        self.assertEqual(self.task.zeron_covered_hours, 10.0)
        self.assertEqual(self.task.zeron_billable_hours, 2.0)

    def test_stamp_again_gives_freed_hours_back(self):
        first = self._log(self.task, "2024-03-04", 6.0)
        second = self._log(self.task, "2024-03-20", 5.0)
        first.unit_amount = 3.0
        self.assertEqual(self._parts(second), [("billable", 1.0), ("covered", 4.0)])
        # the billable rest alone brings its covered part along
        rest = second.filtered(lambda t: t.zeron_coverage == "billable")
        rest.action_zeron_restamp()
        self.assertEqual(self._parts(second), [("covered", 5.0)])
        self.assertEqual(self._parts(first), [("covered", 3.0)])
        self.assertEqual(self.task.zeron_covered_hours, 8.0)
        self.assertEqual(self.task.zeron_billable_hours, 0.0)
