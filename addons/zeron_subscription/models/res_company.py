from odoo import api, fields, models

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

    @api.model
    def _zeron_get_cron_companies(self):
        """Return the companies a scheduled action of ours serves.

        The scheduler runs as the superuser and serves every company; a cron set
        to run as a user serves that user's companies.
        """
        return self.search([]) if self.env.su else self.env.user.company_ids
