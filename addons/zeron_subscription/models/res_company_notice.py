from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    zeron_invoice_notice_days = fields.Integer(
        string="Announce Invoicing (Days Before)",
        default=3,
        help="The responsible users of subscription contracts are told this many "
        "days before a line's next invoice date, in one daily digest.",
    )
