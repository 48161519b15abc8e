from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.periods import Schedule

RULE_TYPES = [
    ("day", "Day(s)"),
    ("week", "Week(s)"),
    ("month", "Month(s)"),
    ("quarter", "Quarter(s)"),
    ("year", "Year(s)"),
]
INVOICING_TYPES = [
    ("advance", "In advance"),
    ("arrears", "In arrears"),
]


class ZeronRecurrenceMixin(models.AbstractModel):
    """Billing period of a record: every N units, on an anchor day."""

    _name = "zeron.recurrence.mixin"
    _description = "Zeron Recurrence Mixin"

    # no defaults here: a default would win over the product's values that the
    # contract line computes on create
    recurring_interval = fields.Integer(
        string="Billing Every",
        help="Number of units in one billing period.",
    )
    recurring_rule_type = fields.Selection(
        selection=RULE_TYPES,
        string="Billing Unit",
    )
    recurring_invoicing_type = fields.Selection(
        selection=INVOICING_TYPES,
        string="Invoicing",
        help="In advance: a period is invoiced on its first day.\n"
        "In arrears: a period is invoiced on the day after its last day.",
    )
    recurring_align = fields.Selection(
        selection=[
            ("month", "Calendar months"),
            ("quarter", "Calendar quarters"),
            ("year", "Calendar years"),
        ],
        string="Align Periods On",
        help="Start periods on the first day of calendar months, quarters or "
        "years; the first period is then cut and prorated. Empty: periods run "
        "from the anchor day.",
    )
    recurring_anchor_day = fields.Integer(
        string="Anchor Day",
        help="Day of the month on which monthly, quarterly and yearly periods "
        "start; a shorter month uses its last day. Empty: the start date's day.",
    )

    # === CONSTRAINT METHODS === #

    @api.constrains("recurring_interval", "recurring_anchor_day")
    def _check_recurrence(self):
        for record in self:
            if record.recurring_interval < 1:
                raise ValidationError(
                    self.env._(
                        "%(record)s: the field Billing Every must be at least 1, "
                        "not %(value)s.",
                        record=record.display_name,
                        value=record.recurring_interval,
                    )
                )
            if (
                record.recurring_anchor_day
                and not 1 <= record.recurring_anchor_day <= 31
            ):
                raise ValidationError(
                    self.env._(
                        "%(record)s: the field Anchor Day must be between 1 and 31, "
                        "not %(value)s.",
                        record=record.display_name,
                        value=record.recurring_anchor_day,
                    )
                )

    # === BUSINESS METHODS === #

    def _get_schedule(self, start, end=None):
        """Return the billing grid of this record from ``start`` to ``end``.

        :param date start: first day billed
        :param date end: last day billed, inclusive, or ``None``
        :return: a :class:`~odoo.addons.zeron_subscription.tools.periods.Schedule`
        """
        self.ensure_one()
        anchor_date = self._get_schedule_anchor_date()
        if anchor_date:
            return Schedule(
                start,
                self.recurring_interval,
                self.recurring_rule_type,
                end=end,
                anchor_date=anchor_date,
            )
        return Schedule(
            start,
            self.recurring_interval,
            self.recurring_rule_type,
            anchor_day=self.recurring_anchor_day or start.day,
            end=end,
            align=self.recurring_align
            if self.recurring_rule_type in ("month", "quarter", "year")
            else None,
        )

    def _get_schedule_anchor_date(self):
        """Return the day a billing grid shared with other records starts on.

        Records that return the same date and recurrence bill on the same grid,
        so their periods end on the same days; the record's own anchor day and
        calendar alignment are then ignored.

        :return: a date, or ``False`` for the record's own grid
        """
        return False
