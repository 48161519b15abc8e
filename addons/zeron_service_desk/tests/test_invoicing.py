from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ZeronServiceDeskCommon


@tagged("post_install", "-at_install")
class TestTimeInvoicing(ZeronServiceDeskCommon):
    def _wizard(self, **vals):
        return self.env["zeron.timesheet.invoice.wizard"].create(
            {"date_to": "2024-03-31", **vals}
        )

    def _invoice_time(self, **vals):
        return self._wizard(**vals)._create_invoices()

    def test_wizard_invoices_billable_time_once(self):
        self._create_support_contract(
            start="2024-01-01",
            line_vals={"zeron_time_billing": "billable", "zeron_hourly_rate": 65.0},
        )
        task = self._create_task(zeron_request_date="2024-03-01")
        billable = self._log(task, "2024-03-04", 2.0) | self._log(
            task, "2024-03-05", 1.5
        )
        after = self._log(task, "2024-04-02", 1.0)

        invoice = self._invoice_time()
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.partner_id, self.customer)
        self.assertEqual(invoice.amount_total, 227.5)
        self.assertRecordValues(
            invoice.invoice_line_ids.sorted("quantity"),
            [
                {"quantity": 1.5, "price_unit": 65.0, "price_subtotal": 97.5},
                {"quantity": 2.0, "price_unit": 65.0, "price_subtotal": 130.0},
            ],
        )
        self.assertEqual(billable.timesheet_invoice_id, invoice)
        self.assertEqual(set(billable.mapped("zeron_invoice_status")), {"invoiced"})
        self.assertEqual(after.zeron_invoice_status, "to_invoice", "after date_to")

        # never twice
        self.assertFalse(self._invoice_time())
        with self.assertRaisesRegex(UserError, "cannot change any more"):
            billable[0].unit_amount = 5.0
        with self.assertRaisesRegex(UserError, "no billable service time"):
            self._wizard().action_create_invoices()

    def test_credit_note_makes_time_billable_again(self):
        task = self._create_task(zeron_request_date="2024-03-01")
        line = self._log(task, "2024-03-04", 2.0)
        invoice = self._invoice_time()
        self.assertEqual(invoice.amount_total, 160.0)
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "date": "2024-04-02"})
        )
        reversal.refund_moves()
        credit_note = invoice.reversal_move_ids
        self.assertEqual(
            line.zeron_invoice_status, "invoiced", "a draft credits nothing"
        )
        credit_note.action_post()
        self.assertEqual(line.zeron_invoice_status, "to_invoice")
        second = self._invoice_time()
        self.assertEqual(second.amount_total, 160.0)
        self.assertEqual(line.timesheet_invoice_id, second)
        self.assertEqual(line.zeron_invoice_status, "invoiced")

    def test_full_reversal_makes_time_billable_again(self):
        task = self._create_task(zeron_request_date="2024-03-01")
        line = self._log(task, "2024-03-04", 1.0)
        invoice = self._invoice_time()
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "date": "2024-04-02"})
        )
        reversal.modify_moves()
        self.assertEqual(invoice.payment_state, "reversed")
        self.assertEqual(line.zeron_invoice_status, "to_invoice")

    def test_cancelled_or_deleted_invoice_frees_the_time(self):
        task = self._create_task(zeron_request_date="2024-03-01")
        line = self._log(task, "2024-03-04", 1.0)
        draft = self._invoice_time(post=False)
        self.assertEqual(line.zeron_invoice_status, "invoiced")
        draft.unlink()
        self.assertEqual(line.zeron_invoice_status, "to_invoice")
        posted = self._invoice_time()
        posted.button_draft()
        posted.button_cancel()
        self.assertEqual(line.zeron_invoice_status, "to_invoice")

    def test_paid_status_follows_the_payment(self):
        task = self._create_task(zeron_request_date="2024-03-01")
        line = self._log(task, "2024-03-04", 1.0)
        invoice = self._invoice_time()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"payment_date": "2024-04-05"})._create_payments()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(line.zeron_invoice_status, "paid")

    def test_covered_time_and_sale_order_time_are_not_invoiced(self):
        self._create_support_contract(start="2024-01-01")
        task = self._create_task(zeron_request_date="2024-03-01")
        self._log(task, "2024-03-04", 3.0)
        self.assertFalse(self._invoice_time())

    def test_selected_time_and_customer_filter(self):
        other = self.env["res.partner"].create({"name": "Garden Services"})
        task = self._create_task(zeron_request_date="2024-03-01")
        other_task = self._create_task(
            zeron_request_date="2024-03-01", partner_id=other.id
        )
        first = self._log(task, "2024-03-04", 1.0)
        self._log(task, "2024-03-05", 1.0)
        other_line = self._log(other_task, "2024-03-04", 1.0)
        invoice = (
            self.env["zeron.timesheet.invoice.wizard"]
            .with_context(active_model="account.analytic.line", active_ids=first.ids)
            .create({"date_to": "2024-03-31"})
            ._create_invoices()
        )
        self.assertEqual(invoice.invoice_line_ids.quantity, 1.0)
        self.assertEqual(first.timesheet_invoice_id, invoice)
        invoice = self._invoice_time(partner_ids=[(6, 0, other.ids)])
        self.assertEqual(invoice.partner_id, other)
        self.assertEqual(other_line.timesheet_invoice_id, invoice)

    def test_time_goes_with_the_next_subscription_invoice(self):
        contract = self._create_support_contract(
            start="2024-03-01",
            line_vals={"zeron_time_billing": "billable", "zeron_hourly_rate": 70.0},
            zeron_invoice_timesheets=True,
        )
        task = self._create_task(zeron_request_date="2024-03-01")
        with freeze_time("2024-03-01"):
            self._invoice("2024-03-01", contract)
        march_invoice = contract.invoice_ids
        self.assertEqual(march_invoice.amount_total, 100.0)
        line = self._log(task, "2024-03-10", 2.0)
        self._invoice("2024-04-01", contract)
        april_invoice = contract.invoice_ids - march_invoice
        self.assertEqual(april_invoice.amount_total, 240.0)
        self.assertEqual(line.timesheet_invoice_id, april_invoice)
        self.assertFalse(self._invoice_time(date_to="2024-04-30"), "never twice")

    def test_report_groups_time_by_customer_and_status(self):
        self._create_support_contract(
            start="2024-01-01",
            line_vals={"zeron_time_billing": "bank", "zeron_included_hours": 2.0},
        )
        task = self._create_task(zeron_request_date="2024-03-01")
        self._log(task, "2024-03-04", 3.0)  # 2 covered + 1 billable
        self._log(task, "2024-03-05", 1.5)  # billable
        invoice = self._invoice_time()
        self._log(task, "2024-03-06", 0.5)  # billable, not invoiced
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"payment_date": "2024-04-05"})._create_payments()
        groups = self.env["account.analytic.line"]._read_group(
            [("task_id", "=", task.id)],
            groupby=[
                "partner_id",
                "date:month",
                "zeron_coverage",
                "zeron_invoice_status",
            ],
            aggregates=["unit_amount:sum"],
        )
        self.assertEqual(
            sorted(
                (partner.name, coverage, status, hours)
                for partner, _month, coverage, status, hours in groups
            ),
            [
                ("Sofia Vaults Ltd", "billable", "paid", 2.5),
                ("Sofia Vaults Ltd", "billable", "to_invoice", 0.5),
                ("Sofia Vaults Ltd", "covered", "none", 2.0),
            ],
        )
