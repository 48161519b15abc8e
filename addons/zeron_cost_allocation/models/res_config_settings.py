from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    zeron_landed_cost_auto_validate = fields.Boolean(
        related="company_id.zeron_landed_cost_auto_validate",
        readonly=False,
    )
    zeron_landed_cost_zero_basis = fields.Selection(
        related="company_id.zeron_landed_cost_zero_basis",
        readonly=False,
    )
    zeron_landed_cost_entry_detail = fields.Selection(
        related="company_id.zeron_landed_cost_entry_detail",
        readonly=False,
    )
    zeron_allocation_journal_id = fields.Many2one(
        related="company_id.zeron_allocation_journal_id",
        readonly=False,
        domain="[('type', '=', 'general'), ('company_id', '=', company_id)]",
    )
