from odoo import Command, fields
from odoo.tests import tagged

from .common import ZeronSubscriptionCommon

LINE_FIELDS = (
    "display_type",
    "name",
    "discount_date",
    "account_id",
    "partner_id",
    "currency_id",
    "balance",
    "amount_currency",
    "tax_ids",
    "tax_line_id",
    "tax_repartition_line_id",
    "tax_tag_ids",
    "tax_tag_invert",
    "tax_base_amount",
    "date_maturity",
    "analytic_distribution",
    "price_subtotal",
    "price_total",
    "amount_residual",
    "amount_residual_currency",
)
MOVE_FIELDS = (
    "date",
    "invoice_date_due",
    "amount_untaxed",
    "amount_tax",
    "amount_total",
    "amount_untaxed_signed",
    "amount_tax_signed",
    "amount_total_signed",
    "amount_residual",
    "invoice_currency_rate",
    "payment_state",
    "is_manually_modified",
)


@tagged("post_install", "-at_install")
class TestRunJournalItems(ZeronSubscriptionCommon):
    """The run completes its invoices' journal items itself; each case is
    compared with the same invoice completed and posted by Odoo."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tax_a = cls.company_data["default_tax_sale"]
        cls.tax_included = cls.env["account.tax"].create(
            {
                "name": "Zeron 9% incl.",
                "amount": 9.0,
                "price_include_override": "tax_included",
            }
        )
        cls.tax_fixed = cls.env["account.tax"].create(
            {"name": "Zeron eco fee", "amount_type": "fixed", "amount": 1.5}
        )
        cls.split_term = cls._create_term(
            "Zeron 30/70", ("percent", 30.0, 0), ("percent", 70.0, 45)
        )
        cls.fixed_term = cls._create_term(
            "Zeron 10 now", ("fixed", 10.0, 0), ("percent", 100.0, 30)
        )
        cls.early_term = cls._create_term(
            "Zeron 2/10 net 30",
            ("percent", 100.0, 30),
            early_discount=True,
            discount_percentage=2.0,
            discount_days=10,
        )
        plan = cls.env["account.analytic.plan"].create({"name": "Zeron run items"})
        cls.analytic = cls.env["account.analytic.account"].create(
            {"name": "Zeron run items", "plan_id": plan.id}
        )
        cls.foreign_currency = cls.setup_other_currency(
            "GBP", rates=[("2026-01-01", 0.5113)]
        )
        cls.product = cls.product_a

    @classmethod
    def _create_term(cls, name, *lines, **vals):
        """Create payment terms of ``lines``, tuples (value, amount, days)."""
        return cls.env["account.payment.term"].create(
            {
                "name": name,
                **vals,
                "line_ids": [
                    Command.create(
                        {"value": value, "value_amount": amount, "nb_days": days}
                    )
                    for value, amount, days in lines
                ],
            }
        )

    def _vals(self, lines, **invoice):
        return {
            "move_type": "out_invoice",
            "partner_id": self.partner_a.id,
            "invoice_date": "2026-03-01",
            "journal_id": self.company_data["default_journal_sale"].id,
            **invoice,
            "invoice_line_ids": [
                Command.create(
                    {
                        "display_type": "product",
                        "product_id": self.product.id,
                        "name": "Service",
                        "quantity": 1.0,
                        "tax_ids": [Command.clear()],
                        "account_id": self.company_data["default_account_revenue"].id,
                        **line,
                    }
                )
                for line in lines
            ],
        }

    def _snapshot(self, move):
        lines = move.line_ids.sorted(
            lambda line: (
                line.display_type,
                line.account_id.code,
                line.tax_line_id.id,
                line.date_maturity or "",
                line.balance,
            )
        )

        def read(line, fname):
            value = line._fields[fname].convert_to_read(line[fname], line)
            # the two invoices differ by their numbers only
            return value.replace(move.name, "<number>") if fname == "name" else value

        return (
            [{fname: read(line, fname) for fname in LINE_FIELDS} for line in lines],
            {
                fname: move._fields[fname].convert_to_read(move[fname], move)
                for fname in MOVE_FIELDS
            },
        )

    def _assert_as_odoo(self, vals, completed=True):
        Move = self.env["account.move"]
        self.assertEqual(Move._zeron_can_complete_lines(vals), completed)
        by_odoo = Move.create(vals)
        by_odoo.action_post()
        by_run = Move._zeron_create_run_invoices([vals])
        by_run._zeron_post_run_invoices()
        self.assertEqual(by_run.state, "posted")
        self.assertEqual(self._snapshot(by_run), self._snapshot(by_odoo))
        return by_run

    def test_without_taxes_or_terms(self):
        invoice = self._assert_as_odoo(self._vals([{"price_unit": 100.0}]))
        self.assertRecordValues(
            invoice.line_ids.sorted("balance"),
            [
                {"display_type": "product", "balance": -100.0},
                {"display_type": "payment_term", "balance": 100.0},
            ],
        )

    def test_taxes_excluded_included_and_fixed(self):
        invoice = self._assert_as_odoo(
            self._vals(
                [
                    {"price_unit": 100.0, "tax_ids": [Command.set(self.tax_a.ids)]},
                    {
                        "price_unit": 109.0,
                        "tax_ids": [Command.set(self.tax_included.ids)],
                    },
                    {
                        "price_unit": 33.33,
                        "quantity": 3.0,
                        "discount": 10.0,
                        "tax_ids": [Command.set((self.tax_a | self.tax_fixed).ids)],
                    },
                ],
                invoice_payment_term_id=self.split_term.id,
            )
        )
        # 100 + 15 %; 109 with 9 % included; 89.99 + 15 % + 3 x 1.50: 331.99,
        # 30 % now and 70 % in 45 days
        self.assertEqual(invoice.amount_untaxed, 289.99)
        self.assertEqual(invoice.amount_tax, 15.0 + 9.0 + 13.5 + 4.5)
        self.assertEqual(
            invoice.line_ids.filtered(lambda line: line.display_type == "payment_term")
            .sorted("date_maturity")
            .mapped("balance"),
            [99.6, 232.39],
        )

    def test_foreign_currency_and_analytic(self):
        self._assert_as_odoo(
            self._vals(
                [
                    {
                        "price_unit": 51.13,
                        "tax_ids": [Command.set(self.tax_a.ids)],
                        "analytic_distribution": {str(self.analytic.id): 100.0},
                    },
                    {"price_unit": 10.0},
                ],
                currency_id=self.foreign_currency.id,
                invoice_payment_term_id=self.split_term.id,
            )
        )

    def test_fixed_term_and_credit_note(self):
        self._assert_as_odoo(
            self._vals(
                [{"price_unit": 80.0, "tax_ids": [Command.set(self.tax_a.ids)]}],
                invoice_payment_term_id=self.fixed_term.id,
            )
        )
        self._assert_as_odoo(
            self._vals(
                [{"price_unit": 80.0, "tax_ids": [Command.set(self.tax_a.ids)]}],
                move_type="out_refund",
                invoice_payment_term_id=self.fixed_term.id,
                currency_id=self.foreign_currency.id,
            )
        )

    def test_negative_line_and_section(self):
        vals = self._vals(
            [
                {"price_unit": 100.0, "tax_ids": [Command.set(self.tax_a.ids)]},
                {"price_unit": -40.0, "tax_ids": [Command.set(self.tax_a.ids)]},
            ]
        )
        vals["invoice_line_ids"].insert(
            0, Command.create({"display_type": "line_section", "name": "March"})
        )
        self._assert_as_odoo(vals)

    def test_early_discount_is_left_to_odoo(self):
        self._assert_as_odoo(
            self._vals(
                [{"price_unit": 100.0, "tax_ids": [Command.set(self.tax_a.ids)]}],
                invoice_payment_term_id=self.early_term.id,
            ),
            completed=False,
        )

    def test_through_the_run(self):
        """A contract in a foreign currency, taxed, with instalments: the run's
        invoice has Odoo's journal items, to the cent."""
        pricelist = self.env["product.pricelist"].create(
            {"name": "GBP", "currency_id": self.foreign_currency.id}
        )
        contract = self._create_contract(
            start="2026-03-01",
            pricelist_id=pricelist.id,
            payment_term_id=self.split_term.id,
            lines=[{"price_unit": 33.33, "tax_ids": [Command.set(self.tax_a.ids)]}],
        )
        self._invoice("2026-03-01", contract)
        invoice = self.env["account.move"].search(
            [("zeron_contract_id", "=", contract.id)]
        )
        self.assertRecordValues(
            invoice,
            [
                {
                    "state": "posted",
                    "currency_id": self.foreign_currency.id,
                    "amount_untaxed": 33.33,
                    "amount_tax": 5.0,
                    "amount_total": 38.33,
                    "invoice_date_due": fields.Date.to_date("2026-04-15"),
                }
            ],
        )
        # 38.33 GBP at 0.5113 GBP per unit of the company currency; 30 % on
        # the day, 70 % in 45 days
        self.assertRecordValues(
            invoice.line_ids.sorted(lambda line: (line.display_type, line.balance)),
            [
                {
                    "display_type": "payment_term",
                    "amount_currency": 11.5,
                    "balance": 22.49,
                    "date_maturity": fields.Date.to_date("2026-03-01"),
                },
                {
                    "display_type": "payment_term",
                    "amount_currency": 26.83,
                    "balance": 52.48,
                    "date_maturity": fields.Date.to_date("2026-04-15"),
                },
                {
                    "display_type": "product",
                    "amount_currency": -33.33,
                    "balance": -65.19,
                    "date_maturity": False,
                },
                {
                    "display_type": "tax",
                    "amount_currency": -5.0,
                    "balance": -9.78,
                    "date_maturity": False,
                },
            ],
        )
