from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    zeron_proration_policy = fields.Selection(
        related="company_id.zeron_proration_policy",
        readonly=False,
    )
    zeron_invoice_grouping = fields.Selection(
        related="company_id.zeron_invoice_grouping",
        readonly=False,
    )
    zeron_invoice_auto_post = fields.Boolean(
        related="company_id.zeron_invoice_auto_post",
        readonly=False,
    )
    zeron_forecast_invoice_count = fields.Integer(
        related="company_id.zeron_forecast_invoice_count",
        readonly=False,
    )
