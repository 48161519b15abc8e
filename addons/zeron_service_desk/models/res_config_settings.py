from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    zeron_sd_grace_days = fields.Integer(
        related="company_id.zeron_sd_grace_days",
        readonly=False,
    )
    zeron_sd_expiring_days = fields.Integer(
        related="company_id.zeron_sd_expiring_days",
        readonly=False,
    )
