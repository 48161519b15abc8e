from odoo import fields, models

PRORATION_POLICIES = [
    ("daily", "By the actual days of the period"),
    ("none", "None: a cut period is billed in full"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    zeron_proration_policy = fields.Selection(
        selection=PRORATION_POLICIES,
        string="Subscription Proration",
        default="daily",
        required=True,
        help="How a billing period cut by a start or end date is priced; "
        "contracts may override it.",
    )
    zeron_invoice_auto_post = fields.Boolean(
        string="Post Subscription Invoices",
        default=True,
        help="Post the invoices of the invoicing run; untick to leave them as "
        "drafts for review.",
    )
