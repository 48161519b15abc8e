from odoo import api, fields, models

from ..tools.periods import months_per_period
from .zeron_contract import BILLING_STATES


class ZeronContractLine(models.Model):
    """Monthly recurring revenue of contract lines."""

    _inherit = "zeron.contract.line"

    successor_ids = fields.One2many(
        comodel_name="zeron.contract.line",
        inverse_name="predecessor_id",
        string="Continued By",
        readonly=True,
        help="The lines that continue this one with a new quantity, price or currency.",
    )
    recurring_monthly = fields.Monetary(
        string="Monthly Recurring Revenue",
        compute="_compute_recurring_monthly",
        store=True,
        currency_field="currency_id",
        help="The amount per period brought to one month (a year is 12 months, "
        "52 weeks or 365 days), while the contract bills and the line has "
        "periods left to invoice and is not continued by another line; 0 for "
        "a line billed once (Bill Once, or its End Date falls in its first "
        "period). A line billed at the pricelist price counts at the price of "
        "its next period to invoice.",
    )

    # === COMPUTE METHODS === #

    @api.depends(
        "quantity",
        "price_unit",
        "discount",
        "price_source",
        "product_uom_id",
        "one_time",
        "contract_id.pricelist_id",
        "recurring_interval",
        "recurring_rule_type",
        "recurring_anchor_day",
        "recurring_align",
        "date_start",
        "date_end",
        "next_period_start",
        "successor_ids",
        "contract_id.state",
        "contract_id.currency_id",
    )
    def _compute_recurring_monthly(self):
        # Stored, so it must not depend on today: a line counts while its
        # contract bills (running or to renew; not draft, suspended, expired,
        # closed) and it has periods left (an ended line whose last period is
        # invoiced has none), unless a successor took it over (a price or
        # currency change, even one that starts later) or it is billed once.
        # A pricelist price is the one of the next period: stored, it follows
        # the line's invoicing and changes, not the pricelist's own edits.
        for line in self:
            if (
                line.contract_id.state not in BILLING_STATES
                or not line.next_period_start
                or line.successor_ids
                or not line.recurring_rule_type
                or line.recurring_interval < 1
                or line._is_one_time()
            ):
                line.recurring_monthly = 0.0
                continue
            per_period = line._get_period_rate(line.next_period_start)
            monthly = per_period / months_per_period(
                line.recurring_interval, line.recurring_rule_type
            )
            line.recurring_monthly = (
                line.currency_id.round(monthly) if line.currency_id else monthly
            )

    # === BUSINESS METHODS === #

    def _is_one_time(self):
        """Return whether this line is billed in one period only.

        A line billed once (:attr:`one_time`, a setup fee), or a line whose End
        Date falls in its first period.
        """
        self.ensure_one()
        if self.one_time:
            return True
        if not (self.date_start and self.date_end and self.recurring_rule_type):
            return False
        first = self._get_schedule(self.date_start, self.date_end).period_from(
            self.date_start
        )
        return bool(first) and first.full_end >= self.date_end
