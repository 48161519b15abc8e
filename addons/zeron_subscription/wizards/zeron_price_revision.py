from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.periods import revised_price


class ZeronPriceRevision(models.TransientModel):
    _name = "zeron.price.revision"
    _description = "Subscription Price Revision"

    contract_ids = fields.Many2many(
        comodel_name="zeron.contract",
        string="Contracts",
        default=lambda self: self._default_contract_ids(),
    )
    date_from = fields.Date(string="From", required=True)
    method = fields.Selection(
        selection=[("percent", "By a percentage"), ("price", "To a new price")],
        default="percent",
        required=True,
    )
    percent = fields.Float(string="Change (%)", digits=(16, 4))
    price_unit = fields.Float(string="New Unit Price", digits="Product Price")
    product_id = fields.Many2one(
        comodel_name="product.product",
        string="Only Product",
        help="Revise only the lines of this service; empty: every line.",
    )
    rounding = fields.Float(
        default=0.01,
        digits=(16, 4),
        help="New prices are rounded to a multiple of this, for example 0.01, "
        "0.10 or 1.00.",
    )

    @api.model
    def _default_contract_ids(self):
        if self.env.context.get("active_model") == "zeron.contract":
            return [fields.Command.set(self.env.context.get("active_ids", []))]
        return []

    def _get_lines_to_revise(self):
        """Return the contract lines still running on the revision date.

        Lines billed at the pricelist price are left out: their prices are
        revised in the pricelist.
        """
        self.ensure_one()
        lines = self.contract_ids.filtered(
            lambda c: c.state in ("draft", "running", "to_renew", "suspended")
        ).line_ids.filtered(
            lambda line: line.price_source != "pricelist"
            and line._runs_on_or_after(self.date_from)
        )
        if self.product_id:
            lines = lines.filtered(lambda line: line.product_id == self.product_id)
        return lines

    def _get_new_price(self, line):
        if self.method == "price":
            return self.price_unit
        return revised_price(line.price_unit, self.percent, self.rounding or 0.01)

    def action_apply(self):
        self.ensure_one()
        if self.rounding < 0 or (self.method == "price" and self.price_unit < 0):
            raise UserError(
                self.env._(
                    "Price revision: the fields Rounding and New Unit Price cannot "
                    "be negative."
                )
            )
        lines = self._get_lines_to_revise()
        if not lines:
            raise UserError(
                self.env._("No contract line runs on %(date)s.", date=self.date_from)
            )
        successors = self.env["zeron.contract.line"]
        for line in lines:
            new_price = self._get_new_price(line)
            if line.date_start >= self.date_from:
                line.price_unit = new_price
                successors |= line
            else:
                successors |= line._split_at(self.date_from, {"price_unit": new_price})
        for contract in successors.contract_id:
            contract.message_post(
                body=self.env._("Prices revised from %(date)s.", date=self.date_from)
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Revised Lines"),
            "res_model": "zeron.contract.line",
            "view_mode": "list,form",
            "domain": [("id", "in", successors.ids)],
        }
