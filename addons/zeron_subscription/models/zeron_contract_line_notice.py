from odoo import fields, models


class ZeronContractLine(models.Model):
    _inherit = "zeron.contract.line"

    # stored, so the "To Invoice" list groups by responsible and by customer
    contract_user_id = fields.Many2one(
        related="contract_id.user_id",
        string="Responsible",
        store=True,
        index=True,
    )
    contract_state = fields.Selection(
        related="contract_id.state",
        string="Contract Status",
        store=True,
    )
    invoicing_mode = fields.Selection(related="contract_id.invoicing_mode")
