from odoo.tests import tagged

from .common import ZeronServiceDeskCommon


@tagged("post_install", "-at_install")
class TestTimesheetStamp(ZeronServiceDeskCommon):
    def test_included_time_is_covered_and_frozen(self):
        contract = self._create_support_contract(start="2024-01-01")
        task = self._create_task(zeron_request_date="2024-03-01")
        line = self._log(task, "2024-03-04", 2.5)
        self.assertRecordValues(
            line,
            [
                {
                    "unit_amount": 2.5,
                    "zeron_coverage": "covered",
                    "zeron_contract_line_id": contract.line_ids.id,
                    "zeron_contract_id": contract.id,
                    "zeron_coverage_reason": f"Included in contract {contract.name}",
                    "zeron_invoice_status": "none",
                    "timesheet_invoice_type": "non_billable",
                }
            ],
        )
        # a later change of the contract does not rewrite the history
        contract.line_ids.date_end = "2024-03-01"
        self.assertEqual(task.zeron_coverage_state, "covered")
        self.assertEqual(line.zeron_coverage, "covered")
        later = self._log(task, "2024-03-05", 1.0)
        self.assertEqual(later.zeron_coverage, "billable")
        self.assertEqual(later.zeron_coverage_reason, "Not covered by a contract")
        self.assertEqual(later.zeron_price_unit, 80.0)
        self.assertEqual(later.timesheet_invoice_type, "billable_time")

    def test_uncovered_time_is_billable_at_list_price(self):
        task = self._create_task(zeron_request_date="2024-03-01")
        line = self._log(task, "2024-03-04", 1.5)
        self.assertRecordValues(
            line,
            [
                {
                    "zeron_coverage": "billable",
                    "zeron_contract_line_id": False,
                    "zeron_product_id": self.support_product.id,
                    "zeron_price_unit": 80.0,
                    "zeron_coverage_reason": "No contract",
                    "zeron_invoice_status": "to_invoice",
                }
            ],
        )

    def test_billable_contract_time_at_contracted_rate(self):
        contract = self._create_support_contract(
            start="2024-01-01",
            line_vals={"zeron_time_billing": "billable", "zeron_hourly_rate": 65.0},
        )
        task = self._create_task(zeron_request_date="2024-03-01")
        line = self._log(task, "2024-03-04", 2.0)
        self.assertRecordValues(
            line,
            [
                {
                    "zeron_coverage": "billable",
                    "zeron_contract_line_id": contract.line_ids.id,
                    "zeron_price_unit": 65.0,
                }
            ],
        )

    def test_task_without_customer_is_not_billable(self):
        task = self._create_task(partner_id=False)
        line = self._log(task, "2024-03-04", 1.0)
        self.assertEqual(line.zeron_coverage, "not_billable")
        self.assertEqual(line.zeron_coverage_reason, "No customer")
        self.assertEqual(line.zeron_invoice_status, "none")

    def test_hour_bank_splits_the_entry_beyond_the_balance(self):
        contract = self._create_support_contract(
            start="2024-01-01",
            line_vals={
                "zeron_time_billing": "bank",
                "zeron_included_hours": 10.0,
                "zeron_hourly_rate": 60.0,
            },
        )
        line = contract.line_ids
        task = self._create_task(zeron_request_date="2024-03-01")
        first = self._log(task, "2024-03-04", 6.0)
        self.assertEqual(first.zeron_coverage, "covered")
        second = self._log(task, "2024-03-20", 6.0).sorted("zeron_coverage")
        self.assertRecordValues(
            second,
            [
                {
                    "unit_amount": 2.0,
                    "zeron_coverage": "billable",
                    "zeron_price_unit": 60.0,
                    "zeron_contract_line_id": line.id,
                },
                {
                    "unit_amount": 4.0,
                    "zeron_coverage": "covered",
                    "zeron_price_unit": 0.0,
                    "zeron_contract_line_id": line.id,
                },
            ],
        )
        self.assertEqual(
            second[1].zeron_coverage_reason,
            f"Hour bank of contract {contract.name}, 2024-03-01 - 2024-03-31",
        )
        third = self._log(task, "2024-03-31", 1.0)
        self.assertEqual(third.zeron_coverage, "billable", "the bank is empty")
        april = self._log(task, "2024-04-01", 3.0)
        self.assertEqual(april.zeron_coverage, "covered", "a new month, a new bank")
        self.assertEqual(task.zeron_covered_hours, 13.0)
        self.assertEqual(task.zeron_billable_hours, 3.0)

    def test_hour_bank_counts_entries_of_the_same_batch(self):
        self._create_support_contract(
            start="2024-01-01",
            line_vals={"zeron_time_billing": "bank", "zeron_included_hours": 5.0},
        )
        task = self._create_task(zeron_request_date="2024-03-01")
        lines = self.env["account.analytic.line"].create(
            [
                {
                    "name": f"Visit {index}",
                    "task_id": task.id,
                    "project_id": self.project.id,
                    "employee_id": self.employee_admin.id,
                    "date": "2024-03-04",
                    "unit_amount": 3.0,
                }
                for index in range(2)
            ]
        )
        self.assertEqual(len(lines), 3)
        self.assertEqual(
            sorted((line.zeron_coverage, line.unit_amount) for line in lines),
            [("billable", 1.0), ("covered", 2.0), ("covered", 3.0)],
        )

    def test_time_in_a_suspension_is_not_covered(self):
        contract = self._create_support_contract(start="2024-01-01")
        self.env["zeron.contract.suspension"].create(
            {
                "contract_id": contract.id,
                "date_start": "2024-03-10",
                "date_end": "2024-03-20",
            }
        )
        task = self._create_task(zeron_request_date="2024-03-15")
        self.assertEqual(task.zeron_coverage_state, "not_covered")
        inside = self._log(task, "2024-03-15", 2.0)
        self.assertRecordValues(
            inside,
            [
                {
                    "zeron_coverage": "billable",
                    "zeron_contract_line_id": False,
                    "zeron_price_unit": 80.0,
                    "zeron_coverage_reason": (
                        f"Contract {contract.name} is suspended on 2024-03-15"
                    ),
                    "zeron_invoice_status": "to_invoice",
                }
            ],
        )
        task.zeron_request_date = "2024-03-21"
        after = self._log(task, "2024-03-21", 1.0)
        self.assertEqual(after.zeron_coverage, "covered")
        self.assertEqual(inside.zeron_coverage, "billable", "stamped when logged")
