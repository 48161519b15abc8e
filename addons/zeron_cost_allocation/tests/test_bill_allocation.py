from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ZeronCostAllocationCommon


@tagged("post_install", "-at_install")
class TestBillAllocation(ZeronCostAllocationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Goods of 10 and 30 units, with the freight on the same purchase order.
        cls.order = cls._create_po(
            [(cls.goods_a, 10, 20.0), (cls.goods_b, 30, 10.0), (cls.freight, 1, 100.0)]
        )
        cls.receipt = cls._receive(cls.order)
        # The same goods again, without freight: its cost comes from a carrier.
        cls.goods_order = cls._create_po(
            [(cls.goods_a, 10, 20.0), (cls.goods_b, 30, 10.0)]
        )
        cls.goods_receipt = cls._receive(cls.goods_order)

    def _assert_freight_25_75(self, landed_cost, receipt):
        self.assertRecordValues(
            landed_cost,
            [{"state": "done", "picking_ids": receipt.ids, "amount_total": 100.0}],
        )
        self.assertEqual(self._shares(landed_cost), [25.0, 75.0])
        # One debit per goods line, then one credit for the cost line.
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
                    "account_id": self.account_stock_valuation.id,
                    "product_id": self.goods_b.id,
                    "debit": 75.0,
                    "credit": 0.0,
                },
                {
                    "account_id": self.account_stock_in.id,
                    "product_id": self.freight.id,
                    "debit": 0.0,
                    "credit": 100.0,
                },
            ],
        )
        self.assertRecordValues(
            landed_cost.stock_valuation_layer_ids.sorted("id"),
            [
                {"product_id": self.goods_a.id, "value": 25.0},
                {"product_id": self.goods_b.id, "value": 75.0},
            ],
        )

    # === POSTING === #

    def test_posting_po_bill_allocates_freight_by_quantity(self):
        bill = self._bill_po(self.order)
        landed_cost = self._landed_costs_of(bill)
        self.assertEqual(len(landed_cost), 1)
        self._assert_freight_25_75(landed_cost, self.receipt)
        self.assertRecordValues(
            self._service_line(bill),
            [{"zeron_allocated_amount": 100.0, "zeron_unallocated_amount": 0.0}],
        )
        self.assertEqual(
            landed_cost.cost_lines.zeron_move_line_id, self._service_line(bill)
        )
        self.assertEqual(landed_cost.date, bill.date)
        self.assertEqual(landed_cost.account_journal_id, self.lc_journal)
        self.assertFalse(bill.zeron_has_unallocated_landed_cost)
        # The bill's freight line and the landed cost meet on the input account.
        self.assertTrue(self._service_line(bill).reconciled)

    def test_goods_lines_are_not_allocated(self):
        bill = self._bill_po(self.goods_order)
        self.assertFalse(self._landed_costs_of(bill))
        self.assertEqual(
            bill.invoice_line_ids.mapped("zeron_unallocated_amount"), [0.0, 0.0]
        )

    def test_rerun_allocates_nothing_twice(self):
        bill = self._bill_po(self.order)
        bill._zeron_allocate_landed_costs()
        bill.action_zeron_allocate_landed_costs()
        self.assertEqual(len(self._landed_costs_of(bill)), 1)
        self.assertEqual(self._service_line(bill).zeron_allocated_amount, 100.0)

    def test_line_chosen_receipt(self):
        bill = self._create_service_bill(100.0, pickings=self.goods_receipt)
        self._assert_freight_25_75(self._landed_costs_of(bill), self.goods_receipt)
        self.assertEqual(self._service_line(bill).zeron_allocated_amount, 100.0)

    def test_line_chosen_goods_bill(self):
        goods_bill = self._bill_po(self.goods_order)
        bill = self._create_service_bill(100.0, goods_bills=goods_bill)
        self._assert_freight_25_75(self._landed_costs_of(bill), self.goods_receipt)

    def test_no_goods_found_leaves_cost_unallocated(self):
        with self.assertLogs(
            "odoo.addons.zeron_cost_allocation.models.account_move", level="WARNING"
        ):
            bill = self._create_service_bill(100.0)
        self.assertFalse(self._landed_costs_of(bill))
        self.assertRecordValues(
            self._service_line(bill),
            [{"zeron_allocated_amount": 0.0, "zeron_unallocated_amount": 100.0}],
        )
        self.assertTrue(bill.zeron_has_unallocated_landed_cost)
        self.assertIn("No received goods were found", bill.message_ids[:1].body or "")
        # The receipt is chosen afterwards, then the button allocates it, once.
        self._service_line(bill).zeron_target_picking_ids = self.goods_receipt
        bill.action_zeron_allocate_landed_costs()
        bill.action_zeron_allocate_landed_costs()
        self._assert_freight_25_75(self._landed_costs_of(bill), self.goods_receipt)
        self.assertFalse(bill.zeron_has_unallocated_landed_cost)

    # === DRAFT SETTING === #

    def test_draft_setting_leaves_landed_cost_for_review(self):
        self.company.zeron_landed_cost_auto_validate = False
        bill = self._bill_po(self.order)
        landed_cost = self._landed_costs_of(bill)
        self.assertRecordValues(landed_cost, [{"state": "draft"}])
        self.assertEqual(self._shares(landed_cost), [25.0, 75.0])
        self.assertRecordValues(
            self._service_line(bill),
            [{"zeron_allocated_amount": 0.0, "zeron_unallocated_amount": 100.0}],
        )
        # A draft allocation counts: rerunning does not create a second one.
        bill._zeron_allocate_landed_costs()
        self.assertEqual(len(self._landed_costs_of(bill)), 1)
        landed_cost.button_validate()
        self._assert_freight_25_75(landed_cost, self.receipt)
        self.assertRecordValues(
            self._service_line(bill),
            [{"zeron_allocated_amount": 100.0, "zeron_unallocated_amount": 0.0}],
        )

    def test_reset_cancels_draft_landed_cost(self):
        self.company.zeron_landed_cost_auto_validate = False
        bill = self._bill_po(self.order)
        draft_cost = self._landed_costs_of(bill)
        bill.button_draft()
        self.assertRecordValues(draft_cost, [{"state": "cancel"}])
        self.assertEqual(len(self._landed_costs_of(bill)), 1)
        bill.action_post()
        costs = self._landed_costs_of(bill)
        self.assertEqual(costs.mapped("state"), ["cancel", "draft"])

    # === RESET AND CANCEL === #

    def test_reset_reverses_then_repost_allocates_once(self):
        bill = self._bill_po(self.order)
        landed_cost = self._landed_costs_of(bill)
        bill.button_draft()
        reversal = landed_cost.zeron_reversal_cost_id
        self.assertRecordValues(
            reversal,
            [
                {
                    "state": "done",
                    "zeron_reversed_cost_id": landed_cost.id,
                    "amount_total": -100.0,
                    "vendor_bill_id": bill.id,
                }
            ],
        )
        self.assertEqual(self._shares(reversal), [-25.0, -75.0])
        self.assertRecordValues(
            self._entry_lines(reversal),
            [
                {
                    "account_id": self.account_stock_valuation.id,
                    "debit": 0.0,
                    "credit": 25.0,
                },
                {
                    "account_id": self.account_stock_valuation.id,
                    "debit": 0.0,
                    "credit": 75.0,
                },
                {
                    "account_id": self.account_stock_in.id,
                    "debit": 100.0,
                    "credit": 0.0,
                },
            ],
        )
        stock_in_lines = (
            landed_cost.account_move_id | reversal.account_move_id
        ).line_ids.filtered(lambda line: line.account_id == self.account_stock_in)
        self.assertTrue(all(stock_in_lines.mapped("reconciled")))
        self.assertEqual(
            sum((landed_cost | reversal).stock_valuation_layer_ids.mapped("value")),
            0.0,
        )
        self.assertRecordValues(
            self._service_line(bill),
            [{"zeron_allocated_amount": 0.0, "zeron_unallocated_amount": 100.0}],
        )
        # Resetting again does not reverse twice.
        bill._zeron_reverse_landed_costs()
        self.assertEqual(len(self._landed_costs_of(bill)), 2)

        bill.action_post()
        costs = self._landed_costs_of(bill)
        self.assertEqual(len(costs), 3)
        self._assert_freight_25_75(costs[2], self.receipt)
        self.assertEqual(self._service_line(bill).zeron_allocated_amount, 100.0)

    def test_cancel_reverses_in_one_step(self):
        bill = self._bill_po(self.order)
        landed_cost = self._landed_costs_of(bill)
        bill.button_cancel()
        self.assertEqual(bill.state, "cancel")
        self.assertRecordValues(
            landed_cost.zeron_reversal_cost_id,
            [{"state": "done", "amount_total": -100.0}],
        )
        self.assertRecordValues(
            self._service_line(bill),
            [{"zeron_allocated_amount": 0.0, "zeron_unallocated_amount": 0.0}],
        )

    # === ZERO BASIS === #

    def test_zero_basis_error_names_products(self):
        freight_by_weight = self._create_freight("Zeron Air Freight", "by_weight")
        self.goods_a.weight = 0.0
        with self.assertRaises(UserError) as caught:
            self._create_service_bill(
                100.0, product=freight_by_weight, pickings=self.goods_receipt
            )
        message = str(caught.exception)
        self.assertIn("Products without a weight: Zeron Chair, Zeron Table", message)
        self.assertIn("Zeron Air Freight", message)

    def test_zero_basis_fallback_splits_equally(self):
        self.company.zeron_landed_cost_zero_basis = "equal"
        freight_by_volume = self._create_freight("Zeron Sea Freight", "by_volume")
        self.goods_a.volume = 0.0
        bill = self._create_service_bill(
            100.01, product=freight_by_volume, pickings=self.goods_receipt
        )
        self.assertEqual(self._shares(self._landed_costs_of(bill)), [50.01, 50.0])

    def test_weight_split_with_one_weightless_product(self):
        freight_by_weight = self._create_freight("Zeron Air Freight", "by_weight")
        bill = self._create_service_bill(
            100.0, product=freight_by_weight, pickings=self.goods_receipt
        )
        # Only the chair weighs something: it carries the whole cost.
        self.assertEqual(self._shares(self._landed_costs_of(bill)), [100.0, 0.0])
