from odoo import Command, models


class ZeronContractLine(models.Model):
    _inherit = "zeron.contract.line"

    def _prepare_renewal_order_line_values(self):
        """Return the renewal quotation line continuing this contract line.

        Current quantity, price and discount; the taxes as the contract's
        fiscal position maps them on its invoices.

        :return: vals dict for ``sale.order.line``
        """
        self.ensure_one()
        taxes = self.contract_id.fiscal_position_id.map_tax(self.tax_ids)
        return {
            "product_id": self.product_id.id,
            "name": self.name,
            "product_uom_qty": self.quantity,
            "product_uom": self.product_uom_id.id,
            "price_unit": self.price_unit,
            "discount": self.discount,
            "tax_id": [Command.set(taxes.ids)],
            "zeron_contract_line_id": self.id,
        }
