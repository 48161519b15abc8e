from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, new_test_user, tagged

from .common import ZeronSubscriptionCommon


@tagged("post_install", "-at_install")
class TestLifecycle(ZeronSubscriptionCommon):
    def test_terms_of_each_renewal_kind(self):
        cases = [
            # (renewal, renewal term, on date, expected term end)
            ("tacit", 6, "2024-06-01", "2024-12-31"),
            ("tacit", 6, "2025-01-01", "2025-06-30"),
            ("tacit", 6, "2025-07-01", "2025-12-31"),
            ("offer", 0, "2026-03-01", "2024-12-31"),
            ("none", 0, "2026-03-01", "2024-12-31"),
        ]
        for renewal, renewal_term, on_date, expected in cases:
            contract = self._create_contract(
                start="2024-01-01",
                term_months=12,
                renewal_type=renewal,
                renewal_term_months=renewal_term,
                start_running=False,
            )
            with self.subTest(renewal=renewal, on_date=on_date):
                self.assertEqual(
                    contract._get_term_end(date.fromisoformat(on_date)),
                    date.fromisoformat(expected),
                )

    def test_renewal_offer_accepted_extends_billing(self):
        contract = self._create_contract(
            start="2024-01-01", term_months=12, renewal_type="offer", notice_days=30
        )
        self.assertEqual(contract._get_billing_end(), date(2024, 12, 31))
        with freeze_time("2024-12-05"):
            self.env["zeron.contract"]._cron_update_states()
            self.assertEqual(contract.state, "to_renew")
            self.assertEqual(
                contract.with_context(date="2024-12-05").date_cancel_deadline,
                date(2024, 12, 1),
            )
        with freeze_time("2025-01-02"):
            self.env["zeron.contract"]._cron_update_states()
        self.assertEqual(contract.state, "expired")
        # expired, it still bills the periods of its term, and none after it
        self.assertEqual(self._invoice("2025-01-05")["created"], 1)
        self.assertEqual(
            max(contract.invoice_ids.invoice_line_ids.mapped("zeron_period_end")),
            date(2024, 12, 31),
        )
        self.assertEqual(self._invoice("2025-01-05")["created"], 0)
        contract.action_renew()
        self.assertEqual(contract.state, "running")
        self.assertEqual(contract._get_billing_end(), date(2025, 12, 31))
        self._invoice("2025-01-05")
        self.assertEqual(len(contract.invoice_ids.invoice_line_ids), 13)

    def test_renewal_offer_accepted_after_the_last_invoice_bills_on(self):
        contract = self._create_contract(
            start="2024-01-01", term_months=12, renewal_type="offer"
        )
        contract.line_ids.invoiced_up_to = date(2024, 12, 31)
        self.assertFalse(contract.line_ids.next_invoice_date)
        contract.action_renew()
        self.assertEqual(contract.line_ids.next_invoice_date, date(2025, 1, 1))
        self.assertEqual(self._invoice("2025-01-01", contract)["created"], 1)
        self.assertEqual(contract.invoice_ids.amount_untaxed, 100.0)

    def test_tacit_renewal_goes_to_renew_and_back(self):
        contract = self._create_contract(
            start="2024-01-01", term_months=12, renewal_type="tacit", notice_days=30
        )
        fixed = self._create_contract(
            start="2024-01-01", term_months=12, renewal_type="none", notice_days=30
        )
        with freeze_time("2024-11-30"):
            self.env["zeron.contract"]._cron_update_states()
            self.assertEqual((contract.state, fixed.state), ("running", "running"))
        with freeze_time("2024-12-01"):
            self.env["zeron.contract"]._cron_update_states()
            self.assertEqual((contract.state, fixed.state), ("to_renew", "to_renew"))
        with freeze_time("2025-01-01"):
            self.assertEqual(self.env["zeron.contract"]._cron_update_states(), 2)
            self.assertEqual((contract.state, fixed.state), ("running", "expired"))
        # a contract to renew is still invoiced
        contract.state = "to_renew"
        self.assertEqual(self._invoice("2024-02-01", contract)["created"], 1)

    def test_suspended_days_are_not_invoiced(self):
        contract = self._create_contract(
            start="2024-01-01",
            lines=[{"price_unit": 31.0, "recurring_invoicing_type": "arrears"}],
        )
        contract.action_suspend("2024-01-11")
        self.assertEqual(contract.state, "suspended")
        self.assertEqual(self._invoice("2024-02-01")["created"], 0)
        with self.assertRaisesRegex(UserError, "only a running contract"):
            contract.action_suspend("2024-01-12")
        contract.action_resume("2024-01-21")
        self.assertEqual(
            (contract.suspension_ids.date_start, contract.suspension_ids.date_end),
            (date(2024, 1, 11), date(2024, 1, 20)),
        )
        self._invoice("2024-03-01")
        self.assertEqual(
            contract.invoice_ids.invoice_line_ids.mapped("price_subtotal"), [21.0, 31.0]
        )
        with self.assertRaisesRegex(UserError, "is not suspended"):
            contract.action_resume("2024-03-01")

    def test_termination_credits_what_was_billed_after(self):
        contract = self._create_contract(
            start="2024-01-01", lines=[{"price_unit": 30.0}]
        )
        self._invoice("2024-02-01")
        clerk = new_test_user(
            self.env,
            login="zeron_terminate_clerk",
            groups="base.group_user,zeron_subscription.zeron_contract_group_user",
        )
        wizard = self.env["zeron.contract.terminate"].create(
            {
                "contract_id": contract.id,
                "date_end": "2024-02-10",
                "reason": "Moved abroad",
            }
        )
        with self.assertRaisesRegex(AccessError, "Only subscription managers"):
            wizard.with_user(clerk).action_terminate()
        self.assertFalse(contract.date_end)
        action = wizard.action_terminate()
        credit_note = self.env["account.move"].browse(action["res_id"])
        self.assertRecordValues(
            credit_note,
            [
                {
                    "move_type": "out_refund",
                    "state": "posted",
                    "amount_untaxed": 19.66,
                    "zeron_contract_id": contract.id,
                }
            ],
        )
        self.assertRecordValues(
            credit_note.invoice_line_ids,
            [
                {
                    "zeron_period_start": date(2024, 2, 11),
                    "zeron_period_end": date(2024, 2, 29),
                }
            ],
        )
        self.assertRecordValues(
            contract,
            [
                {
                    "state": "closed",
                    "date_end": date(2024, 2, 10),
                    "date_terminated": date(2024, 2, 10),
                    "termination_reason": "Moved abroad",
                }
            ],
        )
        self.assertEqual(contract.line_ids.invoiced_up_to, date(2024, 2, 10))
        self.assertFalse(contract.line_ids.next_invoice_date)
        with self.assertRaisesRegex(UserError, "cannot be terminated"):
            contract._terminate(date(2024, 1, 31), "again")
