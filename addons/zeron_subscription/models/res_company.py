from odoo import api, fields, models
from odoo.exceptions import ValidationError

PRORATION_POLICIES = [
    ("daily", "By the actual days of the period"),
    ("none", "None: a cut period is billed in full"),
]
INVOICE_GROUPINGS = [
    ("contract", "One invoice per contract"),
    ("partner", "One invoice per customer"),
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
    zeron_invoice_grouping = fields.Selection(
        selection=INVOICE_GROUPINGS,
        string="Subscription Invoice Grouping",
        default="contract",
        required=True,
        help="One invoice per customer bills the due lines of a customer's "
        "contracts on one invoice per run when they share the invoice address, "
        "currency, payment terms, fiscal position, journal and invoice delivery; "
        "contracts may override it.",
    )
    zeron_invoice_auto_post = fields.Boolean(
        string="Post Subscription Invoices",
        default=True,
        help="Post the invoices of the invoicing run; untick to leave them as "
        "drafts for review.",
    )
    zeron_forecast_invoice_count = fields.Integer(
        string="Forecast Invoices per Contract",
        default=12,
        help="How many upcoming invoices of each contract the invoicing "
        "forecast shows.",
    )

    @api.constrains("zeron_forecast_invoice_count")
    def _check_zeron_forecast_invoice_count(self):
        for company in self:
            if company.zeron_forecast_invoice_count < 1:
                raise ValidationError(
                    self.env._(
                        "Company %(company)s: the field Forecast Invoices per "
                        "Contract must be at least 1, not %(value)s.",
                        company=company.name,
                        value=company.zeron_forecast_invoice_count,
                    )
                )

    @api.model
    def _zeron_get_cron_companies(self):
        """Return the companies a scheduled action of ours serves.

        The scheduler runs as the superuser and serves every company; a cron set
        to run as a user serves that user's companies.
        """
        return self.search([]) if self.env.su else self.env.user.company_ids
