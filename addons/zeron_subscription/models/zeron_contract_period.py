from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

#: period types that say a span of a line is paid for (by an invoice here,
#: an opening balance, the predecessor's invoice, or the one invoice of a
#: one-time line)
COVERING_TYPES = ("invoice", "carried", "one_time")
#: period types that move money for a span already covered
MONEY_TYPES = ("invoice", "adjustment", "credit", "one_time")


class ZeronContractPeriod(models.Model):
    """A period of a contract line that has been invoiced.

    A period without an invoice line records billing done before the contract
    was entered here (an opening balance). Deleting or cancelling the invoice
    removes its periods, which makes them due again.

    A line that continues another one from a day inside an invoiced period
    (a new quantity or price) gets the rest of that period as *carried over*:
    the predecessor's invoice paid for it. The difference the new terms make
    for those days is an *adjustment*, invoiced by the next run (more) or
    credited at once (less). The suspended days of an invoiced period are
    credited when the contract resumes, as *suspension credits*.

    A line billed once (a setup fee) records its one invoice as a *one-time
    fee* of a single day, its date; a suspension never credits it.
    """

    _name = "zeron.contract.period"
    _description = "Invoiced Contract Period"
    _order = "line_id, date_start"
    _check_company_auto = True

    line_id = fields.Many2one(
        comodel_name="zeron.contract.line",
        string="Contract Line",
        required=True,
        index=True,
        ondelete="cascade",
    )
    contract_id = fields.Many2one(
        related="line_id.contract_id",
        store=True,
        index=True,
    )
    company_id = fields.Many2one(
        related="line_id.company_id",
        store=True,
        index=True,
    )
    currency_id = fields.Many2one(related="line_id.currency_id")
    date_start = fields.Date(string="Period Start", required=True)
    date_end = fields.Date(string="Period End", required=True)
    period_type = fields.Selection(
        selection=[
            ("invoice", "Invoiced"),
            ("carried", "Carried Over"),
            ("adjustment", "Adjustment"),
            ("credit", "Suspension Credit"),
            ("one_time", "One-Time Fee"),
        ],
        string="Type",
        default="invoice",
        required=True,
        help="Invoiced: billed by its invoice, or by an opening balance.\n"
        "Carried Over: paid by the invoice of the line this one continues.\n"
        "Adjustment: the difference a change of quantity or price makes for "
        "days carried over.\n"
        "Suspension Credit: suspended days credited after they were invoiced.\n"
        "One-Time Fee: the one invoice of a line billed once, on its date.",
    )
    origin_period_id = fields.Many2one(
        comodel_name="zeron.contract.period",
        string="Based On",
        index="btree_not_null",
        ondelete="cascade",
        readonly=True,
        help="Carried over: the period of the predecessor it continues. "
        "Adjustment: the period carried over it adjusts. Suspension credit: "
        "the period it credits.",
    )
    derived_period_ids = fields.One2many(
        comodel_name="zeron.contract.period",
        inverse_name="origin_period_id",
        string="Derived Periods",
    )
    adjust = fields.Boolean(
        default=True,
        readonly=True,
        help="Carried over: whether the new terms are adjusted for these days. "
        "Not after a currency changeover, whose old and new prices are in "
        "different currencies.",
    )
    adjustment_amount = fields.Monetary(
        string="Difference",
        compute="_compute_adjustment",
        store=True,
        currency_field="currency_id",
        help="Carried over: what the line's terms cost for these days more "
        "(or less) than its predecessor's.",
    )
    adjustment_due = fields.Boolean(
        compute="_compute_adjustment",
        store=True,
        help="Carried over: the difference is to be invoiced by the next run.",
    )
    invoice_line_id = fields.Many2one(
        comodel_name="account.move.line",
        index="btree_not_null",
        ondelete="cascade",
        check_company=True,
    )
    invoice_id = fields.Many2one(
        related="invoice_line_id.move_id",
        string="Invoice",
    )
    is_booked = fields.Boolean(
        compute="_compute_is_booked",
        help="Its invoice or credit note is not cancelled.",
    )

    _sql_constraints = [
        (
            "line_date_start_uniq",
            "unique(line_id, date_start, period_type)",
            "A period of a contract line can be invoiced only once.",
        ),
    ]

    # === COMPUTE METHODS === #

    @api.depends(
        "period_type",
        "adjust",
        "date_start",
        "date_end",
        "derived_period_ids.period_type",
        "line_id.quantity",
        "line_id.price_unit",
        "line_id.discount",
        "line_id.price_source",
        "line_id.predecessor_id.quantity",
        "line_id.predecessor_id.price_unit",
        "line_id.predecessor_id.discount",
        "line_id.predecessor_id.price_source",
        "line_id.recurring_interval",
        "line_id.recurring_rule_type",
        "line_id.recurring_anchor_day",
        "line_id.recurring_align",
        "contract_id.proration_policy",
        "contract_id.company_id.zeron_proration_policy",
        "contract_id.suspension_ids.date_start",
        "contract_id.suspension_ids.date_end",
    )
    def _compute_adjustment(self):
        for period in self:
            if period.period_type != "carried" or not period.adjust:
                period.adjustment_amount = 0.0
                period.adjustment_due = False
                continue
            amount = period.line_id._get_adjustment_amount(period)
            period.adjustment_amount = amount
            period.adjustment_due = period.currency_id.compare_amounts(
                amount, 0.0
            ) > 0 and not period.derived_period_ids.filtered(
                lambda p: p.period_type == "adjustment"
            )

    @api.depends("invoice_line_id.parent_state")
    def _compute_is_booked(self):
        for period in self:
            period.is_booked = bool(period.invoice_line_id) and (
                period.invoice_line_id.parent_state != "cancel"
            )

    # === CONSTRAINT METHODS === #

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for period in self:
            if period.date_end < period.date_start:
                raise ValidationError(
                    self.env._(
                        "Contract %(contract)s: the invoiced period's Period End "
                        "(%(end)s) is before its Period Start (%(start)s).",
                        contract=period.contract_id.display_name,
                        end=period.date_end,
                        start=period.date_start,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_booked_derived(self):
        # money booked on a period derived from these (an adjustment, a
        # credit) was computed from what these billed: it must go first
        booked = (self.derived_period_ids - self).filtered("is_booked")
        if booked:
            raise UserError(
                self.env._(
                    "Contract %(contract)s: %(documents)s adjust or credit what "
                    "%(invoices)s billed; cancel or credit them first.",
                    contract=booked[0].contract_id.display_name,
                    documents=", ".join(booked.invoice_id.mapped("display_name")),
                    invoices=", ".join(self.invoice_id.mapped("display_name"))
                    or self.env._("the opening balance"),
                )
            )

    # === CRUD METHODS === #

    def unlink(self):
        # Through the ORM, not the database's cascade, so the lines' invoiced
        # up-to and next invoice dates follow: the days carried over from
        # these periods go with them (money booked on them may not, see
        # _unlink_except_booked_derived).
        derived = self.browse()
        todo = self.derived_period_ids - self
        while todo:
            todo = todo.filtered(lambda p: not p.is_booked)
            derived |= todo
            todo = todo.derived_period_ids - self - derived
        return super(ZeronContractPeriod, self | derived).unlink()
