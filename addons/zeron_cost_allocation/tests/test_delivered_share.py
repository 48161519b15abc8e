from odoo.tests import tagged

from .common import ZeronCostAllocationCommon


@tagged("post_install", "-at_install")
class TestDeliveredShare(ZeronCostAllocationCommon):
    """Goods partly delivered before their freight is billed.

    FIFO, 10 units received at 20.00, 4 delivered, freight 50.00 by quantity.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._create_po([(cls.goods_a, 10, 20.0), (cls.freight, 1, 50.0)])
        cls.receipt = cls._receive(cls.order)
        cls._deliver(cls.goods_a, 4)

    def _check_layers(self, landed_cost):
        # Only the 6 units still in stock take value: 30.00.
        self.assertRecordValues(
            landed_cost.stock_valuation_layer_ids,
            [{"product_id": self.goods_a.id, "value": 30.0, "quantity": 0.0}],
        )
        self.assertEqual(self.goods_a.value_svl, 6 * 20.0 + 30.0)

    def test_anglo_saxon_delivered_share_goes_to_cogs(self):
        bill = self._bill_po(self.order)
        landed_cost = self._landed_costs_of(bill)
        self._check_layers(landed_cost)
        self.assertRecordValues(
            self._entry_lines(landed_cost),
            [
                {
                    "account_id": self.account_stock_valuation.id,
                    "debit": 50.0,
                    "credit": 0.0,
                },
                {"account_id": self.account_stock_out.id, "debit": 20.0, "credit": 0.0},
                {
                    "account_id": self.account_stock_valuation.id,
                    "debit": 0.0,
                    "credit": 20.0,
                },
                {"account_id": self.account_cogs.id, "debit": 20.0, "credit": 0.0},
                {"account_id": self.account_stock_out.id, "debit": 0.0, "credit": 20.0},
                {"account_id": self.account_stock_in.id, "debit": 0.0, "credit": 50.0},
            ],
        )
        # Net effect: stock value +30.00, cost of goods sold +20.00.
        lines = self._entry_lines(landed_cost)
        for account, balance in [
            (self.account_stock_valuation, 30.0),
            (self.account_cogs, 20.0),
            (self.account_stock_out, 0.0),
            (self.account_stock_in, -50.0),
        ]:
            self.assertEqual(
                sum(
                    lines.filtered(lambda x, a=account: x.account_id == a).mapped(
                        "balance"
                    )
                ),
                balance,
                account.name,
            )

    def test_continental_delivered_share_stays_on_stock_output(self):
        """Without anglo-saxon accounting the bill books the freight to the
        service's expense account. The allocation takes it back from there into
        stock valuation, then moves the delivered share on to the goods' stock
        output account, where core booked the delivered goods themselves."""
        self.company.anglo_saxon_accounting = False
        bill = self._bill_po(self.order)
        self.assertEqual(
            self._service_line(bill).account_id, self.account_freight_expense
        )
        landed_cost = self._landed_costs_of(bill)
        self._check_layers(landed_cost)
        self.assertRecordValues(
            self._entry_lines(landed_cost),
            [
                {
                    "account_id": self.account_stock_valuation.id,
                    "debit": 50.0,
                    "credit": 0.0,
                },
                {"account_id": self.account_stock_out.id, "debit": 20.0, "credit": 0.0},
                {
                    "account_id": self.account_stock_valuation.id,
                    "debit": 0.0,
                    "credit": 20.0,
                },
                {
                    "account_id": self.account_freight_expense.id,
                    "debit": 0.0,
                    "credit": 50.0,
                },
            ],
        )
