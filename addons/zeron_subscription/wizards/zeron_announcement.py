from odoo import fields, models


class ZeronPriceRevision(models.TransientModel):
    _inherit = "zeron.price.revision"

    announce = fields.Boolean(
        string="Announce to Customers",
        help="Tell the customers of the revised contracts by their notice channels "
        "(email, SMS, letter).",
    )

    def action_apply(self):
        contracts = self._get_lines_to_revise().contract_id
        result = super().action_apply()
        if self.announce:
            contracts._announce("price", self.date_from)
        return result


class ZeronCurrencyChange(models.TransientModel):
    _inherit = "zeron.currency.change"

    announce = fields.Boolean(
        string="Announce to Customers",
        help="Tell the customers of the converted contracts by their notice channels "
        "(email, SMS, letter).",
    )

    def action_apply(self):
        result = super().action_apply()
        if self.announce:
            converted = self.contract_ids.filtered(
                lambda c: c.currency_id == self.currency_to_id
            )
            converted._announce("currency", self.date_from)
        return result
