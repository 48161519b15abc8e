from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    zeron_invoice_notice_days = fields.Integer(
        related="company_id.zeron_invoice_notice_days",
        readonly=False,
    )
