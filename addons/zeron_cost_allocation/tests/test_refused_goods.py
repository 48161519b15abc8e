from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import new_test_user, tagged

from .common import ZeronCostAllocationCommon


@freeze_time("2024-04-15")
@tagged("post_install", "-at_install")
class TestRefusedGoods(ZeronCostAllocationCommon):
    """Goods core's landed costs refuse (standard cost, manual valuation,
    non-stored) get their share through the module's own journal entry.

    Bills dated 2024-03-01 are entered on 2024-04-15, so their accounting date,
    and that of their allocation, is the end of their month: 2024-03-31.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account_price_diff = cls.copy_account(cls.account_cogs)
        cls.categ_std = cls._create_category(
            "Zeron Standard",
            property_cost_method="standard",
            property_account_creditor_price_difference_categ=cls.account_price_diff.id,
        )
        cls.goods_std = cls._create_goods(
            "Zeron Lamp", categ=cls.categ_std, standard_price=20.0
        )
        cls.categ_manual = cls._create_category(
            "Zeron Periodic", property_valuation="manual_periodic"
        )
        cls.goods_manual = cls._create_goods("Zeron Rug", categ=cls.categ_manual)
        cls.account_supplies = cls.copy_account(cls.account_cogs)
        cls.supplies = cls._create_goods(
            "Zeron Gloves",
            is_storable=False,
            property_account_expense_id=cls.account_supplies.id,
        )
        cls.analytic_plan = cls.env["account.analytic.plan"].create(
            {"name": "Zeron Sites"}
        )
        cls.analytic_site = cls.env["account.analytic.account"].create(
            {"name": "Zeron Site North", "plan_id": cls.analytic_plan.id}
        )
        cls.site_distribution = {str(cls.analytic_site.id): 100.0}

    # === HELPERS === #

    @classmethod
    def _create_category(cls, name, **values):
        return cls.env["product.category"].create(
            {
                "name": name,
                "property_valuation": "real_time",
                "property_cost_method": "fifo",
                "property_stock_valuation_account_id": cls.account_stock_valuation.id,
                "property_stock_account_input_categ_id": cls.account_stock_in.id,
                "property_stock_account_output_categ_id": cls.account_stock_out.id,
                **values,
            }
        )

    def _order_with_site(self, lines):
        order = self._create_po(lines)
        order.order_line.filtered(
            lambda line: line.product_id.type == "consu"
        ).analytic_distribution = self.site_distribution
        return order

    def _entry(self, bill):
        return bill.zeron_allocation_ids.entry_id

    def _entry_items(self, entry):
        return entry.line_ids.sorted("id")

    # === STANDARD COST === #

    def test_standard_cost_goods_own_entry(self):
        """Standard cost, 10 units, freight 50.00 by quantity, on one order: the
        bill books the goods and the freight on the stock input account, so the
        share moves from there to the goods' price difference account, with the
        goods' analytic distribution."""
        order = self._order_with_site(
            [(self.goods_std, 10, 20.0), (self.freight, 1, 50.0)]
        )
        receipt = self._receive(order)
        bill = self._bill_po(order)
        self.assertFalse(self._landed_costs_of(bill))
        service_line = self._service_line(bill)
        self.assertEqual(service_line.account_id, self.account_stock_in)
        entry = self._entry(bill)
        self.assertRecordValues(
            entry,
            [
                {
                    "state": "posted",
                    "move_type": "entry",
                    "journal_id": self.lc_journal.id,
                    "date": fields.Date.to_date("2024-03-31"),
                    "ref": f"Cost allocation of {bill.name}",
                }
            ],
        )
        self.assertRecordValues(
            self._entry_items(entry),
            [
                {
                    "account_id": self.account_price_diff.id,
                    "product_id": self.goods_std.id,
                    "debit": 50.0,
                    "credit": 0.0,
                    "analytic_distribution": self.site_distribution,
                },
                {
                    "account_id": self.account_stock_in.id,
                    "product_id": self.freight.id,
                    "debit": 0.0,
                    "credit": 50.0,
                    "analytic_distribution": False,
                },
            ],
        )
        self.assertRecordValues(
            bill.zeron_allocation_ids,
            [
                {
                    "state": "posted",
                    "bill_line_id": service_line.id,
                    "service_product_id": self.freight.id,
                    "product_id": self.goods_std.id,
                    "stock_move_id": receipt.move_ids.id,
                    "picking_id": receipt.id,
                    "purchase_line_id": receipt.move_ids.purchase_line_id.id,
                    "goods_line_id": bill.invoice_line_ids.filtered(
                        lambda line: line.product_id == self.goods_std
                    ).id,
                    "account_id": self.account_price_diff.id,
                    "analytic_distribution": self.site_distribution,
                    "quantity": 10.0,
                    "goods_value": 200.0,
                    "amount": 50.0,
                    # (200.00 + 50.00) / 10
                    "landed_unit_cost": 25.0,
                    "entry_line_id": self._entry_items(entry)[0].id,
                }
            ],
        )
        self.assertRecordValues(
            service_line,
            [{"zeron_allocated_amount": 50.0, "zeron_unallocated_amount": 0.0}],
        )
        self.assertFalse(bill.zeron_has_unallocated_landed_cost)
        # The bill's freight and the entry's credit meet on the input account.
        self.assertTrue(service_line.reconciled)
        # The stock value of standard-cost goods does not change.
        self.assertEqual(self.goods_std.value_svl, 200.0)
        self.assertEqual(receipt.zeron_allocation_ids, bill.zeron_allocation_ids)

    def test_rerun_books_nothing_twice(self):
        order = self._order_with_site(
            [(self.goods_std, 10, 20.0), (self.freight, 1, 50.0)]
        )
        self._receive(order)
        bill = self._bill_po(order)
        bill._zeron_allocate_landed_costs()
        bill.action_zeron_allocate_landed_costs()
        self.assertEqual(len(bill.zeron_allocation_ids), 1)
        self.assertEqual(len(self._entry(bill)), 1)
        self.assertEqual(self._service_line(bill).zeron_allocated_amount, 50.0)

    # === NO INVENTORY VALUATION === #

    def test_company_without_inventory_valuation(self):
        """Periodic (manual) valuation and continental accounting: the freight,
        booked as an expense on a carrier bill, moves to the goods' expense
        account (their order is not billed yet), with the analytic distribution
        of their order line. Core would have taken these FIFO goods into a
        landed cost without any journal entry."""
        self.company.anglo_saxon_accounting = False
        order = self._order_with_site([(self.goods_manual, 10, 20.0)])
        receipt = self._receive(order)
        bill = self._create_service_bill(50.0, pickings=receipt)
        self.assertFalse(self._landed_costs_of(bill))
        self.assertEqual(
            self._service_line(bill).account_id, self.account_freight_expense
        )
        self.assertRecordValues(
            self._entry_items(self._entry(bill)),
            [
                {
                    "account_id": self.account_cogs.id,
                    "product_id": self.goods_manual.id,
                    "debit": 50.0,
                    "credit": 0.0,
                    "analytic_distribution": self.site_distribution,
                },
                {
                    "account_id": self.account_freight_expense.id,
                    "product_id": self.freight.id,
                    "debit": 0.0,
                    "credit": 50.0,
                    "analytic_distribution": False,
                },
            ],
        )
        self.assertRecordValues(
            bill.zeron_allocation_ids,
            [
                {
                    "goods_line_id": False,
                    "purchase_line_id": order.order_line.id,
                    "goods_value": 200.0,
                    "amount": 50.0,
                    "landed_unit_cost": 25.0,
                }
            ],
        )
        self.assertEqual(bill.date, fields.Date.to_date("2024-03-31"))
        self.assertEqual(self._entry(bill).date, fields.Date.to_date("2024-03-31"))
        self.assertEqual(self.goods_manual.value_svl, 200.0)

    # === MIXED RECEIPT === #

    def _post_mixed_bill(self):
        self.order = self._order_with_site(
            [
                (self.goods_a, 10, 20.0),
                (self.goods_std, 30, 20.0),
                (self.freight, 1, 100.0),
            ]
        )
        self.receipt = self._receive(self.order)
        return self._bill_po(self.order)

    def test_mixed_receipt_splits_between_landed_cost_and_entry(self):
        """FIFO 10 units and standard 30 units, freight 100.00 by quantity: the
        FIFO goods get 25.00 through core's landed cost, the standard goods
        75.00 through the module's entry."""
        bill = self._post_mixed_bill()
        landed_cost = self._landed_costs_of(bill)
        self.assertRecordValues(
            landed_cost,
            [
                {
                    "state": "done",
                    "picking_ids": self.receipt.ids,
                    "amount_total": 25.0,
                }
            ],
        )
        self.assertRecordValues(
            landed_cost.valuation_adjustment_lines,
            [{"product_id": self.goods_a.id, "additional_landed_cost": 25.0}],
        )
        self.assertRecordValues(
            self._entry_lines(landed_cost),
            [
                {
                    "account_id": self.account_stock_valuation.id,
                    "product_id": self.goods_a.id,
                    "debit": 25.0,
                    "credit": 0.0,
                },
                {
                    "account_id": self.account_stock_in.id,
                    "product_id": self.freight.id,
                    "debit": 0.0,
                    "credit": 25.0,
                },
            ],
        )
        self.assertRecordValues(
            self._entry_items(self._entry(bill)),
            [
                {
                    "account_id": self.account_price_diff.id,
                    "product_id": self.goods_std.id,
                    "debit": 75.0,
                    "credit": 0.0,
                    "analytic_distribution": self.site_distribution,
                },
                {
                    "account_id": self.account_stock_in.id,
                    "product_id": self.freight.id,
                    "debit": 0.0,
                    "credit": 75.0,
                    "analytic_distribution": False,
                },
            ],
        )
        service_line = self._service_line(bill)
        self.assertRecordValues(
            service_line,
            [{"zeron_allocated_amount": 100.0, "zeron_unallocated_amount": 0.0}],
        )
        self.assertTrue(service_line.reconciled)
        self.assertEqual(self.goods_a.value_svl, 225.0)
        self.assertEqual(self.goods_std.value_svl, 600.0)

    def test_mixed_receipt_in_report(self):
        bill = self._post_mixed_bill()
        self.env.flush_all()
        rows = self.env["zeron.landed.cost.report"].search(
            [("picking_id", "=", self.receipt.id)]
        )
        goods_rows = rows.filtered(lambda row: not row.service_product_id)
        self.assertRecordValues(
            goods_rows.sorted(lambda row: row.product_id.name),
            [
                {
                    "product_id": self.goods_a.id,
                    "quantity": 10.0,
                    "goods_value": 200.0,
                    # (200.00 + 25.00) / 10
                    "landed_unit_cost": 22.5,
                },
                {
                    "product_id": self.goods_std.id,
                    "quantity": 30.0,
                    "goods_value": 600.0,
                    # (600.00 + 75.00) / 30
                    "landed_unit_cost": 22.5,
                },
            ],
        )
        self.assertRecordValues(
            (rows - goods_rows).sorted(lambda row: row.product_id.name),
            [
                {
                    "product_id": self.goods_a.id,
                    "service_product_id": self.freight.id,
                    "landed_cost_id": self._landed_costs_of(bill).id,
                    "entry_id": False,
                    "landed_amount": 25.0,
                },
                {
                    "product_id": self.goods_std.id,
                    "service_product_id": self.freight.id,
                    "landed_cost_id": False,
                    "entry_id": self._entry(bill).id,
                    "landed_amount": 75.0,
                },
            ],
        )

    def test_reset_reverses_both_then_repost_allocates_once(self):
        bill = self._post_mixed_bill()
        landed_cost = self._landed_costs_of(bill)
        entry = self._entry(bill)
        bill.button_draft()
        self.assertRecordValues(
            landed_cost.zeron_reversal_cost_id,
            [{"state": "done", "amount_total": -25.0}],
        )
        reversal = entry.reversal_move_ids
        self.assertRecordValues(
            reversal,
            [
                {
                    "state": "posted",
                    "date": fields.Date.to_date("2024-04-15"),
                    "journal_id": self.lc_journal.id,
                }
            ],
        )
        self.assertRecordValues(
            self._entry_items(reversal),
            [
                {
                    "account_id": self.account_price_diff.id,
                    "debit": 0.0,
                    "credit": 75.0,
                    "analytic_distribution": self.site_distribution,
                },
                {
                    "account_id": self.account_stock_in.id,
                    "debit": 75.0,
                    "credit": 0.0,
                    "analytic_distribution": False,
                },
            ],
        )
        # The entry's stock input credit and its reversal cancel each other out.
        stock_in_items = (entry | reversal).line_ids.filtered(
            lambda line: line.account_id == self.account_stock_in
        )
        self.assertTrue(all(stock_in_items.mapped("reconciled")))
        self.assertEqual(bill.zeron_allocation_ids.state, "reversed")
        self.assertRecordValues(
            self._service_line(bill),
            [{"zeron_allocated_amount": 0.0, "zeron_unallocated_amount": 100.0}],
        )
        # Resetting again reverses nothing twice.
        bill._zeron_reverse_landed_costs()
        self.assertEqual(len(entry.reversal_move_ids), 1)
        self.assertEqual(len(self._landed_costs_of(bill)), 2)

        bill.action_post()
        self.assertEqual(len(self._landed_costs_of(bill)), 3)
        allocations = bill.zeron_allocation_ids.sorted("id")
        self.assertEqual(allocations.mapped("state"), ["reversed", "posted"])
        self.assertEqual(allocations[1].amount, 75.0)
        self.assertNotEqual(allocations[1].entry_id, entry)
        self.assertRecordValues(
            self._service_line(bill),
            [{"zeron_allocated_amount": 100.0, "zeron_unallocated_amount": 0.0}],
        )

    def test_cancel_reverses_entry(self):
        order = self._order_with_site(
            [(self.goods_std, 10, 20.0), (self.freight, 1, 50.0)]
        )
        self._receive(order)
        bill = self._bill_po(order)
        entry = self._entry(bill)
        bill.button_cancel()
        self.assertEqual(bill.state, "cancel")
        self.assertRecordValues(
            entry.reversal_move_ids, [{"state": "posted", "amount_total": 50.0}]
        )
        self.assertRecordValues(
            self._service_line(bill),
            [{"zeron_allocated_amount": 0.0, "zeron_unallocated_amount": 0.0}],
        )

    # === REVIEW MODE, JOURNAL === #

    def test_draft_setting_leaves_entry_for_review(self):
        self.company.zeron_landed_cost_auto_validate = False
        order = self._order_with_site([(self.goods_std, 10, 20.0)])
        receipt = self._receive(order)
        bill = self._create_service_bill(50.0, pickings=receipt)
        entry = self._entry(bill)
        self.assertRecordValues(entry, [{"state": "draft"}])
        self.assertEqual(bill.zeron_allocation_ids.state, "draft")
        self.assertEqual(self._service_line(bill).zeron_allocated_amount, 0.0)
        # A draft entry counts: rerunning does not book a second one.
        bill._zeron_allocate_landed_costs()
        self.assertEqual(len(bill.zeron_allocation_ids), 1)
        entry.action_post()
        self.assertEqual(bill.zeron_allocation_ids.state, "posted")
        self.assertEqual(self._service_line(bill).zeron_allocated_amount, 50.0)
        self.assertTrue(self._service_line(bill).reconciled)

    def test_reset_cancels_draft_entry(self):
        self.company.zeron_landed_cost_auto_validate = False
        order = self._order_with_site([(self.goods_std, 10, 20.0)])
        receipt = self._receive(order)
        bill = self._create_service_bill(50.0, pickings=receipt)
        entry = self._entry(bill)
        bill.button_draft()
        self.assertRecordValues(entry, [{"state": "cancel"}])
        self.assertEqual(bill.zeron_allocation_ids.state, "cancel")
        bill.action_post()
        self.assertEqual(
            bill.zeron_allocation_ids.sorted("id").mapped("state"),
            ["cancel", "draft"],
        )

    def test_recompute_keeps_refused_goods_out(self):
        """Core's landed cost would take FIFO goods with manual valuation; once
        they have their share through the entry, recomputing the draft landed
        cost leaves them out."""
        self.company.zeron_landed_cost_auto_validate = False
        order = self._order_with_site(
            [(self.goods_a, 10, 20.0), (self.goods_manual, 30, 20.0)]
        )
        receipt = self._receive(order)
        bill = self._create_service_bill(100.0, pickings=receipt)
        landed_cost = self._landed_costs_of(bill)
        landed_cost.compute_landed_cost()
        self.assertRecordValues(
            landed_cost.valuation_adjustment_lines,
            [{"product_id": self.goods_a.id, "additional_landed_cost": 25.0}],
        )
        self.assertRecordValues(
            bill.zeron_allocation_ids,
            [{"product_id": self.goods_manual.id, "amount": 75.0, "state": "draft"}],
        )

    def test_configured_journal(self):
        journal = self.env["account.journal"].create(
            {"name": "Cost Allocation", "code": "ZCA", "type": "general"}
        )
        self.company.zeron_allocation_journal_id = journal
        order = self._order_with_site([(self.goods_std, 10, 20.0)])
        receipt = self._receive(order)
        bill = self._create_service_bill(50.0, pickings=receipt)
        self.assertEqual(self._entry(bill).journal_id, journal)

    # === NON-STORED GOODS, CREDIT NOTES, RIGHTS === #

    def test_goods_bill_lines_without_order(self):
        """Non-stored goods billed without purchase order, with the freight on
        the same bill: 4 and 6 units, freight 30.00 by quantity gives 12.00 and
        18.00 on the goods lines' own account and analytic distribution."""
        other_supplies = self._create_goods("Zeron Tape", is_storable=False)
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": self.vendor.id,
                "invoice_date": "2024-03-01",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.supplies.id,
                            "quantity": 4.0,
                            "price_unit": 25.0,
                            "tax_ids": [Command.clear()],
                            "analytic_distribution": self.site_distribution,
                        }
                    ),
                    Command.create(
                        {
                            "product_id": other_supplies.id,
                            "quantity": 6.0,
                            "price_unit": 10.0,
                            "tax_ids": [Command.clear()],
                        }
                    ),
                    Command.create(
                        {
                            "product_id": self.freight.id,
                            "quantity": 1.0,
                            "price_unit": 30.0,
                            "tax_ids": [Command.clear()],
                            "is_landed_costs_line": True,
                        }
                    ),
                ],
            }
        )
        bill.action_post()
        self.assertFalse(self._landed_costs_of(bill))
        self.assertRecordValues(
            self._entry_items(self._entry(bill)),
            [
                {
                    "account_id": self.account_supplies.id,
                    "product_id": self.supplies.id,
                    "debit": 12.0,
                    "credit": 0.0,
                    "analytic_distribution": self.site_distribution,
                },
                {
                    "account_id": self.account_cogs.id,
                    "product_id": other_supplies.id,
                    "debit": 18.0,
                    "credit": 0.0,
                    "analytic_distribution": False,
                },
                {
                    "account_id": self.account_stock_in.id,
                    "product_id": self.freight.id,
                    "debit": 0.0,
                    "credit": 30.0,
                    "analytic_distribution": False,
                },
            ],
        )
        self.assertRecordValues(
            bill.zeron_allocation_ids,
            [
                {
                    "goods_line_id": bill.invoice_line_ids[0].id,
                    "stock_move_id": False,
                    "goods_value": 100.0,
                    "amount": 12.0,
                    # (100.00 + 12.00) / 4
                    "landed_unit_cost": 28.0,
                },
                {
                    "goods_line_id": bill.invoice_line_ids[1].id,
                    "stock_move_id": False,
                    "goods_value": 60.0,
                    "amount": 18.0,
                    # (60.00 + 18.00) / 6
                    "landed_unit_cost": 13.0,
                },
            ],
        )
        self.env.flush_all()
        rows = self.env["zeron.landed.cost.report"].search(
            [("goods_line_id", "=", bill.invoice_line_ids[0].id)]
        )
        goods_row = rows.filtered(lambda row: not row.service_product_id)
        self.assertRecordValues(
            goods_row,
            [{"quantity": 4.0, "goods_value": 100.0, "landed_unit_cost": 28.0}],
        )
        self.assertRecordValues(
            rows - goods_row,
            [{"service_product_id": self.freight.id, "landed_amount": 12.0}],
        )

    def test_received_non_stored_goods_valued_at_order_price(self):
        """Non-stored goods received on an order: valued at their order price,
        by current value a freight of 10.00 splits 4.00 onto the gloves (worth
        40.00) and 6.00 onto the lamps (worth 60.00, standard cost)."""
        freight_by_value = self._create_freight(
            "Zeron Value Freight", "by_current_cost_price"
        )
        order = self._order_with_site(
            [(self.supplies, 4, 10.0), (self.goods_std, 3, 20.0)]
        )
        receipt = self._receive(order)
        bill = self._create_service_bill(
            10.0, product=freight_by_value, pickings=receipt
        )
        self.assertRecordValues(
            bill.zeron_allocation_ids.sorted(lambda alloc: alloc.product_id.name),
            [
                {
                    "product_id": self.supplies.id,
                    "account_id": self.account_supplies.id,
                    "goods_value": 40.0,
                    "amount": 4.0,
                    "landed_unit_cost": 11.0,
                },
                {
                    "product_id": self.goods_std.id,
                    "account_id": self.account_cogs.id,
                    "goods_value": 60.0,
                    "amount": 6.0,
                    "landed_unit_cost": 22.0,
                },
            ],
        )

    def test_credit_note_gives_negative_entry(self):
        order = self._order_with_site([(self.goods_std, 10, 20.0)])
        receipt = self._receive(order)
        refund = self._create_service_bill(
            20.0, move_type="in_refund", pickings=receipt
        )
        self.assertRecordValues(
            self._entry_items(self._entry(refund)),
            [
                {"account_id": self.account_cogs.id, "debit": 0.0, "credit": 20.0},
                {"account_id": self.account_stock_in.id, "debit": 20.0, "credit": 0.0},
            ],
        )
        self.assertRecordValues(
            self._service_line(refund),
            [{"zeron_allocated_amount": -20.0, "zeron_unallocated_amount": 0.0}],
        )

    def test_billing_user_posts_without_stock_rights(self):
        billing_user = new_test_user(
            self.env,
            login="zeron_refused_biller",
            groups="account.group_account_invoice",
            company_id=self.company.id,
        )
        order = self._order_with_site([(self.goods_std, 10, 20.0)])
        receipt = self._receive(order)
        bill = self._create_service_bill(50.0, pickings=receipt, post=False)
        bill.with_user(billing_user).action_post()
        allocation = bill.with_user(billing_user).zeron_allocation_ids
        self.assertRecordValues(allocation, [{"state": "posted", "amount": 50.0}])
        self.assertEqual(allocation.landed_unit_cost, 25.0)
