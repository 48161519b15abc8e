from datetime import date

from odoo import Command
from odoo.tests import freeze_time, new_test_user, tagged

from .common import ZeronSubscriptionCommon


def d(text):
    return date.fromisoformat(text)


@tagged("post_install", "-at_install")
class TestForecast(ZeronSubscriptionCommon):
    """The forecast bills, on paper, what the invoicing run then bills."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_product = cls.env["product.product"].create(
            {
                "name": "Installation",
                "type": "service",
                "zeron_one_time": True,
                "list_price": 250.0,
                "taxes_id": [Command.clear()],
            }
        )

    def _table(self, rows):
        """Return the forecast rows as (rank, invoice date, start, end, amount)."""
        return [
            (
                row["rank"],
                row["invoice_date"].isoformat(),
                row["date_start"].isoformat(),
                row["date_end"].isoformat(),
                row["amount_untaxed"],
            )
            for row in rows
        ]

    def _invoiced_table(self, contract):
        """Return the invoiced lines of ``contract`` as (date, start, end, amount)."""
        move_lines = (
            self.env["account.move.line"]
            .search([("zeron_contract_line_id", "in", contract.line_ids.ids)])
            .sorted(lambda line: (line.move_id.id, line.id))
        )
        return [
            (
                line.move_id.invoice_date.isoformat(),
                line.zeron_period_start.isoformat(),
                line.zeron_period_end.isoformat(),
                line.price_subtotal,
            )
            for line in move_lines
        ]

    def _run_forecast_dates(self, contract, rows):
        """Run the real invoicing on each forecast invoice date."""
        for invoice_date in sorted({row["invoice_date"] for row in rows}):
            self.assertEqual(self._invoice(invoice_date, contract)["created"], 1)

    def _counts(self):
        return (
            self.env["account.move"].search_count([]),
            self.env["zeron.contract.period"].sudo().search_count([]),
        )

    # === PERIODS AND AMOUNTS === #

    def test_monthly_from_month_end_then_the_real_run(self):
        contract = self._create_contract(
            start="2026-01-31", lines=[{"price_unit": 100.0}]
        )
        rows = contract._get_forecast(count=4, date_from=d("2026-01-31"))
        # boundaries come back to the 31st: 28 Feb, 31 Mar, 30 Apr
        self.assertEqual(
            self._table(rows),
            [
                (1, "2026-01-31", "2026-01-31", "2026-02-27", 100.0),
                (2, "2026-02-28", "2026-02-28", "2026-03-30", 100.0),
                (3, "2026-03-31", "2026-03-31", "2026-04-29", 100.0),
                (4, "2026-04-30", "2026-04-30", "2026-05-30", 100.0),
            ],
        )
        self.assertEqual(rows[0]["line"], contract.line_ids)
        self._invoice("2026-01-31", contract)
        self.assertEqual(
            self._invoiced_table(contract),
            [("2026-01-31", "2026-01-31", "2026-02-27", 100.0)],
        )
        # forecast again after the run: it goes on from the invoiced period
        self.assertEqual(
            self._table(contract._get_forecast(count=1, date_from=d("2026-01-31"))),
            [(1, "2026-02-28", "2026-02-28", "2026-03-30", 100.0)],
        )
        self._run_forecast_dates(contract, rows[1:])
        self.assertEqual(
            self._invoiced_table(contract), [row[1:] for row in self._table(rows)]
        )

    def test_late_periods_are_caught_up_on_today(self):
        contract = self._create_contract(
            start="2026-01-31", lines=[{"price_unit": 100.0}]
        )
        with freeze_time("2026-03-10 09:00:00"):
            rows = contract._get_forecast(count=2)
        self.assertEqual(
            self._table(rows),
            [
                (1, "2026-03-10", "2026-01-31", "2026-02-27", 100.0),
                (1, "2026-03-10", "2026-02-28", "2026-03-30", 100.0),
                (2, "2026-03-31", "2026-03-31", "2026-04-29", 100.0),
            ],
        )
        self._run_forecast_dates(contract, rows)
        self.assertEqual(
            self._invoiced_table(contract), [row[1:] for row in self._table(rows)]
        )

    def test_end_date_cuts_the_forecast_with_proration(self):
        contract = self._create_contract(
            start="2026-01-01",
            lines=[{"price_unit": 100.0, "date_end": "2026-03-15"}],
        )
        rows = contract._get_forecast(count=4, date_from=d("2026-01-01"))
        # 15 of March's 31 days: 100 x 15 / 31 = 48.39; nothing after the end
        self.assertEqual(
            self._table(rows),
            [
                (1, "2026-01-01", "2026-01-01", "2026-01-31", 100.0),
                (2, "2026-02-01", "2026-02-01", "2026-02-28", 100.0),
                (3, "2026-03-01", "2026-03-01", "2026-03-15", 48.39),
            ],
        )
        self._run_forecast_dates(contract, rows)
        self.assertEqual(
            self._invoiced_table(contract), [row[1:] for row in self._table(rows)]
        )

    def test_arrears_lead_time_and_suspension(self):
        contract = self._create_contract(
            start="2026-01-01",
            invoicing_lead_days=5,
            lines=[
                {"price_unit": 100.0},
                {
                    "price_unit": 300.0,
                    "recurring_rule_type": "quarter",
                    "recurring_invoicing_type": "arrears",
                },
            ],
        )
        self.env["zeron.contract.suspension"].create(
            {
                "contract_id": contract.id,
                "date_start": "2026-02-10",
                "date_end": "2026-02-19",
            }
        )
        rows = contract._get_forecast(count=4, date_from=d("2025-12-01"))
        # 5 days before each start (in advance) or after each end (in arrears);
        # February bills 18 of 28 days (64.29), the quarter 80 of 90 (266.67)
        self.assertEqual(
            self._table(rows),
            [
                (1, "2025-12-27", "2026-01-01", "2026-01-31", 100.0),
                (2, "2026-01-27", "2026-02-01", "2026-02-28", 64.29),
                (3, "2026-02-24", "2026-03-01", "2026-03-31", 100.0),
                (4, "2026-03-27", "2026-04-01", "2026-04-30", 100.0),
                (4, "2026-03-27", "2026-01-01", "2026-03-31", 266.67),
            ],
        )
        self._run_forecast_dates(contract, rows)
        self.assertEqual(
            self._invoiced_table(contract), [row[1:] for row in self._table(rows)]
        )

    def test_setup_fee_only_in_the_first_invoice(self):
        contract = self._create_contract(
            start="2026-01-01",
            lines=[
                {"price_unit": 100.0},
                {"product_id": self.setup_product.id, "quantity": 2.0},
            ],
        )
        monthly, setup = contract.line_ids
        self.assertTrue(setup.one_time)
        rows = contract._get_forecast(count=3, date_from=d("2026-01-01"))
        self.assertEqual(
            [
                (row["rank"], row["line"], row["date_end"], row["amount_untaxed"])
                for row in rows
            ],
            [
                (1, monthly, d("2026-01-31"), 100.0),
                (1, setup, d("2026-01-01"), 500.0),
                (2, monthly, d("2026-02-28"), 100.0),
                (3, monthly, d("2026-03-31"), 100.0),
            ],
        )
        self.assertEqual((monthly.recurring_monthly, setup.recurring_monthly), (100, 0))
        self._run_forecast_dates(contract, rows)
        self.assertEqual(
            self._invoiced_table(contract), [row[1:] for row in self._table(rows)]
        )
        self.assertEqual(
            self._invoiced_table(contract)[:2],
            [
                ("2026-01-01", "2026-01-01", "2026-01-31", 100.0),
                ("2026-01-01", "2026-01-01", "2026-01-01", 500.0),
            ],
        )
        # once invoiced, later forecasts leave it out
        self.assertEqual(
            {row["line"] for row in contract._get_forecast(count=3)}, {monthly}
        )

    def test_only_billing_contracts(self):
        contract = self._create_contract(start="2026-01-01")
        draft = self._create_contract(start="2026-01-01", start_running=False)
        self.assertEqual(
            self._table(draft._get_forecast(count=1, date_from=d("2026-01-01"))),
            [(1, "2026-01-01", "2026-01-01", "2026-01-31", 100.0)],
        )
        contract.action_suspend("2026-01-01")
        self.assertEqual(contract._get_forecast(count=3, date_from=d("2026-01-01")), [])
        contract.action_resume("2026-01-11")
        # the suspended days of January are not billed
        self.assertEqual(
            self._table(contract._get_forecast(count=1, date_from=d("2026-01-01"))),
            [(1, "2026-01-01", "2026-01-01", "2026-01-31", 67.74)],
        )
        contract.action_close()
        self.assertEqual(contract._get_forecast(count=3, date_from=d("2026-01-01")), [])

    # === THE REPORT === #

    def test_forecast_creates_no_invoice_and_no_period(self):
        contract = self._create_contract(
            start="2026-01-01", lines=[{"price_unit": 100.0, "quantity": 2.0}]
        )
        self._invoice("2026-01-01", contract)
        line = contract.line_ids
        before = self._counts()
        with freeze_time("2026-01-15 10:00:00"):
            action = contract.action_view_forecast()
        self.assertEqual(self._counts(), before)
        self.assertRecordValues(
            line,
            [
                {
                    "invoiced_up_to": d("2026-01-31"),
                    "next_invoice_date": d("2026-02-01"),
                }
            ],
        )
        self.assertEqual(action["views"][0][1], "list")
        rows = self.env["zeron.contract.forecast"].search(action["domain"])
        self.assertEqual(len(rows), 12)  # the company's default
        self.assertRecordValues(
            rows[0],
            [
                {
                    "invoice_rank": 1,
                    "contract_id": contract.id,
                    "line_id": line.id,
                    "partner_id": self.customer.id,
                    "user_id": self.manager_user.id,
                    "company_id": self.env.company.id,
                    "product_id": self.subscription_product.id,
                    "invoice_date": d("2026-02-01"),
                    "date_start": d("2026-02-01"),
                    "date_end": d("2026-02-28"),
                    "quantity": 2.0,
                    "price_unit": 100.0,
                    "amount_untaxed": 200.0,
                    "amount_untaxed_company": 200.0,
                }
            ],
        )
        # another filling does not show in this one
        with freeze_time("2026-01-15 10:00:00"):
            contract.action_view_forecast()
        self.assertEqual(
            self.env["zeron.contract.forecast"].search_count(action["domain"]), 12
        )

    def test_amount_in_company_currency(self):
        self.env.company.zeron_forecast_invoice_count = 2
        pricelist = self.env["product.pricelist"].create(
            {"name": "Euro", "currency_id": self.other_currency.id}
        )
        contract = self._create_contract(
            start="2026-01-01", pricelist_id=pricelist.id, lines=[{"price_unit": 90.0}]
        )
        self.assertEqual(contract.currency_id, self.other_currency)
        forecasts = self.env["zeron.contract.forecast"]
        key = forecasts._fill(contract, date_from=d("2026-01-01"))
        # 2 euro per company unit since 2017
        self.assertRecordValues(
            forecasts.search([("forecast_key", "=", key)]),
            [
                {
                    "invoice_date": d("2026-01-01"),
                    "currency_id": self.other_currency.id,
                    "amount_untaxed": 90.0,
                    "amount_untaxed_company": 45.0,
                },
                {
                    "invoice_date": d("2026-02-01"),
                    "currency_id": self.other_currency.id,
                    "amount_untaxed": 90.0,
                    "amount_untaxed_company": 45.0,
                },
            ],
        )

    def test_multi_company_rule(self):
        other = self.setup_other_company(name="Zeron Plovdiv")["company"]
        self.env.user.company_ids += other
        contract_1 = self._create_contract(start="2026-01-01")
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
                    "date_start": "2026-01-01",
                    "line_ids": [
                        Command.create({"product_id": product_2.id, "price_unit": 7.0})
                    ],
                }
            )
        )
        contract_2.action_start()
        forecasts = self.env["zeron.contract.forecast"].with_context(
            allowed_company_ids=[self.env.company.id, other.id]
        )
        key = forecasts._fill(contract_1 | contract_2, count=2, date_from="2026-01-01")
        domain = [("forecast_key", "=", key)]
        rows = forecasts.search(domain)
        self.assertEqual(rows.contract_id, contract_1 | contract_2)
        self.assertEqual(
            rows.filtered(lambda r: r.contract_id == contract_2).mapped(
                "amount_untaxed"
            ),
            [7.0, 7.0],
        )
        clerk = new_test_user(
            self.env,
            login="zeron_forecast_clerk",
            groups="base.group_user,zeron_subscription.zeron_contract_group_user",
        )
        self.assertEqual(
            self.env["zeron.contract.forecast"]
            .with_user(clerk)
            .search(domain)
            .contract_id,
            contract_1,
        )
        # the menu forecasts the contracts of the user's companies only
        action = self.env["zeron.contract"].with_user(clerk).action_view_forecast_all()
        self.assertEqual(
            self.env["zeron.contract.forecast"]
            .with_user(clerk)
            .search(action["domain"])
            .contract_id,
            contract_1,
        )

    # === MONTHLY RECURRING REVENUE === #

    def test_recurring_monthly(self):
        contract = self._create_contract(
            start="2026-01-01",
            start_running=False,
            lines=[
                {"price_unit": 1000.0, "recurring_rule_type": "year"},
                {
                    "price_unit": 300.0,
                    "quantity": 2.0,
                    "discount": 10.0,
                    "recurring_rule_type": "quarter",
                },
                {"price_unit": 10.0, "recurring_rule_type": "week"},
                {"price_unit": 1.0, "recurring_rule_type": "day"},
                {"price_unit": 100.0, "recurring_interval": 2},
            ],
        )
        self.assertEqual(contract.recurring_monthly, 0.0)  # draft
        contract.action_start()
        # 1000 / 12, 2 x 300 x 90 % / 3, 10 x 52 / 12, 365 / 12, 100 / 2
        self.assertEqual(
            contract.line_ids.mapped("recurring_monthly"),
            [83.33, 180.0, 43.33, 30.42, 50.0],
        )
        self.assertAlmostEqual(contract.recurring_monthly, 387.08)
        groups = self.env["zeron.contract"].read_group(
            [("id", "=", contract.id)], ["recurring_monthly:sum"], []
        )
        self.assertAlmostEqual(groups[0]["recurring_monthly"], 387.08)
        contract.action_suspend("2026-02-01")
        self.assertEqual(contract.recurring_monthly, 0.0)
        contract.action_resume("2026-02-10")
        self.assertAlmostEqual(contract.recurring_monthly, 387.08)

    def test_recurring_monthly_of_ended_and_continued_lines(self):
        contract = self._create_contract(
            start="2026-01-01",
            lines=[
                {"price_unit": 100.0},
                {"price_unit": 40.0, "date_end": "2026-02-28"},
            ],
        )
        kept, ending = contract.line_ids
        self.assertEqual(contract.recurring_monthly, 140.0)
        # the last period of the ending line is invoiced: it is over
        self._invoice("2026-02-01", contract)
        self.assertEqual(ending.recurring_monthly, 0.0)
        # a price change: the successor line counts, the old one no more
        successor = kept._split_at(d("2026-06-01"), {"price_unit": 120.0})
        self.assertEqual(
            (kept.recurring_monthly, successor.recurring_monthly), (0.0, 120.0)
        )
        self.assertEqual(contract.recurring_monthly, 120.0)
