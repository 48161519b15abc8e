from freezegun import freeze_time

from odoo.tests import tagged

from .common import ZeronServiceDeskCommon, sofia


@tagged("post_install", "-at_install")
class TestCoverage(ZeronServiceDeskCommon):
    def _coverage(self, day, **task_vals):
        task = self._create_task(zeron_request_date=day, **task_vals)
        return task.zeron_coverage_state, task

    def test_line_end_is_inclusive(self):
        contract = self._create_support_contract(
            start="2024-01-01", line_vals={"date_end": "2024-06-30"}
        )
        cases = [
            ("2023-12-31", "not_covered"),
            ("2024-01-01", "covered"),
            ("2024-06-30", "covered"),
            ("2024-07-01", "not_covered"),
        ]
        for day, expected in cases:
            state, task = self._coverage(day)
            self.assertEqual(state, expected, f"task dated {day}")
            if expected == "covered":
                self.assertEqual(task.zeron_contract_line_id, contract.line_ids)
                self.assertEqual(task.zeron_contract_id, contract)
                self.assertEqual(str(task.zeron_coverage_end), "2024-06-30")
            else:
                self.assertFalse(task.zeron_contract_line_id)

    def test_tacit_renewal_covers_later_terms(self):
        self._create_support_contract(
            start="2020-01-01", term_months=12, renewal_type="tacit"
        )
        state, task = self._coverage("2021-03-15")
        self.assertEqual(state, "covered")
        self.assertFalse(task.zeron_coverage_end, "a renewing term never ends")

    def test_no_renewal_ends_after_the_term(self):
        self._create_support_contract(
            start="2020-01-01", term_months=12, renewal_type="none"
        )
        self.assertEqual(self._coverage("2020-12-31")[0], "covered")
        self.assertEqual(self._coverage("2021-03-15")[0], "not_covered")

    def test_grace_days(self):
        self.env.company.zeron_sd_grace_days = 3
        self._create_support_contract(
            start="2024-01-01", line_vals={"date_end": "2024-06-30"}
        )
        cases = [("2024-07-03", "covered"), ("2024-07-04", "not_covered")]
        for day, expected in cases:
            state, task = self._coverage(day)
            self.assertEqual(state, expected, f"task dated {day}, 3 grace days")
        self.assertEqual(
            str(self._coverage("2024-07-01")[1].zeron_coverage_end), "2024-07-03"
        )

    def test_grace_days_change_recomputes_open_tasks(self):
        self._create_support_contract(
            start="2024-01-01", line_vals={"date_end": "2024-06-30"}
        )
        state, task = self._coverage("2024-07-02")
        self.assertEqual(state, "not_covered")
        self.env.company.zeron_sd_grace_days = 5
        self.assertEqual(task.zeron_coverage_state, "covered")

    def test_no_contract_and_other_service(self):
        self.assertEqual(self._coverage("2024-03-01")[0], "no_contract")
        self._create_support_contract(start="2024-01-01")
        state, _task = self._coverage(
            "2024-03-01", zeron_service_product_id=self.cleaning_product.id
        )
        self.assertEqual(state, "not_covered", "the contract has no cleaning line")

    def test_draft_and_cancelled_contracts_do_not_cover(self):
        contract = self._create_support_contract(start="2024-01-01")
        state, task = self._coverage("2024-03-01")
        self.assertEqual(state, "covered")
        contract.action_close()
        self.assertEqual(
            task.zeron_coverage_state,
            "not_covered",
            "a closed contract without an end date has no known validity",
        )
        contract.date_end = "2024-04-30"
        self.assertEqual(task.zeron_coverage_state, "covered")
        draft = self._create_support_contract(start="2024-01-01", start_running=False)
        draft.partner_id = self.env["res.partner"].create({"name": "Other"})
        state, _task = self._coverage("2024-03-01", partner_id=draft.partner_id.id)
        self.assertEqual(state, "no_contract")

    def test_contact_of_the_customer_is_covered(self):
        self._create_support_contract(start="2024-01-01")
        contact = self.env["res.partner"].create(
            {"name": "Vault Clerk", "parent_id": self.customer.id}
        )
        self.assertEqual(
            self._coverage("2024-03-01", partner_id=contact.id)[0], "covered"
        )

    def test_new_contract_recomputes_open_tasks(self):
        state, task = self._coverage("2024-03-01")
        self.assertEqual(state, "no_contract")
        contract = self._create_support_contract(start="2024-01-01")
        self.assertEqual(task.zeron_coverage_state, "covered")
        contract.line_ids.date_end = "2024-02-29"
        self.assertEqual(task.zeron_coverage_state, "not_covered")

    def test_planned_start_is_the_task_date_in_company_time(self):
        self._create_support_contract(
            start="2024-01-01", line_vals={"date_end": "2024-06-30"}
        )
        # 1 July 01:30 in Sofia is still 30 June in UTC
        task = self._create_task(
            zeron_request_date="2024-06-01",
            zeron_planned_start=sofia(2024, 7, 1, 1, 30),
            zeron_planned_end=sofia(2024, 7, 1, 3, 0),
        )
        self.assertEqual(str(task.zeron_coverage_date), "2024-07-01")
        self.assertEqual(task.zeron_coverage_state, "not_covered")
        task.zeron_planned_start = sofia(2024, 6, 30, 23, 30)
        self.assertEqual(str(task.zeron_coverage_date), "2024-06-30")
        self.assertEqual(task.zeron_coverage_state, "covered")

    @freeze_time("2024-06-20 10:00:00")
    def test_expiring_status_is_searchable(self):
        self.env.company.zeron_sd_expiring_days = 10
        contract = self._create_support_contract(
            start="2024-01-01", line_vals={"date_end": "2024-06-30"}
        )
        other = self._create_support_contract(
            start="2024-01-01",
            line_vals={"date_end": "2024-12-31"},
            partner_id=self.env["res.partner"].create({"name": "Far Away"}).id,
        )
        expiring = self._create_task(zeron_request_date="2024-06-20")
        covered = self._create_task(
            zeron_request_date="2024-06-20", partner_id=other.partner_id.id
        )
        uncovered = self._create_task(zeron_request_date="2024-07-20")
        self.assertEqual(expiring.zeron_contract_id, contract)
        self.assertEqual(expiring.zeron_coverage_status, "expiring")
        self.assertEqual(covered.zeron_coverage_status, "covered")
        self.assertEqual(uncovered.zeron_coverage_status, "not_covered")
        tasks = self.env["project.task"]
        mine = [("id", "in", (expiring | covered | uncovered).ids)]
        for status, expected in [
            ("expiring", expiring),
            ("covered", covered),
            ("not_covered", uncovered),
        ]:
            self.assertEqual(
                tasks.search([*mine, ("zeron_coverage_status", "=", status)]),
                expected,
                status,
            )
        self.assertEqual(
            tasks.search([*mine, ("zeron_coverage_status", "!=", "expiring")]),
            covered | uncovered,
        )
        self.assertEqual(
            tasks.search(
                [*mine, ("zeron_coverage_status", "in", ["expiring", "covered"])]
            ),
            expiring | covered,
        )

    def test_non_service_project_has_no_coverage(self):
        project = self.env["project.project"].create({"name": "Internal"})
        task = self._create_task(project_id=project.id)
        self.assertFalse(task.zeron_coverage_state)

    def test_contract_moved_to_another_customer(self):
        contract = self._create_support_contract(start="2024-01-01")
        state, task = self._coverage("2024-03-01")
        self.assertEqual(state, "covered")
        contract.partner_id = self.env["res.partner"].create({"name": "New Owner"})
        self.assertEqual(task.zeron_coverage_state, "no_contract")

    def test_settings_write_the_company(self):
        settings = self.env["res.config.settings"].create(
            {"zeron_sd_grace_days": 4, "zeron_sd_expiring_days": 15}
        )
        settings.execute()
        self.assertEqual(self.env.company.zeron_sd_grace_days, 4)
        self.assertEqual(self.env.company.zeron_sd_expiring_days, 15)

    def test_suspended_contract_does_not_cover(self):
        contract = self._create_support_contract(start="2024-01-01")
        state, task = self._coverage("2024-03-01")
        self.assertEqual(state, "covered")
        contract.action_suspend("2024-02-15")
        self.assertEqual(contract.state, "suspended")
        self.assertRecordValues(
            task,
            [
                {
                    "zeron_coverage_state": "not_covered",
                    "zeron_contract_line_id": False,
                    "zeron_coverage_reason": (
                        f"Contract {contract.name} is suspended on 2024-03-01"
                    ),
                }
            ],
        )
        # the days before the suspension stay covered, up to its eve
        state, before = self._coverage("2024-02-14")
        self.assertEqual(state, "covered")
        self.assertEqual(str(before.zeron_coverage_end), "2024-02-14")
        self.assertEqual(self._coverage("2024-02-15")[0], "not_covered")
        contract.action_resume("2024-03-01")
        self.assertEqual(contract.state, "running")
        self.assertEqual(task.zeron_coverage_state, "covered")
        self.assertFalse(task.zeron_coverage_reason)
        self.assertEqual(self._coverage("2024-02-29")[0], "not_covered")

    def test_suspension_period_of_a_running_contract(self):
        self.env.company.zeron_sd_grace_days = 3
        contract = self._create_support_contract(start="2024-01-01")
        state, open_task = self._coverage("2024-03-15")
        self.assertEqual(state, "covered")
        self.env["zeron.contract.suspension"].create(
            {
                "contract_id": contract.id,
                "date_start": "2024-03-10",
                "date_end": "2024-03-20",
            }
        )
        self.assertEqual(contract.state, "running")
        self.assertEqual(open_task.zeron_coverage_state, "not_covered")
        self.assertEqual(
            open_task.zeron_coverage_reason,
            f"Contract {contract.name} is suspended on 2024-03-15",
        )
        # the grace days do not cover a suspension
        cases = [
            ("2024-03-09", "covered", "2024-03-09"),
            ("2024-03-10", "not_covered", False),
            ("2024-03-12", "not_covered", False),
            ("2024-03-20", "not_covered", False),
            ("2024-03-21", "covered", False),
        ]
        for day, expected, end in cases:
            state, task = self._coverage(day)
            self.assertEqual(state, expected, f"task dated {day}")
            self.assertEqual(
                task.zeron_coverage_end and str(task.zeron_coverage_end),
                end,
                f"coverage end of a task dated {day}",
            )
        contract.suspension_ids.date_end = "2024-03-14"
        self.assertEqual(open_task.zeron_coverage_state, "covered")
        contract.suspension_ids.unlink()
        self.assertEqual(self._coverage("2024-03-12")[0], "covered")
