from odoo.tests import tagged

from .common import ZeronCostAllocationCommon


@tagged("post_install", "-at_install")
class TestLandedCostReport(ZeronCostAllocationCommon):
    def test_report_per_receipt_and_product(self):
        order = self._create_po([(self.goods_a, 10, 20.0), (self.goods_b, 30, 10.0)])
        receipt = self._receive(order)
        customs = self._create_freight("Zeron Customs", "equal")
        self._create_service_bill(100.0, pickings=receipt)
        self._create_service_bill(9.99, product=customs, pickings=receipt)
        self.env.flush_all()
        report = self.env["zeron.landed.cost.report"]
        rows = report.search([("picking_id", "=", receipt.id)], order="id")
        goods_rows = rows.filtered(lambda row: not row.service_product_id)
        self.assertRecordValues(
            goods_rows.sorted(lambda row: row.product_id.name),
            [
                {
                    "product_id": self.goods_a.id,
                    "quantity": 10.0,
                    "goods_value": 200.0,
                    "total_value": 200.0,
                    # (200.00 + 25.00 + 5.00) / 10
                    "landed_unit_cost": 23.0,
                },
                {
                    "product_id": self.goods_b.id,
                    "quantity": 30.0,
                    "goods_value": 300.0,
                    "total_value": 300.0,
                    # (300.00 + 75.00 + 4.99) / 30
                    "landed_unit_cost": 12.666333333333334,
                },
            ],
        )
        share_rows = (rows - goods_rows).sorted(
            lambda row: (row.product_id.name, row.service_product_id.name)
        )
        self.assertRecordValues(
            share_rows,
            [
                {
                    "product_id": self.goods_a.id,
                    "service_product_id": customs.id,
                    "landed_amount": 5.0,
                },
                {
                    "product_id": self.goods_a.id,
                    "service_product_id": self.freight.id,
                    "landed_amount": 25.0,
                },
                {
                    "product_id": self.goods_b.id,
                    "service_product_id": customs.id,
                    "landed_amount": 4.99,
                },
                {
                    "product_id": self.goods_b.id,
                    "service_product_id": self.freight.id,
                    "landed_amount": 75.0,
                },
            ],
        )
        totals = report.read_group(
            [("picking_id", "=", receipt.id)],
            ["goods_value:sum", "landed_amount:sum", "total_value:sum"],
            ["picking_id"],
        )
        self.assertEqual(
            (
                totals[0]["goods_value"],
                totals[0]["landed_amount"],
                totals[0]["total_value"],
            ),
            (500.0, 109.99, 609.99),
        )

    def test_receipt_shows_allocation(self):
        order = self._create_po([(self.goods_a, 10, 20.0), (self.goods_b, 30, 10.0)])
        receipt = self._receive(order)
        bill = self._create_service_bill(100.0, pickings=receipt)
        self.assertEqual(receipt.zeron_landed_cost_count, 1)
        self.assertEqual(receipt.zeron_landed_cost_ids, self._landed_costs_of(bill))
        self.assertEqual(
            receipt.zeron_adjustment_line_ids.sorted("id").mapped(
                "additional_landed_cost"
            ),
            [25.0, 75.0],
        )
        action = receipt.action_zeron_view_landed_costs()
        self.assertEqual(
            action["domain"], [("id", "in", self._landed_costs_of(bill).ids)]
        )
