from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.periods import converted_price


class ZeronCurrencyChange(models.TransientModel):
    _name = "zeron.currency.change"
    _description = "Subscription Currency Changeover"

    contract_ids = fields.Many2many(
        comodel_name="zeron.contract",
        string="Contracts",
        default=lambda self: self._default_contract_ids(),
    )
    date_from = fields.Date(string="From", required=True)
    currency_from_id = fields.Many2one(
        comodel_name="res.currency", string="Old Currency", required=True
    )
    pricelist_id = fields.Many2one(
        comodel_name="product.pricelist",
        string="New Pricelist",
        required=True,
        help="The contracts switch to this pricelist, and to its currency.",
    )
    currency_to_id = fields.Many2one(related="pricelist_id.currency_id")
    rate = fields.Float(
        digits=(16, 6),
        required=True,
        help="Units of the old currency for one unit of the new one, for example "
        "1.95583 lev per euro.",
    )
    result_ids = fields.One2many(
        comodel_name="zeron.currency.change.line",
        inverse_name="wizard_id",
        string="Converted Lines",
        readonly=True,
    )

    @api.model
    def _default_contract_ids(self):
        if self.env.context.get("active_model") == "zeron.contract":
            return [fields.Command.set(self.env.context.get("active_ids", []))]
        return []

    def _check_can_convert(self, contracts):
        for contract in contracts:
            late = contract.line_ids.filtered(
                lambda line: line.next_period_start
                and line.next_period_start < self.date_from
            )
            if late:
                raise UserError(
                    self.env._(
                        "Contract %(contract)s still has periods before %(date)s to "
                        "invoice in %(currency)s: invoice them first.",
                        contract=contract.display_name,
                        date=self.date_from,
                        currency=self.currency_from_id.name,
                    )
                )

    def action_apply(self):
        self.ensure_one()
        if self.rate <= 0:
            raise UserError(
                self.env._(
                    "Currency changeover: the field Rate must be positive, not "
                    "%(rate)s.",
                    rate=self.rate,
                )
            )
        if self.currency_from_id == self.currency_to_id:
            raise UserError(
                self.env._(
                    "Currency changeover: the New Pricelist is in %(currency)s, the "
                    "Old Currency itself.",
                    currency=self.currency_from_id.name,
                )
            )
        contracts = self.contract_ids.filtered(
            lambda c: c.state in ("draft", "running", "to_renew", "suspended")
            and c.currency_id == self.currency_from_id
        )
        if not contracts:
            raise UserError(
                self.env._(
                    "None of the selected contracts runs in %(currency)s.",
                    currency=self.currency_from_id.name,
                )
            )
        self._check_can_convert(contracts)
        rounding = self.currency_to_id.rounding
        results = []
        for contract in contracts:
            lines = contract.line_ids.filtered(
                lambda line: line._runs_on_or_after(self.date_from)
            )
            for line in lines:
                new_price = converted_price(line.price_unit, self.rate, rounding)
                results.append(
                    {
                        "contract_id": contract.id,
                        "product_id": line.product_id.id,
                        "old_price": line.price_unit,
                        "new_price": new_price,
                    }
                )
                if line.date_start >= self.date_from:
                    line.price_unit = new_price
                else:
                    # days invoiced already stay paid in the old currency: the
                    # prices of two currencies make no difference to adjust
                    line._split_at(
                        self.date_from, {"price_unit": new_price}, adjust=False
                    )
            contract.pricelist_id = self.pricelist_id
            contract.message_post(
                body=self.env._(
                    "Converted from %(old)s to %(new)s at %(rate)s from %(date)s.",
                    old=self.currency_from_id.name,
                    new=self.currency_to_id.name,
                    rate=self.rate,
                    date=self.date_from,
                )
            )
        self.result_ids = [fields.Command.create(vals) for vals in results]
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "context": {"zeron_currency_change_done": True},
        }


class ZeronCurrencyChangeLine(models.TransientModel):
    _name = "zeron.currency.change.line"
    _description = "Subscription Currency Changeover Result"

    wizard_id = fields.Many2one(
        comodel_name="zeron.currency.change", required=True, ondelete="cascade"
    )
    contract_id = fields.Many2one(comodel_name="zeron.contract", readonly=True)
    product_id = fields.Many2one(comodel_name="product.product", readonly=True)
    old_price = fields.Float(digits="Product Price", readonly=True)
    new_price = fields.Float(digits="Product Price", readonly=True)
