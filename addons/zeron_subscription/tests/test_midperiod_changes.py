from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ZeronSubscriptionCommon


@tagged("post_install", "-at_install")
class TestMidperiodChanges(ZeronSubscriptionCommon):
    """Changes of quantity or price inside a period invoiced in advance."""

    def _invoices_on(self, contract, day):
        return contract.invoice_ids.filtered(
            lambda m: m.invoice_date == day and m.move_type == "out_invoice"
        )

    def _credit_notes(self, contract):
        return contract.invoice_ids.filtered(lambda m: m.move_type == "out_refund")

    def test_upgrade_invoices_the_prorated_difference(self):
        contract = self._create_contract(start="2026-01-01")
        self._invoice("2026-01-01", contract)
        old = contract.line_ids
        successor = old._split_at(date(2026, 1, 16), {"quantity": 2.0})
        self.assertEqual(old.date_end, date(2026, 1, 15))
        self.assertRecordValues(
            successor,
            [
                {
                    "invoiced_up_to": date(2026, 1, 31),
                    "next_period_start": date(2026, 2, 1),
                    "next_invoice_date": date(2026, 1, 16),
                }
            ],
        )
        # 100.00 more a month for 16 of January's 31 days
        self.assertRecordValues(
            successor.period_ids,
            [
                {
                    "period_type": "carried",
                    "date_start": date(2026, 1, 16),
                    "date_end": date(2026, 1, 31),
                    "origin_period_id": old.period_ids.id,
                    "adjustment_amount": 51.61,
                    "adjustment_due": True,
                }
            ],
        )
        self.assertEqual(self._invoice("2026-01-16", contract)["created"], 1)
        adjustment = self._invoices_on(contract, date(2026, 1, 16))
        self.assertRecordValues(
            adjustment, [{"state": "posted", "amount_untaxed": 51.61}]
        )
        self.assertRecordValues(
            adjustment.invoice_line_ids,
            [
                {
                    "quantity": 1.0,
                    "price_unit": 51.61,
                    "zeron_contract_line_id": successor.id,
                    "zeron_period_start": date(2026, 1, 16),
                    "zeron_period_end": date(2026, 1, 31),
                    "zeron_is_adjustment": True,
                }
            ],
        )
        label = adjustment.invoice_line_ids.name.splitlines()
        self.assertEqual(label[0], "Alarm Monitoring")
        self.assertRegex(label[1], r"^Adjustment for the change from .*100\.00 to ")
        self.assertEqual(label[2], "Period: 01/16/2026 - 01/31/2026")
        self.assertRecordValues(
            successor.period_ids.sorted("period_type"),
            [
                {"period_type": "adjustment", "adjustment_due": False},
                {"period_type": "carried", "adjustment_due": False},
            ],
        )
        self.assertEqual(successor.next_invoice_date, date(2026, 2, 1))
        self.assertEqual(self._invoice("2026-01-16", contract)["created"], 0)
        self._invoice("2026-02-01", contract)
        self.assertRecordValues(
            self._invoices_on(contract, date(2026, 2, 1)).invoice_line_ids,
            [
                {
                    "price_subtotal": 200.0,
                    "zeron_contract_line_id": successor.id,
                    "zeron_period_start": date(2026, 2, 1),
                    "zeron_is_adjustment": False,
                }
            ],
        )
        self.assertEqual(self._invoice("2026-02-01", contract)["created"], 0)
        self.assertEqual(
            contract.invoice_ids.sorted("id").mapped("amount_untaxed"),
            [100.0, 51.61, 200.0],
        )
        self.assertFalse(self._credit_notes(contract))

    def test_upgrade_adjustment_goes_with_the_next_period(self):
        contract = self._create_contract(start="2026-01-01")
        self._invoice("2026-01-01", contract)
        contract.line_ids._split_at(date(2026, 1, 16), {"quantity": 2.0})
        self._invoice("2026-02-01", contract)
        february = self._invoices_on(contract, date(2026, 2, 1))
        self.assertRecordValues(
            february.invoice_line_ids,
            [
                {
                    "price_subtotal": 51.61,
                    "zeron_period_start": date(2026, 1, 16),
                    "zeron_is_adjustment": True,
                },
                {
                    "price_subtotal": 200.0,
                    "zeron_period_start": date(2026, 2, 1),
                    "zeron_is_adjustment": False,
                },
            ],
        )
        self.assertEqual(february.amount_untaxed, 251.61)
        self.assertEqual(self._invoice("2026-02-01", contract)["created"], 0)

    def test_downgrade_credits_the_difference_at_once(self):
        contract = self._create_contract(start="2026-01-01", lines=[{"quantity": 2.0}])
        self._invoice("2026-01-01", contract)
        successor = contract.line_ids._split_at(date(2026, 1, 16), {"quantity": 1.0})
        credit_note = self._credit_notes(contract)
        self.assertRecordValues(
            credit_note, [{"state": "posted", "amount_untaxed": 51.61}]
        )
        self.assertRecordValues(
            credit_note.invoice_line_ids,
            [
                {
                    "quantity": 1.0,
                    "price_unit": 51.61,
                    "zeron_period_start": date(2026, 1, 16),
                    "zeron_period_end": date(2026, 1, 31),
                    "zeron_is_adjustment": True,
                }
            ],
        )
        self.assertEqual(
            credit_note.invoice_line_ids.name.splitlines()[-1],
            "Period: 01/16/2026 - 01/31/2026",
        )
        self.assertRecordValues(
            successor.period_ids.sorted("period_type"),
            [
                {
                    "period_type": "adjustment",
                    "invoice_line_id": credit_note.invoice_line_ids.id,
                    "adjustment_amount": 0.0,
                    "adjustment_due": False,
                },
                {
                    "period_type": "carried",
                    "invoice_line_id": False,
                    "adjustment_amount": -51.61,
                    "adjustment_due": False,
                },
            ],
        )
        self.assertEqual(successor.next_invoice_date, date(2026, 2, 1))
        self.assertEqual(self._invoice("2026-01-16", contract)["created"], 0)
        # cancelling the credit note withdraws the credit: it is not made again
        credit_note.button_draft()
        credit_note.button_cancel()
        self.assertEqual(successor.next_invoice_date, date(2026, 2, 1))
        self._invoice("2026-02-01", contract)
        self.assertEqual(
            self._invoices_on(contract, date(2026, 2, 1)).amount_untaxed, 100.0
        )
        self.assertEqual(len(self._credit_notes(contract)), 1)

    def test_cancelled_or_credited_adjustment_is_due_again(self):
        contract = self._create_contract(start="2026-01-01")
        self._invoice("2026-01-01", contract)
        january = contract.invoice_ids
        successor = contract.line_ids._split_at(date(2026, 1, 16), {"quantity": 2.0})
        self._invoice("2026-01-16", contract)
        adjustment = self._invoices_on(contract, date(2026, 1, 16))
        # what the adjustment adds to January's invoice must be undone first
        january.button_draft()
        with self.assertRaisesRegex(UserError, "cancel or credit them first"):
            january.button_cancel()
        january.action_post()
        adjustment.button_draft()
        adjustment.button_cancel()
        self.assertEqual(successor.next_invoice_date, date(2026, 1, 16))
        self._invoice("2026-01-20", contract)
        again = self._invoices_on(contract, date(2026, 1, 20))
        self.assertEqual(again.amount_untaxed, 51.61)
        # Odoo's Credit Note of the whole adjustment makes it due again too
        refund = again._reverse_moves()
        refund.action_post()
        self.assertEqual(successor.next_invoice_date, date(2026, 1, 16))
        self._invoice("2026-01-21", contract)
        self.assertEqual(
            self._invoices_on(contract, date(2026, 1, 21)).amount_untaxed, 51.61
        )
        self.assertEqual(self._invoice("2026-01-21", contract)["created"], 0)

    def test_cancelling_the_invoice_before_the_change_bills_both_lines(self):
        contract = self._create_contract(start="2026-01-01")
        self._invoice("2026-01-01", contract)
        old = contract.line_ids
        successor = old._split_at(date(2026, 1, 16), {"quantity": 2.0})
        contract.invoice_ids.button_draft()
        contract.invoice_ids.button_cancel()
        # the days carried over went with the invoice that paid for them
        self.assertFalse(successor.period_ids)
        self._invoice("2026-01-16", contract)
        self.assertEqual(
            self._invoices_on(contract, date(2026, 1, 16)).invoice_line_ids.mapped(
                "price_subtotal"
            ),
            [48.39, 103.22],
        )

    def test_price_revision_adjusts_inside_a_period_not_on_its_boundary(self):
        contract = self._create_contract(start="2026-01-01")
        self._invoice("2026-01-01", contract)
        self.env["zeron.price.revision"].create(
            {"contract_ids": contract.ids, "date_from": "2026-02-01", "percent": 10}
        ).action_apply()
        february = contract.line_ids[-1]
        self.assertFalse(february.period_ids)
        self._invoice("2026-02-01", contract)
        self.assertEqual(
            self._invoices_on(contract, date(2026, 2, 1)).invoice_line_ids.mapped(
                "price_subtotal"
            ),
            [110.0],
        )
        # from the 16th: 11.00 more a month for 13 of February's 28 days
        self.env["zeron.price.revision"].create(
            {"contract_ids": contract.ids, "date_from": "2026-02-16", "percent": 10}
        ).action_apply()
        self.assertEqual(contract.line_ids[-1].price_unit, 121.0)
        self._invoice("2026-02-16", contract)
        self.assertEqual(
            self._invoices_on(contract, date(2026, 2, 16)).amount_untaxed, 5.11
        )

    def test_currency_changeover_makes_no_adjustment(self):
        bgn = self.setup_other_currency("BGN", rates=[("2020-01-01", 1.95583)])
        lev = self.env["product.pricelist"].create(
            {"name": "Lev", "currency_id": bgn.id}
        )
        euro = self.env["product.pricelist"].create(
            {"name": "Euro", "currency_id": self.other_currency.id}
        )
        on_boundary = self._create_contract(start="2025-12-01", pricelist_id=lev.id)
        inside = self._create_contract(start="2025-12-01", pricelist_id=lev.id)
        contracts = on_boundary | inside
        self._invoice("2025-12-01", contracts)
        for contract, day in ((on_boundary, "2026-01-01"), (inside, "2025-12-16")):
            self.env["zeron.currency.change"].create(
                {
                    "contract_ids": contract.ids,
                    "date_from": day,
                    "currency_from_id": bgn.id,
                    "pricelist_id": euro.id,
                    "rate": 1.95583,
                }
            ).action_apply()
        self.assertFalse(on_boundary.line_ids.period_ids.filtered("adjustment_amount"))
        self.assertFalse(on_boundary.line_ids[-1].period_ids)
        self.assertRecordValues(
            inside.line_ids[-1].period_ids,
            [
                {
                    "period_type": "carried",
                    "date_start": date(2025, 12, 16),
                    "adjust": False,
                    "adjustment_amount": 0.0,
                    "adjustment_due": False,
                }
            ],
        )
        self._invoice("2026-01-01", contracts)
        self.assertEqual(
            [
                (m.currency_id, m.amount_untaxed)
                for m in contracts.invoice_ids.sorted("id")
            ],
            [
                (bgn, 100.0),
                (bgn, 100.0),
                (self.other_currency, 51.13),
                (self.other_currency, 51.13),
            ],
        )

    def test_no_adjustment_without_proration(self):
        contract = self._create_contract(start="2026-01-01", proration_policy="none")
        self._invoice("2026-01-01", contract)
        successor = contract.line_ids._split_at(date(2026, 1, 16), {"quantity": 2.0})
        self.assertRecordValues(
            successor.period_ids,
            [{"period_type": "carried", "adjustment_amount": 0.0}],
        )
        self.assertEqual(successor.next_invoice_date, date(2026, 2, 1))
        self.assertFalse(self._credit_notes(contract))

    def test_termination_credits_an_invoiced_adjustment(self):
        contract = self._create_contract(start="2026-01-01")
        self._invoice("2026-01-01", contract)
        old = contract.line_ids
        successor = old._split_at(date(2026, 1, 16), {"quantity": 2.0})
        self._invoice("2026-01-16", contract)
        credit_note = contract._terminate(date(2026, 1, 20), "Moved abroad")
        # 11 days at 100.00 from January's invoice, 11 of 16 from the adjustment
        self.assertEqual(
            credit_note.invoice_line_ids.mapped("price_subtotal"), [35.48, 35.48]
        )
        self.assertEqual(
            credit_note.invoice_line_ids[0].name,
            "Alarm Monitoring\nCredited: 01/21/2026 - 01/31/2026",
        )
        self.assertEqual(old.period_ids.date_end, date(2026, 1, 20))
        self.assertEqual(
            successor.period_ids.mapped("date_end"), [date(2026, 1, 20)] * 2
        )
        self.assertFalse(successor.next_invoice_date)

    def test_termination_deducts_a_downgrade_credit(self):
        contract = self._create_contract(start="2026-01-01", lines=[{"quantity": 2.0}])
        self._invoice("2026-01-01", contract)
        contract.line_ids._split_at(date(2026, 1, 16), {"quantity": 1.0})
        credit_note = contract._terminate(date(2026, 1, 20), "Moved abroad")
        # 2 x 11 days at 100.00, less 11 of the 16 days credited at 100.00
        self.assertEqual(
            credit_note.invoice_line_ids.mapped("price_subtotal"), [70.96, -35.48]
        )
        self.assertEqual(credit_note.amount_untaxed, 35.48)
        self.assertEqual(
            credit_note.invoice_line_ids[1].name.splitlines()[1],
            "Credited before: 01/21/2026 - 01/31/2026",
        )


@tagged("post_install", "-at_install")
class TestSuspensionCredits(ZeronSubscriptionCommon):
    """Suspended days of periods invoiced in advance are credited on resumption."""

    def _credit_notes(self, contract):
        return contract.invoice_ids.filtered(
            lambda m: m.move_type == "out_refund"
        ).sorted("id")

    def test_resume_credits_the_suspended_days(self):
        contract = self._create_contract(start="2026-01-01")
        self._invoice("2026-01-01", contract)
        contract.action_suspend("2026-01-11")
        contract.action_resume("2026-01-21")
        credit_note = self._credit_notes(contract)
        self.assertRecordValues(
            credit_note, [{"state": "posted", "amount_untaxed": 32.26}]
        )
        self.assertRecordValues(
            credit_note.invoice_line_ids,
            [
                {
                    "name": "Alarm Monitoring\nCredited: 01/11/2026 - 01/20/2026",
                    "zeron_period_start": date(2026, 1, 11),
                    "zeron_period_end": date(2026, 1, 20),
                }
            ],
        )
        self.assertRecordValues(
            contract.line_ids.period_ids.filtered(lambda p: p.period_type == "credit"),
            [
                {
                    "date_start": date(2026, 1, 11),
                    "date_end": date(2026, 1, 20),
                    "invoice_line_id": credit_note.invoice_line_ids.id,
                }
            ],
        )
        self.assertEqual(contract.line_ids.invoiced_up_to, date(2026, 1, 31))
        self._invoice("2026-02-01", contract)
        self.assertEqual(contract.invoice_ids[-1:].amount_untaxed, 100.0)
        self.assertEqual(
            contract.invoice_ids.filtered(
                lambda m: m.invoice_date == date(2026, 2, 1)
            ).amount_untaxed,
            100.0,
        )
        # the same days again: they were credited already
        with self.assertRaisesRegex(UserError, "overlap the previous one"):
            contract.action_suspend("2026-01-20")
        # other days: only those are credited
        contract.action_suspend("2026-02-02")
        contract.action_resume("2026-02-06")
        self.assertEqual(
            self._credit_notes(contract).mapped("amount_untaxed"), [32.26, 14.29]
        )
        self.assertEqual(self._invoice("2026-02-06", contract)["created"], 0)

    def test_suspended_past_the_period_end_is_credited_at_resume(self):
        contract = self._create_contract(start="2026-01-01")
        self._invoice("2026-01-01", contract)
        contract.action_suspend("2026-01-20")
        self.assertEqual(self._invoice("2026-02-01", contract)["created"], 0)
        self.assertFalse(self._credit_notes(contract))
        contract.action_resume("2026-02-10")
        # 20 to 31 January; February is not invoiced yet
        self.assertEqual(self._credit_notes(contract).amount_untaxed, 38.71)
        self._invoice("2026-02-10", contract)
        self._invoice("2026-03-01", contract)
        self.assertEqual(
            contract.invoice_ids.filtered(
                lambda m: m.move_type == "out_invoice"
            ).mapped("amount_untaxed"),
            [100.0, 67.86, 100.0],
        )
        self.assertEqual(len(self._credit_notes(contract)), 1)

    def test_period_billed_without_suspended_days_is_credited_per_billed_day(self):
        contract = self._create_contract(start="2026-01-01")
        contract.action_suspend("2026-01-01")
        contract.action_resume("2026-01-11")
        self.assertFalse(self._credit_notes(contract))
        self._invoice("2026-01-11", contract)
        self.assertEqual(contract.invoice_ids.amount_untaxed, 67.74)
        contract.action_suspend("2026-01-21")
        contract.action_resume("2026-01-26")
        # 5 days at 100.00 a month of 31 days, not 5 / 31 of what was billed
        self.assertEqual(self._credit_notes(contract).amount_untaxed, 16.13)

    def test_termination_deducts_what_a_suspension_credited(self):
        contract = self._create_contract(start="2026-01-01")
        self._invoice("2026-01-01", contract)
        contract.action_suspend("2026-01-11")
        contract.action_resume("2026-01-21")
        credit_note = contract._terminate(date(2026, 1, 15), "Moved abroad")
        self.assertEqual(
            credit_note.invoice_line_ids.mapped("price_subtotal"), [51.61, -16.13]
        )
        self.assertEqual(credit_note.amount_untaxed, 35.48)
        self.assertEqual(
            contract.line_ids.period_ids.mapped("date_end"),
            [date(2026, 1, 15), date(2026, 1, 15)],
        )

    def test_termination_of_a_suspended_contract_credits_its_suspension(self):
        contract = self._create_contract(start="2026-01-01")
        self._invoice("2026-01-01", contract)
        contract.action_suspend("2026-01-11")
        credit_notes = contract._terminate(date(2026, 1, 20), "Moved abroad")
        self.assertEqual(credit_notes.mapped("amount_untaxed"), [32.26, 35.48])
        self.assertEqual(
            (contract.suspension_ids.date_start, contract.suspension_ids.date_end),
            (date(2026, 1, 11), date(2026, 1, 20)),
        )
