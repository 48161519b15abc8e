from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import ZeronCostAllocationCommon


@tagged("post_install", "-at_install")
class TestMultiCompany(ZeronCostAllocationCommon):
    """A second company in a currency without decimals, and access rules."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        jpy = cls.env.ref("base.JPY")
        jpy.active = True
        cls.company_data_2 = cls.setup_other_company(
            name="Zeron Japan", currency_id=jpy.id
        )
        cls.company_2 = cls.company_data_2["company"]
        cls.company_2.anglo_saxon_accounting = True
        cls.company_2.zeron_landed_cost_entry_detail = "product"
        env_2 = cls.env(
            context=dict(cls.env.context, allowed_company_ids=[cls.company_2.id])
        )
        cls.categ_2 = (
            env_2["product.category"]
            .with_company(cls.company_2)
            .create(
                {
                    "name": "Zeron FIFO JP",
                    "property_valuation": "real_time",
                    "property_cost_method": "fifo",
                    "property_stock_valuation_account_id": cls.company_data_2[
                        "default_account_stock_valuation"
                    ].id,
                    "property_stock_account_input_categ_id": cls.company_data_2[
                        "default_account_stock_in"
                    ].id,
                    "property_stock_account_output_categ_id": cls.company_data_2[
                        "default_account_stock_out"
                    ].id,
                }
            )
        )
        cls.goods_jp = env_2["product.product"].browse()
        for name in ("Lamp", "Desk", "Shelf", "Sofa"):
            cls.goods_jp |= env_2["product.product"].create(
                {
                    "name": f"Zeron {name}",
                    "is_storable": True,
                    "categ_id": cls.categ_2.id,
                    "company_id": cls.company_2.id,
                    "supplier_taxes_id": [Command.clear()],
                }
            )
        cls.customs = env_2["product.product"].create(
            {
                "name": "Zeron Customs",
                "type": "service",
                "landed_cost_ok": True,
                "split_method_landed_cost": "by_current_cost_price",
                "categ_id": cls.categ_2.id,
                "company_id": cls.company_2.id,
                "supplier_taxes_id": [Command.clear()],
            }
        )
        cls.order_2 = cls._create_po(
            list(zip(cls.goods_jp, [1, 1, 1, 1], [666, 133, 131, 525], strict=True)),
            company=cls.company_2,
        )
        cls.receipt_2 = cls._receive(cls.order_2)
        cls.user_2 = new_test_user(
            cls.env,
            login="zeron_jp_manager",
            groups="stock.group_stock_manager,account.group_account_manager",
            company_id=cls.company_2.id,
            company_ids=[Command.set(cls.company_2.ids)],
        )

    def test_current_value_in_currency_without_decimals(self):
        bill = self._create_service_bill(
            333.0,
            product=self.customs,
            pickings=self.receipt_2,
            company=self.company_2,
            post=False,
        )
        # Posted from an environment whose current company is the first one.
        self.assertEqual(self.env.company, self.company)
        self.env["account.move"].browse(bill.id).action_post()
        landed_cost = self._landed_costs_of(bill)
        self.assertRecordValues(
            landed_cost, [{"company_id": self.company_2.id, "state": "done"}]
        )
        self.assertEqual(landed_cost.account_journal_id.company_id, self.company_2)
        self.assertEqual(landed_cost.account_move_id.company_id, self.company_2)
        self.assertEqual(self._shares(landed_cost), [152.0, 31.0, 30.0, 120.0])
        stock_val = self.company_data_2["default_account_stock_valuation"]
        stock_in = self.company_data_2["default_account_stock_in"]
        expected = [
            {
                "account_id": stock_val.id,
                "product_id": product.id,
                "debit": amount,
                "credit": 0.0,
            }
            for product, amount in zip(
                self.goods_jp, [152.0, 31.0, 30.0, 120.0], strict=True
            )
        ]
        expected.append(
            {
                "account_id": stock_in.id,
                "product_id": self.customs.id,
                "debit": 0.0,
                "credit": 333.0,
            }
        )
        self.assertRecordValues(self._entry_lines(landed_cost), expected)

    def test_other_company_user_cannot_read(self):
        order = self._create_po([(self.goods_a, 10, 20.0), (self.freight, 1, 100.0)])
        self._receive(order)
        bill = self._bill_po(order)
        landed_cost = self._landed_costs_of(bill)
        self.env.flush_all()
        with self.assertRaises(AccessError):
            landed_cost.with_user(self.user_2).read(["name"])
        report = self.env["zeron.landed.cost.report"]
        self.assertTrue(report.search([("picking_id", "in", order.picking_ids.ids)]))
        self.assertFalse(
            report.with_user(self.user_2).search([("company_id", "=", self.company.id)])
        )
        # The user's own company's allocation stays visible to them.
        self._create_service_bill(
            333.0, product=self.customs, pickings=self.receipt_2, company=self.company_2
        )
        self.env.flush_all()
        rows = report.with_user(self.user_2).search([])
        self.assertEqual(rows.company_id, self.company_2)

    def test_other_company_user_cannot_see_cost_allocations(self):
        categ_std = self.env["product.category"].create(
            {
                "name": "Zeron Standard",
                "property_valuation": "real_time",
                "property_cost_method": "standard",
                "property_stock_valuation_account_id": self.account_stock_valuation.id,
                "property_stock_account_input_categ_id": self.account_stock_in.id,
                "property_stock_account_output_categ_id": self.account_stock_out.id,
            }
        )
        goods = self._create_goods("Zeron Vase", categ=categ_std, standard_price=20.0)
        receipt = self._receive(self._create_po([(goods, 10, 20.0)]))
        bill = self._create_service_bill(50.0, pickings=receipt)
        allocation = bill.zeron_allocation_ids
        self.assertRecordValues(
            allocation, [{"company_id": self.company.id, "amount": 50.0}]
        )
        self.assertEqual(allocation.entry_id.company_id, self.company)
        self.env.flush_all()
        allocations = self.env["zeron.cost.allocation"].with_user(self.user_2)
        self.assertFalse(allocations.search([]))
        with self.assertRaises(AccessError):
            allocation.with_user(self.user_2).read(["amount"])
        report = self.env["zeron.landed.cost.report"].with_user(self.user_2)
        self.assertFalse(report.search([("entry_id", "=", allocation.entry_id.id)]))
        portal = new_test_user(
            self.env, login="zeron_alloc_portal", groups="base.group_portal"
        )
        with self.assertRaises(AccessError):
            self.env["zeron.cost.allocation"].with_user(portal).search([])
        with self.assertRaises(AccessError):
            allocation.with_user(portal).read(["amount"])
