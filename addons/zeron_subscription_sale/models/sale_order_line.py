from odoo import api, fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    zeron_contract_line_id = fields.Many2one(
        comodel_name="zeron.contract.line",
        string="Contract Line",
        copy=False,
        readonly=True,
        index="btree_not_null",
    )

    # a compute returns nothing, like the method it extends
    @api.depends("zeron_contract_line_id")
    def _compute_qty_to_invoice(self):  # pylint: disable=missing-return
        # a subscription line is billed by its contract, period by period,
        # never by the order's own invoicing
        super()._compute_qty_to_invoice()
        for line in self.filtered("zeron_contract_line_id"):
            line.qty_to_invoice = 0.0

    def _prepare_zeron_contract_line_values(self, contract, date_start):
        """Return the contract line values billing this order line."""
        self.ensure_one()
        return {
            "contract_id": contract.id,
            "product_id": self.product_id.id,
            "name": self.name,
            "quantity": self.product_uom_qty,
            "product_uom_id": self.product_uom.id,
            "price_unit": self.price_unit,
            "discount": self.discount,
            "tax_ids": [fields.Command.set(self.tax_id.ids)],
            "date_start": date_start,
            "analytic_distribution": self.analytic_distribution,
        }
