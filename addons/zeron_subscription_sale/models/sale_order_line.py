from odoo import api, fields, models
from odoo.tools import float_compare


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

    def _prepare_zeron_renewal_changes(self, contract_line):
        """Return the values of ``contract_line`` this renewal line changes.

        :param contract_line: the ``zeron.contract.line`` the line offered to
            continue
        :return: dict of the changed ``quantity``, ``price_unit``, ``discount``
            and ``product_uom_id``; empty when the line is unchanged
        """
        self.ensure_one()
        precision = self.env["decimal.precision"].precision_get
        changes = {}
        for field_name, value, digits in (
            ("quantity", self.product_uom_qty, "Product Unit of Measure"),
            ("price_unit", self.price_unit, "Product Price"),
            ("discount", self.discount, "Discount"),
        ):
            if float_compare(
                contract_line[field_name], value, precision_digits=precision(digits)
            ):
                changes[field_name] = value
        if self.product_uom != contract_line.product_uom_id:
            changes["product_uom_id"] = self.product_uom.id
        return changes
