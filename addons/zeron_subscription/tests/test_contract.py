from datetime import date

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import ZeronSubscriptionCommon


@tagged("post_install", "-at_install")
class TestContract(ZeronSubscriptionCommon):
    def test_contract_defaults_from_customer_and_pricelist(self):
        pricelist = self.env["product.pricelist"].create(
            {
                "name": "Security services 2024",
                "currency_id": self.other_currency.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "0_product_variant",
                            "product_id": self.subscription_product.id,
                            "compute_price": "fixed",
                            "fixed_price": 80.0,
                        }
                    )
                ],
            }
        )
        self.customer.property_product_pricelist = pricelist
        contract = self._create_contract(lines=[{}], start_running=False)
        self.assertRegex(contract.name, r"^SUB/\d{4}/\d{5}$")
        self.assertEqual(contract.pricelist_id, pricelist)
        self.assertEqual(contract.currency_id, self.other_currency)
        self.assertEqual(contract.partner_invoice_id, self.customer)
        line = contract.line_ids
        self.assertRecordValues(
            line,
            [
                {
                    "price_unit": 80.0,
                    "recurring_interval": 1,
                    "recurring_rule_type": "month",
                    "recurring_invoicing_type": "advance",
                    "date_start": date(2024, 1, 1),
                    "next_invoice_date": date(2024, 1, 1),
                }
            ],
        )
        # a draft contract is not due, whatever its lines say
        self.assertFalse(contract.next_invoice_date)
        # the contracted price is kept when the pricelist changes
        pricelist.item_ids.fixed_price = 95.0
        line.quantity = 2.0
        self.assertEqual(line.price_unit, 80.0)
        self.assertEqual(line.price_subtotal, 160.0)
        contract.action_start()
        self.assertEqual(contract.state, "running")
        self.assertEqual(contract.next_invoice_date, date(2024, 1, 1))

    def test_contract_form_and_customer_button(self):
        with Form(self.env["zeron.contract"]) as form:
            form.partner_id = self.customer
            form.date_start = date(2024, 5, 31)
            with form.line_ids.new() as line:
                line.product_id = self.subscription_product
                line.quantity = 3
        contract = form.save()
        self.assertEqual(contract.line_ids.price_unit, 100.0)
        self.assertEqual(contract.line_ids.date_start, date(2024, 5, 31))
        self.assertEqual(self.customer.zeron_contract_count, 1)
        action = self.customer.action_view_zeron_contracts()
        self.assertEqual(self.env["zeron.contract"].search(action["domain"]), contract)
        self.assertEqual(contract.partner_contract_count, 1)

    def test_term_end(self):
        cases = [
            # (term months, renewal, end, on date, expected term end)
            (0, "none", None, "2025-06-01", False),
            (12, "none", None, "2026-06-01", "2024-12-31"),
            (12, "tacit", None, "2024-06-01", "2024-12-31"),
            (12, "tacit", None, "2025-01-01", "2025-12-31"),
            (24, "tacit", None, "2027-03-15", "2027-12-31"),
            (12, "tacit", "2025-03-31", "2025-01-01", "2025-03-31"),
        ]
        for term, renewal, end, on_date, expected in cases:
            contract = self._create_contract(
                start="2024-01-01",
                term_months=term,
                renewal_type=renewal,
                date_end=end,
                start_running=False,
            )
            with self.subTest(term=term, renewal=renewal, end=end, on_date=on_date):
                self.assertEqual(
                    contract._get_term_end(date.fromisoformat(on_date)),
                    expected and date.fromisoformat(expected),
                )
                self.assertEqual(
                    contract.with_context(date=on_date).date_term_end,
                    expected and date.fromisoformat(expected),
                )

    def test_bad_input_is_refused_naming_record_and_field(self):
        with self.assertRaisesRegex(ValidationError, "End Date .* before the Start"):
            self._create_contract(date_end="2023-12-31")
        with self.assertRaisesRegex(
            ValidationError, "Billing Every must be at least 1"
        ):
            self._create_contract(lines=[{"recurring_interval": 0}])
        with self.assertRaisesRegex(
            ValidationError, "Billing Every must be at least 1"
        ):
            self._create_contract(lines=[{"recurring_interval": -1}])
        with self.assertRaisesRegex(ValidationError, "Quantity cannot be negative"):
            self._create_contract(lines=[{"quantity": -1.0}])
        with self.assertRaisesRegex(ValidationError, "Unit Price cannot be negative"):
            self._create_contract(lines=[{"price_unit": -5.0}])
        with self.assertRaisesRegex(ValidationError, "line Alarm Monitoring: the End"):
            self._create_contract(lines=[{"date_end": "2023-06-30"}])
        with self.assertRaisesRegex(ValidationError, "Anchor Day must be between"):
            self._create_contract(lines=[{"recurring_anchor_day": 32}])
        with self.assertRaisesRegex(
            ValidationError, "Term .Months. cannot be negative"
        ):
            self._create_contract(term_months=-12)
        with self.assertRaisesRegex(
            ValidationError, "Product Guarding: a subscription"
        ):
            self.env["product.template"].create(
                {
                    "name": "Guarding",
                    "type": "service",
                    "zeron_is_subscription": True,
                    "zeron_recurring_interval": 0,
                }
            )
        with self.assertRaisesRegex(ValidationError, "Product Safe: only a service"):
            self.env["product.template"].create(
                {"name": "Safe", "type": "consu", "zeron_is_subscription": True}
            )
        with self.assertRaisesRegex(ValidationError, "Product Patrol: a subscription"):
            self.env["product.template"].create(
                {
                    "name": "Patrol",
                    "type": "service",
                    "zeron_is_subscription": True,
                    "zeron_recurring_rule_type": False,
                }
            )

    def test_state_changes(self):
        contract = self._create_contract(lines=[], start_running=False)
        with self.assertRaisesRegex(UserError, "has no lines"):
            contract.action_start()
        contract.line_ids = [
            Command.create({"product_id": self.subscription_product.id})
        ]
        contract.action_start()
        with self.assertRaisesRegex(UserError, "only a draft contract"):
            contract.action_start()
        contract.action_close()
        self.assertEqual(contract.state, "closed")
        self.assertFalse(contract.next_invoice_date)
        other = self._create_contract(start_running=False)
        other.action_cancel()
        other.action_draft()
        self.assertEqual(other.state, "draft")

    def test_contracts_imported_with_invoiced_up_to(self):
        """Migrating firms import contracts, lines and what was already billed."""
        result = self.env["zeron.contract"].load(
            [
                "partner_id",
                "date_start",
                "line_ids/product_id",
                "line_ids/price_unit",
                "line_ids/invoiced_up_to",
            ],
            [
                [
                    "Sofia Vaults Ltd",
                    "2023-05-15",
                    "Alarm Monitoring",
                    "12.5",
                    "2024-02-14",
                ],
                ["", "", "Alarm Monitoring", "7", ""],
            ],
        )
        self.assertFalse(result["messages"], result["messages"])
        contract = self.env["zeron.contract"].browse(result["ids"])
        self.assertEqual(contract.partner_id, self.customer)
        self.assertEqual(contract.line_ids.mapped("price_unit"), [12.5, 7.0])
        self.assertEqual(
            contract.line_ids.mapped("invoiced_up_to"), [date(2024, 2, 14), False]
        )
        self.assertRecordValues(
            contract.line_ids[0].period_ids,
            [
                {
                    "date_start": date(2023, 5, 15),
                    "date_end": date(2024, 2, 14),
                    "invoice_line_id": False,
                }
            ],
        )
        contract.action_start()
        self.assertEqual(contract.line_ids[0].next_invoice_date, date(2024, 2, 15))
        self.assertEqual(contract.line_ids[1].next_invoice_date, date(2023, 5, 15))
        self._invoice("2023-05-15")
        with self.assertRaisesRegex(UserError, "has been invoiced here"):
            contract.line_ids[1].invoiced_up_to = "2023-12-31"
