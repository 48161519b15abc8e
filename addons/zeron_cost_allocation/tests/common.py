from odoo import Command, fields

from odoo.addons.stock_account.tests.test_anglo_saxon_valuation_reconciliation_common import (  # noqa: E501
    ValuationReconciliationTestCommon,
)


class ZeronCostAllocationCommon(ValuationReconciliationTestCommon):
    """Goods, a freight service and purchase helpers, all created here (no demo).

    The base class gives each company stock input (STOCKIN), output (STOCKOUT)
    and valuation (STOCKVAL) accounts, and a FIFO, real-time valued category.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.company.anglo_saxon_accounting = True
        cls.lc_journal = cls.env["account.journal"].create(
            {"name": "Landed Costs", "code": "ZLC", "type": "general"}
        )
        cls.company.lc_journal_id = cls.lc_journal
        # The examples assert one journal item per goods line, as core books
        # them; the default, one per goods account, is tested on its own
        # (TestBatchedValidation.test_items_per_account_*).
        cls.company.zeron_landed_cost_entry_detail = "product"
        cls.account_stock_in = cls.company_data["default_account_stock_in"]
        cls.account_stock_out = cls.company_data["default_account_stock_out"]
        cls.account_stock_valuation = cls.company_data[
            "default_account_stock_valuation"
        ]
        cls.account_cogs = cls.company_data["default_account_expense"]
        cls.account_freight_expense = cls.copy_account(cls.account_cogs)
        cls.categ_fifo = cls.stock_account_product_categ
        cls.goods_a = cls._create_goods("Zeron Chair", weight=2.0, volume=0.5)
        cls.goods_b = cls._create_goods("Zeron Table", weight=0.0, volume=0.0)
        cls.freight = cls._create_freight("Zeron Freight", "by_quantity")
        cls.vendor = cls.env["res.partner"].create({"name": "Zeron Vendor"})
        cls.carrier = cls.env["res.partner"].create({"name": "Zeron Carrier"})

    # === DATA HELPERS === #

    @classmethod
    def _create_goods(cls, name, categ=None, **values):
        return cls.env["product.product"].create(
            {
                "name": name,
                "is_storable": True,
                "categ_id": (categ or cls.categ_fifo).id,
                "property_account_expense_id": cls.account_cogs.id,
                "supplier_taxes_id": [Command.clear()],
                "taxes_id": [Command.clear()],
                **values,
            }
        )

    @classmethod
    def _create_freight(cls, name, split_method, categ=None):
        return cls.env["product.product"].create(
            {
                "name": name,
                "type": "service",
                "landed_cost_ok": True,
                "split_method_landed_cost": split_method,
                "purchase_method": "purchase",
                "categ_id": (categ or cls.categ_fifo).id,
                "property_account_expense_id": cls.account_freight_expense.id,
                "supplier_taxes_id": [Command.clear()],
                "taxes_id": [Command.clear()],
            }
        )

    @classmethod
    def _create_po(cls, lines, company=None):
        """Confirm a purchase order of ``lines`` [(product, qty, price)]."""
        order = (
            cls.env["purchase.order"]
            .with_company(company or cls.company)
            .create(
                {
                    "partner_id": cls.vendor.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "product_qty": qty,
                                "price_unit": price,
                                "taxes_id": [Command.clear()],
                            }
                        )
                        for product, qty, price in lines
                    ],
                }
            )
        )
        order.button_confirm()
        return order

    @classmethod
    def _receive(cls, order):
        receipt = order.picking_ids.filtered(
            lambda picking: picking.picking_type_code == "incoming"
        )
        for move in receipt.move_ids:
            move.quantity = move.product_uom_qty
        receipt.move_ids.picked = True
        receipt._action_done()
        return receipt

    @classmethod
    def _deliver(cls, product, qty, company_data=None):
        company_data = company_data or cls.company_data
        warehouse = company_data["default_warehouse"]
        move = cls.env["stock.move"].create(
            {
                "name": "Delivery of %s" % product.name,
                "product_id": product.id,
                "product_uom_qty": qty,
                "product_uom": product.uom_id.id,
                "location_id": warehouse.lot_stock_id.id,
                "location_dest_id": cls.env.ref("stock.stock_location_customers").id,
                "picking_type_id": warehouse.out_type_id.id,
            }
        )
        move._action_confirm()
        move._action_assign()
        move.quantity = qty
        move.picked = True
        move._action_done()
        return move

    @classmethod
    def _bill_po(cls, order, invoice_date="2024-03-01", post=True):
        action = order.action_create_invoice()
        bill = cls.env["account.move"].browse(action["res_id"])
        bill.invoice_date = fields.Date.to_date(invoice_date)
        if post:
            bill.action_post()
        return bill

    @classmethod
    def _create_service_bill(
        cls,
        amount,
        product=None,
        move_type="in_invoice",
        pickings=None,
        goods_bills=None,
        currency=None,
        invoice_date="2024-03-01",
        company=None,
        post=True,
    ):
        """A carrier's bill of one landed-cost service, not linked to any order."""
        company = company or cls.company
        bill = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": cls.carrier.id,
                    "invoice_date": invoice_date,
                    "currency_id": (currency or company.currency_id).id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": (product or cls.freight).id,
                                "quantity": 1.0,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                                "is_landed_costs_line": True,
                                "zeron_target_picking_ids": [
                                    Command.set(pickings.ids if pickings else [])
                                ],
                                "zeron_target_bill_ids": [
                                    Command.set(goods_bills.ids if goods_bills else [])
                                ],
                            }
                        )
                    ],
                }
            )
        )
        if post:
            bill.action_post()
        return bill

    # === ASSERTION HELPERS === #

    def _landed_costs_of(self, bill):
        return (
            self.env["stock.landed.cost"]
            .search([("vendor_bill_id", "=", bill.id)])
            .sorted("id")
        )

    def _service_line(self, bill):
        return bill.invoice_line_ids.filtered("is_landed_costs_line")

    def _entry_lines(self, landed_cost):
        return landed_cost.account_move_id.line_ids.sorted("id")

    def _shares(self, landed_cost):
        return landed_cost.valuation_adjustment_lines.sorted("id").mapped(
            "additional_landed_cost"
        )
