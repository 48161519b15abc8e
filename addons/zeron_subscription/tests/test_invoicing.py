from datetime import date

from odoo import SUPERUSER_ID, Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger

from .common import ZeronSubscriptionCommon


@tagged("post_install", "-at_install")
class TestInvoicing(ZeronSubscriptionCommon):
    def _contract_invoices(self, contract):
        return self.env["account.move"].search(
            [("zeron_contract_id", "in", contract.ids)], order="id"
        )

    def test_monthly_in_advance(self):
        contract = self._create_contract(
            start="2024-01-31", lines=[{"price_unit": 49.99, "quantity": 2.0}]
        )
        line = contract.line_ids
        self.assertEqual(line.next_invoice_date, date(2024, 1, 31))
        result = self._invoice("2024-01-31")
        self.assertEqual(result, {"created": 1, "skipped": 0, "failed": 0})
        invoice = self._contract_invoices(contract)
        self.assertRecordValues(
            invoice,
            [
                {
                    "state": "posted",
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_date": date(2024, 1, 31),
                    "invoice_origin": contract.name,
                    "amount_untaxed": 99.98,
                    "amount_total": 99.98,
                    "currency_id": self.env.company.currency_id.id,
                }
            ],
        )
        self.assertRecordValues(
            invoice.invoice_line_ids,
            [
                {
                    "product_id": self.subscription_product.id,
                    "quantity": 2.0,
                    "price_unit": 49.99,
                    "price_subtotal": 99.98,
                    "zeron_contract_line_id": line.id,
                    "zeron_period_start": date(2024, 1, 31),
                    "zeron_period_end": date(2024, 2, 28),
                }
            ],
        )
        self.assertEqual(
            invoice.invoice_line_ids.name,
            "Alarm Monitoring\nPeriod: 01/31/2024 - 02/28/2024",
        )
        self.assertRecordValues(
            line,
            [
                {
                    "invoiced_up_to": date(2024, 2, 28),
                    "next_invoice_date": date(2024, 2, 29),
                }
            ],
        )
        # the same day again, and three runs in a day: nothing more
        for _run in range(3):
            self.assertEqual(
                self._invoice("2024-01-31"), {"created": 0, "skipped": 0, "failed": 0}
            )
        self.assertEqual(len(self._contract_invoices(contract)), 1)
        self._invoice("2024-02-29")
        second = self._contract_invoices(contract)[1:]
        self.assertRecordValues(
            second.invoice_line_ids,
            [
                {
                    "zeron_period_start": date(2024, 2, 29),
                    "zeron_period_end": date(2024, 3, 30),
                }
            ],
        )
        self.assertEqual(contract.invoice_count, 2)

    def test_in_arrears_and_catch_up(self):
        contract = self._create_contract(
            start="2023-11-15",
            lines=[{"price_unit": 10.0, "recurring_invoicing_type": "arrears"}],
        )
        self.assertEqual(contract.next_invoice_date, date(2023, 12, 15))
        self.assertEqual(self._invoice("2023-12-14")["created"], 0)
        # three months missed: one invoice, one line per period
        self._invoice("2024-02-20")
        invoice = self._contract_invoices(contract)
        self.assertEqual(len(invoice), 1)
        self.assertRecordValues(
            invoice.invoice_line_ids,
            [
                {
                    "zeron_period_start": date(2023, 11, 15),
                    "zeron_period_end": date(2023, 12, 14),
                    "price_subtotal": 10.0,
                },
                {
                    "zeron_period_start": date(2023, 12, 15),
                    "zeron_period_end": date(2024, 1, 14),
                    "price_subtotal": 10.0,
                },
                {
                    "zeron_period_start": date(2024, 1, 15),
                    "zeron_period_end": date(2024, 2, 14),
                    "price_subtotal": 10.0,
                },
            ],
        )
        self.assertEqual(contract.next_invoice_date, date(2024, 3, 15))

    def test_end_date_prorates_and_stops(self):
        contract = self._create_contract(
            start="2024-01-01",
            date_end="2024-02-10",
            lines=[{"price_unit": 29.0}],
        )
        self._invoice("2024-03-31")
        invoice = self._contract_invoices(contract)
        self.assertRecordValues(
            invoice.invoice_line_ids,
            [
                {"zeron_period_end": date(2024, 1, 31), "price_subtotal": 29.0},
                {"zeron_period_end": date(2024, 2, 10), "price_subtotal": 10.0},
            ],
        )
        self.assertFalse(contract.next_invoice_date)
        self.assertEqual(self._invoice("2024-12-31")["created"], 0)

    def test_non_renewing_term_ends_billing(self):
        contract = self._create_contract(
            start="2024-01-01", term_months=2, renewal_type="none"
        )
        self._invoice("2024-06-30")
        self.assertEqual(
            self._contract_invoices(contract).invoice_line_ids.mapped(
                "zeron_period_end"
            ),
            [date(2024, 1, 31), date(2024, 2, 29)],
        )
        tacit = self._create_contract(
            start="2024-01-01", term_months=2, renewal_type="tacit"
        )
        self._invoice("2024-06-30")
        self.assertEqual(len(self._contract_invoices(tacit).invoice_line_ids), 6)

    def test_opening_balance_and_several_lines(self):
        contract = self._create_contract(
            start="2022-03-10",
            lines=[{"price_unit": 100.0}, {"price_unit": 50.0}, {"price_unit": 25.0}],
        )
        self.env["zeron.contract.period"].create(
            [
                {
                    "line_id": line.id,
                    "date_start": date(2022, 3, 10),
                    "date_end": date(2024, 5, 9),
                }
                for line in contract.line_ids
            ]
        )
        self.assertEqual(contract.next_invoice_date, date(2024, 5, 10))
        self._invoice("2024-05-10")
        invoice = self._contract_invoices(contract)
        self.assertEqual(invoice.amount_untaxed, 175.0)
        self.assertEqual(
            set(contract.line_ids.mapped("invoiced_up_to")), {date(2024, 6, 9)}
        )

    def test_cancelled_invoice_reopens_its_periods(self):
        contract = self._create_contract(start="2024-01-01")
        self._invoice("2024-01-01")
        invoice = self._contract_invoices(contract)
        invoice.button_draft()
        invoice.button_cancel()
        self.assertFalse(contract.line_ids.invoiced_up_to)
        self.assertEqual(contract.next_invoice_date, date(2024, 1, 1))
        self._invoice("2024-01-01")
        self.assertEqual(
            len(
                self._contract_invoices(contract).filtered(
                    lambda m: m.state == "posted"
                )
            ),
            1,
        )

    def test_taxes_and_foreign_currency(self):
        pricelist = self.env["product.pricelist"].create(
            {"name": "EUR", "currency_id": self.other_currency.id}
        )
        contract = self._create_contract(
            start="2024-01-01",
            pricelist_id=pricelist.id,
            lines=[
                {"price_unit": 33.33, "tax_ids": [Command.set(self.tax_sale_a.ids)]}
            ],
        )
        self._invoice("2024-01-01")
        invoice = self._contract_invoices(contract)
        self.assertRecordValues(
            invoice,
            [
                {
                    "currency_id": self.other_currency.id,
                    "amount_untaxed": 33.33,
                    "amount_tax": 5.0,
                    "amount_total": 38.33,
                }
            ],
        )

    def test_draft_closed_and_cancelled_contracts_are_not_invoiced(self):
        draft = self._create_contract(start_running=False)
        closed = self._create_contract()
        closed.action_close()
        self.assertEqual(self._invoice("2024-03-01")["created"], 0)
        self.assertFalse(self._contract_invoices(draft | closed))

    @mute_logger("odoo.addons.zeron_subscription.models.zeron_contract")
    def test_failing_contract_does_not_stop_the_others(self):
        journal = self.company_data["default_journal_sale"]
        bare_product = self.env["product.product"].create(
            {
                "name": "Unaccounted Service",
                "type": "service",
                "categ_id": self.env["product.category"].create({"name": "Bare"}).id,
            }
        )
        bare_product.categ_id.property_account_income_categ_id = False
        bare_product.property_account_income_id = False
        good = [self._create_contract(start="2024-01-01") for _i in range(3)]
        bad = self._create_contract(
            start="2024-01-01", lines=[{"product_id": bare_product.id}]
        )
        default_account = journal.default_account_id
        journal.default_account_id = False
        result = self._invoice("2024-01-01")
        self.assertEqual(result, {"created": 3, "skipped": 0, "failed": 1})
        for contract in good:
            self.assertEqual(len(self._contract_invoices(contract)), 1)
        self.assertFalse(self._contract_invoices(bad))
        self.assertIn("Unaccounted Service has no income account", bad.invoicing_error)
        activity = bad.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.manager_user)
        self.assertIn("no income account", activity.note)
        self.assertFalse(bad.line_ids.period_ids)
        # a second failing run does not pile up activities
        self._invoice("2024-01-01")
        self.assertEqual(len(bad.activity_ids), 1)
        # fixed: the next run bills it once
        journal.default_account_id = default_account
        self.assertEqual(self._invoice("2024-01-01")["created"], 1)
        self.assertEqual(len(self._contract_invoices(bad)), 1)
        self.assertFalse(bad.invoicing_error)
        self.assertEqual(self._invoice("2024-01-01")["created"], 0)

    def test_invoice_now_button(self):
        contract = self._create_contract(start="2024-01-01")
        with freeze_time("2024-01-15"):
            action = contract.action_create_invoices()
            self.assertEqual(
                self.env["account.move"]
                .search(action["domain"])
                .invoice_line_ids.zeron_period_end,
                date(2024, 1, 31),
            )
            with self.assertRaisesRegex(UserError, "Nothing is due"):
                contract.action_create_invoices()

    def test_default_reference_date_uses_company_time_zone(self):
        self.env.company.partner_id.tz = "Pacific/Kiritimati"  # UTC+14
        contract = self._create_contract(start="2024-01-02")
        with freeze_time("2024-01-01 12:00:00"):
            self.assertEqual(self.env["zeron.contract"]._get_today(), date(2024, 1, 2))
            self.env["zeron.contract"].create_recurring_invoices()
        self.assertEqual(len(self._contract_invoices(contract)), 1)

    def test_multi_company_cron(self):
        other = self.setup_other_company()["company"]
        self.env.user.company_ids += other
        contract_1 = self._create_contract(start="2024-01-01")
        product_2 = self.env["product.product"].create(
            {
                "name": "Guarding",
                "type": "service",
                "zeron_is_subscription": True,
                "company_id": other.id,
                "taxes_id": [Command.clear()],
            }
        )
        contract_2 = (
            self.env["zeron.contract"]
            .with_company(other)
            .create(
                {
                    "partner_id": self.customer.id,
                    "company_id": other.id,
                    "date_start": "2024-01-01",
                    "line_ids": [
                        Command.create({"product_id": product_2.id, "price_unit": 7.0})
                    ],
                }
            )
        )
        contract_2.action_start()
        cron_model = self.env["zeron.contract"].with_user(SUPERUSER_ID)
        with freeze_time("2024-01-01 10:00:00"):
            cron_model._cron_create_invoices()
        invoice_1 = self._contract_invoices(contract_1)
        invoice_2 = self._contract_invoices(contract_2)
        self.assertEqual(invoice_1.company_id, self.env.company)
        self.assertEqual(invoice_2.company_id, other)
        self.assertEqual(invoice_2.journal_id.company_id, other)
        self.assertEqual(invoice_2.amount_total, 7.0)
        with freeze_time("2024-01-01 10:00:00"):
            cron_model._cron_create_invoices()
        self.assertEqual(len(self._contract_invoices(contract_1 | contract_2)), 2)


@tagged("post_install", "-at_install")
class TestInvoicingGuards(ZeronSubscriptionCommon):
    """Cases found by a new user trying to break the billing."""

    def test_lines_made_through_the_api_take_the_products_period(self):
        yearly = self.env["product.product"].create(
            {
                "name": "Safe Deposit Box",
                "type": "service",
                "zeron_is_subscription": True,
                "zeron_recurring_interval": 1,
                "zeron_recurring_rule_type": "year",
                "zeron_recurring_invoicing_type": "arrears",
                "list_price": 1200.0,
            }
        )
        contract = self._create_contract(
            start="2024-01-01", lines=[{"product_id": yearly.id}]
        )
        self.assertRecordValues(
            contract.line_ids,
            [
                {
                    "recurring_interval": 1,
                    "recurring_rule_type": "year",
                    "recurring_invoicing_type": "arrears",
                    "next_invoice_date": date(2025, 1, 1),
                }
            ],
        )

    def test_cancelling_an_older_invoice_bills_the_gap_only(self):
        contract = self._create_contract(start="2024-01-01")
        for day in ("2024-01-01", "2024-02-01", "2024-03-01"):
            self._invoice(day)
        january, february, march = contract.invoice_ids.sorted("id")
        february.button_draft()
        february.button_cancel()
        self.assertEqual(contract.line_ids.invoiced_up_to, date(2024, 1, 31))
        self.assertEqual(contract.next_invoice_date, date(2024, 2, 1))
        self._invoice("2024-03-15")
        again = contract.invoice_ids.filtered(lambda m: m.state == "posted") - (
            january | march
        )
        self.assertEqual(
            again.invoice_line_ids.mapped("zeron_period_start"), [date(2024, 2, 1)]
        )
        self.assertEqual(contract.line_ids.invoiced_up_to, date(2024, 3, 31))

    def test_reposting_a_cancelled_invoice_never_bills_twice(self):
        contract = self._create_contract(start="2024-01-01")
        self._invoice("2024-01-01")
        first = contract.invoice_ids
        first.button_draft()
        first.button_cancel()
        self._invoice("2024-01-01")
        first.button_draft()
        with self.assertRaisesRegex(UserError, "already bills"):
            first.action_post()
        self.assertEqual(
            len(contract.invoice_ids.filtered(lambda m: m.state == "posted")), 1
        )

    def test_clerks_cannot_write_off_billing(self):
        clerk = self.env["res.users"].create(
            {
                "name": "Clerk",
                "login": "zeron_guard_clerk",
                "groups_id": [
                    Command.set(
                        self.env.ref("zeron_subscription.zeron_contract_group_user").ids
                    )
                ],
            }
        )
        contract = self._create_contract(start="2024-01-01")
        self._invoice("2024-01-01")
        with self.assertRaises(AccessError):
            self.env["zeron.contract.period"].with_user(clerk).create(
                {
                    "line_id": contract.line_ids.id,
                    "date_start": "2024-02-01",
                    "date_end": "2099-12-31",
                }
            )
        with self.assertRaisesRegex(UserError, "has been invoiced: end it"):
            contract.line_ids.with_user(clerk).unlink()
        with self.assertRaisesRegex(UserError, "has invoices"):
            contract.unlink()

    def test_bad_line_input(self):
        with self.assertRaisesRegex(ValidationError, "Discount .%. must be between"):
            self._create_contract(lines=[{"discount": 150.0}])
        goods = self.env["product.product"].create({"name": "Cable", "type": "consu"})
        with self.assertRaisesRegex(ValidationError, "must be a service; Cable"):
            self._create_contract(lines=[{"product_id": goods.id}])
        with self.assertRaisesRegex(ValidationError, "is before the contract's"):
            self._create_contract(
                start="2024-01-01", lines=[{"date_start": "2023-12-01"}]
            )
        with self.assertRaisesRegex(ValidationError, "outside the years 1900 to 2999"):
            self._create_contract(start="9999-12-15")
        with self.assertRaisesRegex(UserError, "outside the years 1900 to 2999"):
            self._invoice("9999-12-31")

    def test_terminated_before_its_start_bills_nothing(self):
        contract = self._create_contract(start="2027-03-01")
        contract._terminate(date(2027, 2, 28), "Changed their mind")
        self.assertEqual(contract.state, "cancelled")
        self.assertEqual(self._invoice("2027-06-01")["created"], 0)

    @mute_logger("odoo.addons.zeron_subscription.models.zeron_contract")
    def test_success_closes_the_failure_activity(self):
        contract = self._create_contract(start="2024-01-01")
        contract._flag_invoicing_error(UserError("No journal"))
        self.assertEqual(len(contract.activity_ids), 1)
        self._invoice("2024-01-01")
        self.assertFalse(contract.activity_ids)
        self.assertFalse(contract.invoicing_error)
