from odoo.tests import tagged

from .common import ZeronCostAllocationCommon


@tagged("post_install", "-at_install")
class TestCurrencyAndRefund(ZeronCostAllocationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 2016: 3.00 per company unit, 2017 onwards: 2.00.
        cls.other_currency = cls.setup_other_currency("EUR")
        cls.order = cls._create_po([(cls.goods_a, 10, 20.0), (cls.goods_b, 30, 10.0)])
        cls.receipt = cls._receive(cls.order)

    def test_foreign_currency_uses_bill_line_company_amount(self):
        # Review mode, so the rate can change between posting and validation.
        self.company.zeron_landed_cost_auto_validate = False
        bill = self._create_service_bill(
            100.0,
            pickings=self.receipt,
            currency=self.other_currency,
            invoice_date="2017-06-01",
        )
        line = self._service_line(bill)
        self.assertRecordValues(line, [{"amount_currency": 100.0, "balance": 50.0}])
        # A rate entered afterwards for the bill date does not change what the
        # bill booked, nor what is allocated.
        self.env["res.currency.rate"].create(
            {
                "name": "2017-06-01",
                "rate": 4.0,
                "currency_id": self.other_currency.id,
                "company_id": self.company.id,
            }
        )
        landed_cost = self._landed_costs_of(bill)
        landed_cost.button_validate()
        self.assertRecordValues(landed_cost.cost_lines, [{"price_unit": 50.0}])
        self.assertEqual(self._shares(landed_cost), [12.5, 37.5])
        self.assertRecordValues(
            self._entry_lines(landed_cost),
            [
                {
                    "account_id": self.account_stock_valuation.id,
                    "debit": 12.5,
                    "credit": 0.0,
                },
                {
                    "account_id": self.account_stock_valuation.id,
                    "debit": 37.5,
                    "credit": 0.0,
                },
                {"account_id": self.account_stock_in.id, "debit": 0.0, "credit": 50.0},
            ],
        )
        self.assertRecordValues(
            line, [{"zeron_allocated_amount": 50.0, "zeron_unallocated_amount": 0.0}]
        )

    def test_foreign_currency_odd_cents(self):
        bill = self._create_service_bill(
            100.03,
            pickings=self.receipt,
            currency=self.other_currency,
            invoice_date="2016-06-01",
        )
        # 100.03 / 3 = 33.343..., booked as 33.34 and allocated to the cent.
        self.assertEqual(self._service_line(bill).balance, 33.34)
        self.assertEqual(self._shares(self._landed_costs_of(bill)), [8.34, 25.0])

    def test_credit_note_gives_negative_allocation(self):
        refund = self._create_service_bill(
            40.0, move_type="in_refund", pickings=self.receipt
        )
        landed_cost = self._landed_costs_of(refund)
        self.assertRecordValues(landed_cost, [{"state": "done", "amount_total": -40.0}])
        self.assertEqual(self._shares(landed_cost), [-10.0, -30.0])
        self.assertRecordValues(
            self._entry_lines(landed_cost),
            [
                {
                    "account_id": self.account_stock_valuation.id,
                    "debit": 0.0,
                    "credit": 10.0,
                },
                {
                    "account_id": self.account_stock_valuation.id,
                    "debit": 0.0,
                    "credit": 30.0,
                },
                {"account_id": self.account_stock_in.id, "debit": 40.0, "credit": 0.0},
            ],
        )
        self.assertRecordValues(
            self._service_line(refund),
            [{"zeron_allocated_amount": -40.0, "zeron_unallocated_amount": 0.0}],
        )
        self.assertEqual(
            landed_cost.stock_valuation_layer_ids.sorted("id").mapped("value"),
            [-10.0, -30.0],
        )
