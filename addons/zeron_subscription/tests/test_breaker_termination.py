from datetime import date

from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from .common import ZeronSubscriptionCommon


@tagged("post_install", "-at_install")
class TestBreakerTermination(ZeronSubscriptionCommon):
    """Terminating a contract whose run invoices await review as drafts."""

    def test_termination_refused_while_a_draft_bills_days_after_it(self):
        self.env.company.zeron_invoice_auto_post = False
        contract = self._create_contract(start="2026-01-01")
        self._invoice("2026-01-01", contract)
        contract.invoice_ids.action_post()
        self._invoice("2026-02-01", contract)
        draft = contract.invoice_ids.filtered(lambda m: m.state == "draft")
        self.assertEqual(draft.amount_untaxed, 100.0)
        # posted after the termination, the draft would bill 15 to 28
        # February with nothing to credit them
        with self.assertRaisesRegex(UserError, "draft"):
            contract._terminate(date(2026, 2, 14), "Moved away")
        self.assertFalse(contract.date_end)
        self.assertEqual(contract.state, "running")
        # posted first, the termination credits the days after it
        draft.action_post()
        credit_note = contract._terminate(date(2026, 2, 14), "Moved away")
        self.assertRecordValues(
            credit_note, [{"state": "posted", "amount_untaxed": 50.0}]
        )

    def test_termination_after_a_deleted_draft_bills_the_days_left(self):
        self.env.company.zeron_invoice_auto_post = False
        contract = self._create_contract(start="2026-01-01")
        self._invoice("2026-01-01", contract)
        contract.invoice_ids.unlink()
        with freeze_time("2026-02-05"):
            contract._terminate(date(2026, 1, 20), "Moved away")
        self.assertEqual(contract.state, "closed")
        self.assertEqual(contract.next_invoice_date, date(2026, 1, 1))
        self.assertEqual(self._invoice("2026-02-05")["created"], 1)
        # 20 of January's 31 days, once
        self.assertRecordValues(
            contract.invoice_ids,
            [{"amount_untaxed": 64.52, "invoice_date": date(2026, 2, 5)}],
        )
        self.assertFalse(contract.next_invoice_date)
        self.assertEqual(self._invoice("2026-02-06")["created"], 0)


@tagged("post_install", "-at_install")
class TestBreakerEndedContracts(ZeronSubscriptionCommon):
    """The last periods of a contract that has ended are still invoiced."""

    def test_arrears_contract_bills_its_last_period_after_expiring(self):
        contract = self._create_contract(
            start="2026-01-01",
            date_end="2026-03-31",
            lines=[{"recurring_invoicing_type": "arrears"}],
        )
        self._invoice("2026-02-01")
        self._invoice("2026-03-01")
        with freeze_time("2026-04-01"):
            self.env["zeron.contract"]._cron_update_states()
        self.assertEqual(contract.state, "expired")
        self.assertEqual(contract.next_invoice_date, date(2026, 4, 1))
        forecast = contract._get_forecast(count=3, date_from=date(2026, 4, 1))
        self.assertEqual(
            [(row["invoice_date"], row["amount_untaxed"]) for row in forecast],
            [(date(2026, 4, 1), 100.0)],
        )
        self.assertEqual(self._invoice("2026-04-01")["created"], 1)
        self.assertRecordValues(
            contract.invoice_ids.sorted("invoice_date")[-1].invoice_line_ids,
            [
                {
                    "price_subtotal": 100.0,
                    "zeron_period_start": date(2026, 3, 1),
                    "zeron_period_end": date(2026, 3, 31),
                }
            ],
        )
        self.assertFalse(contract.next_invoice_date)
        self.assertEqual(self._invoice("2026-05-01")["created"], 0)

    def test_contract_closed_by_hand_bills_nothing(self):
        open_ended = self._create_contract(start="2026-01-01")
        with_end = self._create_contract(start="2026-01-01", date_end="2026-06-30")
        (open_ended | with_end).action_close()
        self.assertFalse(open_ended.next_invoice_date)
        self.assertFalse(with_end.next_invoice_date)
        self.assertEqual(self._invoice("2026-02-01")["created"], 0)
