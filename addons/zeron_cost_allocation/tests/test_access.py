from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import ZeronCostAllocationCommon


@tagged("post_install", "-at_install")
class TestAccess(ZeronCostAllocationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._create_po([(cls.goods_a, 10, 20.0), (cls.goods_b, 30, 10.0)])
        cls.receipt = cls._receive(cls.order)
        cls.billing_user = new_test_user(
            cls.env,
            login="zeron_biller",
            groups="account.group_account_invoice",
            company_id=cls.company.id,
        )
        cls.stock_user = new_test_user(
            cls.env,
            login="zeron_stock_user",
            groups="stock.group_stock_user",
            company_id=cls.company.id,
        )

    def test_billing_user_posting_allocates_without_stock_rights(self):
        bill = self._create_service_bill(100.0, pickings=self.receipt, post=False)
        bill.with_user(self.billing_user).action_post()
        landed_cost = self._landed_costs_of(bill)
        self.assertEqual(self._shares(landed_cost), [25.0, 75.0])
        line = self._service_line(bill).with_user(self.billing_user)
        self.assertEqual(line.zeron_allocated_amount, 100.0)
        # Posting is no right to read or change landed costs directly.
        with self.assertRaises(AccessError):
            landed_cost.with_user(self.billing_user).read(["name"])

    def test_stock_user_cannot_read_report(self):
        self._create_service_bill(100.0, pickings=self.receipt)
        with self.assertRaises(AccessError):
            self.env["zeron.landed.cost.report"].with_user(self.stock_user).search([])
