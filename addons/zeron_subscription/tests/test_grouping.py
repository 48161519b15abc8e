from datetime import date

from odoo import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ZeronSubscriptionCommon
from .test_invoice_sending import InvoiceSendingCommon

JANUARY = {"date_start": date(2026, 1, 1), "date_end": date(2026, 1, 31)}


@tagged("post_install", "-at_install")
class TestInvoiceGrouping(ZeronSubscriptionCommon):
    """One invoice per customer across contracts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.zeron_invoice_grouping = "partner"
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Varna Alarms Ltd", "email": "billing@varna.example.com"}
        )

    def _contract(self, price, **vals):
        return self._create_contract(
            start="2026-01-01", lines=[{"price_unit": price}], **vals
        )

    def _invoices(self, contracts):
        return self.env["account.move"].search(
            [("zeron_contract_ids", "in", contracts.ids)], order="id"
        )

    def _assert_invoiced_january(self, contracts):
        for contract in contracts:
            self.assertRecordValues(contract.line_ids.period_ids, [JANUARY])
            self.assertEqual(
                contract.line_ids.invoiced_up_to, date(2026, 1, 31), contract.name
            )
            self.assertEqual(
                contract.next_invoice_date, date(2026, 2, 1), contract.name
            )

    def test_one_invoice_per_customer(self):
        first = self._contract(100.0)
        second = self._contract(50.0)
        result = self._invoice("2026-01-01")
        self.assertEqual(result, {"created": 1, "skipped": 0, "failed": 0})
        invoice = self._invoices(first | second)
        self.assertRecordValues(
            invoice,
            [
                {
                    "state": "posted",
                    "partner_id": self.customer.id,
                    "amount_untaxed": 150.0,
                    "amount_total": 150.0,
                    "invoice_origin": f"{first.name}, {second.name}",
                    "zeron_contract_id": first.id,
                    "zeron_contract_ids": (first | second).ids,
                    "zeron_delivery_state": "to_send",
                }
            ],
        )
        self.assertRecordValues(
            invoice.invoice_line_ids,
            [
                {
                    "price_subtotal": 100.0,
                    "zeron_contract_line_id": first.line_ids.id,
                    "zeron_period_start": date(2026, 1, 1),
                    "zeron_period_end": date(2026, 1, 31),
                },
                {
                    "price_subtotal": 50.0,
                    "zeron_contract_line_id": second.line_ids.id,
                    "zeron_period_start": date(2026, 1, 1),
                    "zeron_period_end": date(2026, 1, 31),
                },
            ],
        )
        for contract in first | second:
            self.assertEqual(contract.invoice_count, 1, contract.name)
            self.assertEqual(contract.invoice_ids, invoice, contract.name)
            action = contract.action_view_invoices()
            self.assertEqual(self.env["account.move"].search(action["domain"]), invoice)
        self._assert_invoiced_january(first | second)
        # run twice: nothing more
        self.assertEqual(
            self._invoice("2026-01-01"), {"created": 0, "skipped": 0, "failed": 0}
        )
        # the next month, one invoice again
        self.assertEqual(self._invoice("2026-02-01")["created"], 1)
        self.assertEqual(len(self._invoices(first | second)), 2)
        self.assertEqual((first | second).mapped("invoice_count"), [2, 2])

    def test_other_currency_payment_terms_or_customer_invoiced_apart(self):
        pricelist = self.env["product.pricelist"].create(
            {"name": "EUR", "currency_id": self.other_currency.id}
        )
        first = self._contract(100.0)
        second = self._contract(50.0)
        in_euro = self._contract(25.0, pricelist_id=pricelist.id)
        other_terms = self._contract(10.0, payment_term_id=self.pay_terms_b.id)
        by_post = self._contract(5.0, invoice_delivery="post")
        other_customer = self._contract(7.0, partner_id=self.other_customer.id)
        result = self._invoice("2026-01-01")
        self.assertEqual(result, {"created": 5, "skipped": 0, "failed": 0})
        self.assertRecordValues(
            self._invoices(
                first | second | in_euro | other_terms | by_post | other_customer
            ),
            [
                {
                    "zeron_contract_ids": (first | second).ids,
                    "amount_untaxed": 150.0,
                    "currency_id": self.env.company.currency_id.id,
                    "invoice_payment_term_id": False,
                },
                {
                    "zeron_contract_ids": in_euro.ids,
                    "amount_untaxed": 25.0,
                    "currency_id": self.other_currency.id,
                    "invoice_payment_term_id": False,
                },
                {
                    "zeron_contract_ids": other_terms.ids,
                    "amount_untaxed": 10.0,
                    "currency_id": self.env.company.currency_id.id,
                    "invoice_payment_term_id": self.pay_terms_b.id,
                },
                {
                    "zeron_contract_ids": by_post.ids,
                    "amount_untaxed": 5.0,
                    "currency_id": self.env.company.currency_id.id,
                    "invoice_payment_term_id": False,
                },
                {
                    "zeron_contract_ids": other_customer.ids,
                    "amount_untaxed": 7.0,
                    "currency_id": self.env.company.currency_id.id,
                    "invoice_payment_term_id": False,
                },
            ],
        )

    def test_credit_note_reopens_the_periods_of_every_contract(self):
        first = self._contract(100.0)
        second = self._contract(50.0)
        self._invoice("2026-01-01")
        invoice = self._invoices(first | second)
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(
                {
                    "journal_id": invoice.journal_id.id,
                    "reason": "Wrong invoice address",
                    "date": date(2026, 1, 5),
                }
            )
        )
        action = reversal.refund_moves()
        credit_note = self.env["account.move"].browse(action["res_id"])
        self.assertRecordValues(
            credit_note.invoice_line_ids,
            [
                {
                    "zeron_contract_line_id": first.line_ids.id,
                    "zeron_period_start": date(2026, 1, 1),
                    "zeron_period_end": date(2026, 1, 31),
                },
                {
                    "zeron_contract_line_id": second.line_ids.id,
                    "zeron_period_start": date(2026, 1, 1),
                    "zeron_period_end": date(2026, 1, 31),
                },
            ],
        )
        # a draft credit note credits nothing yet
        self._assert_invoiced_january(first | second)
        credit_note.action_post()
        self.assertRecordValues(
            credit_note,
            [
                {
                    "move_type": "out_refund",
                    "amount_untaxed": 150.0,
                    "zeron_contract_ids": (first | second).ids,
                }
            ],
        )
        for contract in first | second:
            self.assertFalse(contract.line_ids.period_ids, contract.name)
            self.assertFalse(contract.line_ids.invoiced_up_to, contract.name)
            self.assertEqual(contract.next_invoice_date, date(2026, 1, 1))
            self.assertEqual(contract.invoice_count, 2, contract.name)
        # billed again, together, by the next run
        self.assertEqual(self._invoice("2026-01-05")["created"], 1)
        rebilled = self._invoices(first | second) - invoice - credit_note
        self.assertEqual(rebilled.amount_untaxed, 150.0)
        self._assert_invoiced_january(first | second)

    def test_partial_credit_note_keeps_the_periods(self):
        first = self._contract(100.0)
        second = self._contract(50.0)
        self._invoice("2026-01-01")
        invoice = self._invoices(first | second)
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "Discount"})
        )
        credit_note = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        # a goodwill discount of 10.00 on the first contract only
        kept, dropped = credit_note.invoice_line_ids
        credit_note.write(
            {
                "invoice_line_ids": [
                    Command.update(kept.id, {"price_unit": 10.0}),
                    Command.delete(dropped.id),
                ]
            }
        )
        credit_note.action_post()
        self.assertEqual(credit_note.amount_untaxed, 10.0)
        self._assert_invoiced_january(first | second)

    def test_per_contract_grouping_is_unchanged(self):
        self.env.company.zeron_invoice_grouping = "contract"
        first = self._contract(100.0)
        second = self._contract(50.0)
        result = self._invoice("2026-01-01")
        self.assertEqual(result, {"created": 2, "skipped": 0, "failed": 0})
        self.assertRecordValues(
            self._invoices(first | second),
            [
                {
                    "amount_untaxed": 100.0,
                    "invoice_origin": first.name,
                    "zeron_contract_id": first.id,
                    "zeron_contract_ids": first.ids,
                },
                {
                    "amount_untaxed": 50.0,
                    "invoice_origin": second.name,
                    "zeron_contract_id": second.id,
                    "zeron_contract_ids": second.ids,
                },
            ],
        )
        self.assertEqual((first | second).mapped("invoice_count"), [1, 1])
        self._assert_invoiced_january(first | second)

    def test_contract_overrides_the_company_setting(self):
        grouped = self._contract(100.0) | self._contract(50.0)
        alone = self._contract(25.0, invoice_grouping="contract")
        self._invoice("2026-01-01")
        self.assertEqual(len(self._invoices(grouped)), 1)
        self.assertEqual(self._invoices(alone).zeron_contract_ids, alone)
        # the other way round: the company bills per contract
        self.env.company.zeron_invoice_grouping = "contract"
        pair = self._contract(10.0, invoice_grouping="partner")
        pair |= self._contract(20.0, invoice_grouping="partner")
        self._invoice("2026-01-01")
        self.assertRecordValues(
            self._invoices(pair),
            [{"zeron_contract_ids": pair.ids, "amount_untaxed": 30.0}],
        )

    @mute_logger("odoo.addons.zeron_subscription.models.zeron_contract")
    def test_failing_contract_leaves_the_rest_of_its_group_invoiced(self):
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
        first = self._contract(100.0)
        bad = self._create_contract(
            start="2026-01-01", lines=[{"product_id": bare_product.id}]
        )
        second = self._contract(50.0)
        default_account = journal.default_account_id
        journal.default_account_id = False
        result = self._invoice("2026-01-01")
        self.assertEqual(result, {"created": 1, "skipped": 0, "failed": 1})
        self.assertRecordValues(
            self._invoices(first | bad | second),
            [{"zeron_contract_ids": (first | second).ids, "amount_untaxed": 150.0}],
        )
        self._assert_invoiced_january(first | second)
        self.assertFalse(bad.invoice_ids)
        self.assertFalse(bad.line_ids.period_ids)
        self.assertIn("Unaccounted Service has no income account", bad.invoicing_error)
        self.assertEqual(len(bad.activity_ids), 1)
        self.assertEqual((first | second).mapped("invoicing_error"), [False, False])
        journal.default_account_id = default_account
        self.assertEqual(self._invoice("2026-01-01")["created"], 1)
        self.assertEqual(len(bad.invoice_ids), 1)
        self.assertFalse(bad.invoicing_error)

    @mute_logger("odoo.addons.zeron_subscription.models.zeron_contract")
    def test_contract_failing_at_posting_leaves_the_rest_of_its_group_invoiced(
        self,
    ):
        deprecated = self.company_data["default_account_revenue"].copy(
            {"code": "700999", "deprecated": True}
        )
        product = self.env["product.product"].create(
            {
                "name": "Old Service",
                "type": "service",
                "property_account_income_id": deprecated.id,
            }
        )
        first = self._contract(100.0)
        bad = self._create_contract(
            start="2026-01-01", lines=[{"product_id": product.id, "price_unit": 7.0}]
        )
        second = self._contract(50.0)
        other = self._contract(20.0, partner_id=self.other_customer.id)
        result = self._invoice("2026-01-01")
        self.assertEqual(result, {"created": 2, "skipped": 0, "failed": 1})
        self.assertRecordValues(
            self._invoices(first | bad | second | other),
            [
                {"zeron_contract_ids": (first | second).ids, "amount_untaxed": 150.0},
                {"zeron_contract_ids": other.ids, "amount_untaxed": 20.0},
            ],
        )
        self.assertRecordValues(
            (first | second).invoice_ids.invoice_line_ids,
            [{"price_subtotal": 100.0}, {"price_subtotal": 50.0}],
        )
        self._assert_invoiced_january(first | second | other)
        self.assertFalse(bad.invoice_ids)
        self.assertFalse(bad.line_ids.period_ids)
        self.assertIn("(700999) is deprecated", bad.invoicing_error)
        self.assertEqual(len(bad.activity_ids), 1)

    def test_batches_keep_a_customer_group_whole(self):
        contracts = self.env["zeron.contract"]
        # created alternately, so the two customers' ids interleave
        for price in (10.0, 20.0, 30.0):
            contracts |= self._contract(price)
            contracts |= self._contract(price, partner_id=self.other_customer.id)
        batches = list(contracts._split_invoicing_batches(2))
        self.assertEqual(
            [batch.partner_id for batch in batches],
            [self.customer, self.other_customer],
        )
        self.assertEqual([len(batch) for batch in batches], [3, 3])
        result = contracts._run_invoicing(date(2026, 1, 1), batch_size=2)
        self.assertEqual(result, {"created": 2, "skipped": 0, "failed": 0})
        self.assertRecordValues(
            self._invoices(contracts),
            [
                {"partner_id": self.customer.id, "amount_untaxed": 60.0},
                {"partner_id": self.other_customer.id, "amount_untaxed": 60.0},
            ],
        )
        # groups that fit are packed together
        self.env.company.zeron_invoice_grouping = "contract"
        self.assertEqual(
            [len(batch) for batch in contracts._split_invoicing_batches(4)], [4, 2]
        )


@tagged("post_install", "-at_install")
class TestGroupedInvoiceSending(InvoiceSendingCommon):
    def test_grouped_invoice_is_sent_once_and_logged_on_each_contract(self):
        self.env.company.zeron_invoice_grouping = "partner"
        second = self._create_contract(lines=[{"price_unit": 40.0}])
        self._invoice("2024-01-01")
        invoice = self.email_contract.invoice_ids
        self.assertEqual(invoice, second.invoice_ids)
        self.assertEqual(invoice.amount_untaxed, 140.0)
        with self.mock_mail_gateway():
            result = self._send()
        self.assertEqual(result, {"emailed": 1, "posted": 1, "skipped": 0, "failed": 1})
        self.assertEqual(invoice.zeron_delivery_state, "sent")
        for contract in self.email_contract | second:
            self.assertIn(
                "Invoice %s emailed to Sofia Vaults Ltd." % invoice.name,
                contract.message_ids[0].body,
            )
