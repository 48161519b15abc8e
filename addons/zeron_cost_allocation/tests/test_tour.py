from odoo.tests import HttpCase, tagged

from .common import ZeronCostAllocationCommon


@tagged("post_install", "-at_install")
class TestCostAllocationTour(ZeronCostAllocationCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id += cls.env.ref("stock.group_stock_manager")
        order = cls._create_po([(cls.goods_a, 10, 20.0), (cls.goods_b, 30, 10.0)])
        cls.receipt = cls._receive(order)
        cls.bill = cls._create_service_bill(100.0, pickings=cls.receipt, post=False)

    def test_tour_post_bill_then_see_allocation_on_receipt(self):
        self.start_tour(
            f"/odoo/action-account.action_move_in_invoice_type/{self.bill.id}",
            "zeron_cost_allocation_post_bill",
            login=self.env.user.login,
        )
        self.assertEqual(self.bill.state, "posted")
        landed_cost = self._landed_costs_of(self.bill)
        self.assertEqual(self._shares(landed_cost), [25.0, 75.0])
        self.start_tour(
            f"/odoo/action-stock.action_picking_tree_all/{self.receipt.id}",
            "zeron_cost_allocation_receipt",
            login=self.env.user.login,
        )

    def test_tour_refused_goods_allocation_on_bill_and_receipt(self):
        categ_std = self.categ_fifo.create(
            {
                "name": "Zeron Standard",
                "property_valuation": "real_time",
                "property_cost_method": "standard",
                "property_stock_valuation_account_id": self.account_stock_valuation.id,
                "property_stock_account_input_categ_id": self.account_stock_in.id,
                "property_stock_account_output_categ_id": self.account_stock_out.id,
            }
        )
        lamp = self._create_goods("Zeron Lamp", categ=categ_std, standard_price=20.0)
        receipt = self._receive(self._create_po([(lamp, 10, 20.0)]))
        bill = self._create_service_bill(50.0, pickings=receipt)
        self.assertEqual(bill.zeron_allocation_ids.landed_unit_cost, 25.0)
        self.start_tour(
            f"/odoo/action-account.action_move_in_invoice_type/{bill.id}",
            "zeron_cost_allocation_refused_goods",
            login=self.env.user.login,
        )
        self.start_tour(
            f"/odoo/action-stock.action_picking_tree_all/{receipt.id}",
            "zeron_cost_allocation_refused_receipt",
            login=self.env.user.login,
        )
