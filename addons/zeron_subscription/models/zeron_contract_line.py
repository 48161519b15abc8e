from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from ..tools.periods import prorated_price, proration_factor


class ZeronContractLine(models.Model):
    _name = "zeron.contract.line"
    _description = "Subscription Contract Line"
    _inherit = ["zeron.recurrence.mixin", "analytic.mixin"]
    _order = "contract_id, sequence, id"
    _check_company_auto = True

    contract_id = fields.Many2one(
        comodel_name="zeron.contract",
        required=True,
        index=True,
        ondelete="cascade",
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        related="contract_id.company_id",
        store=True,
        index=True,
    )
    currency_id = fields.Many2one(related="contract_id.currency_id")
    partner_id = fields.Many2one(
        related="contract_id.partner_id",
        store=True,
        index=True,
    )
    product_id = fields.Many2one(
        comodel_name="product.product",
        required=True,
        check_company=True,
        domain="[('type', '=', 'service')]",
    )
    name = fields.Text(
        string="Description",
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure")
    product_uom_id = fields.Many2one(
        comodel_name="uom.uom",
        string="Unit of Measure",
        compute="_compute_product_uom_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    price_unit = fields.Float(
        string="Unit Price",
        digits="Product Price",
        compute="_compute_price_unit",
        store=True,
        readonly=False,
        precompute=True,
        help="Contracted price, taken from the contract's pricelist when the line "
        "is made and kept afterwards.",
    )
    discount = fields.Float(string="Discount (%)", digits="Discount")
    tax_ids = fields.Many2many(
        comodel_name="account.tax",
        string="Taxes",
        compute="_compute_tax_ids",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        domain="[('type_tax_use', '=', 'sale')]",
    )
    price_subtotal = fields.Monetary(
        string="Amount per Period",
        compute="_compute_price_subtotal",
        currency_field="currency_id",
    )
    # the recurrence of a line starts from its product's defaults
    recurring_interval = fields.Integer(
        compute="_compute_recurrence",
        store=True,
        readonly=False,
        precompute=True,
    )
    recurring_rule_type = fields.Selection(
        compute="_compute_recurrence",
        store=True,
        readonly=False,
        precompute=True,
    )
    recurring_invoicing_type = fields.Selection(
        compute="_compute_recurrence",
        store=True,
        readonly=False,
        precompute=True,
    )
    date_start = fields.Date(
        string="Start Date",
        compute="_compute_date_start",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    date_end = fields.Date(string="End Date")
    predecessor_id = fields.Many2one(
        comodel_name="zeron.contract.line",
        string="Replaces",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The line this one continues with a new quantity, price or currency.",
    )
    period_ids = fields.One2many(
        comodel_name="zeron.contract.period",
        inverse_name="line_id",
        string="Invoiced Periods",
    )
    invoiced_up_to = fields.Date(
        compute="_compute_invoiced_up_to",
        inverse="_inverse_invoiced_up_to",
        store=True,
        help="Last day invoiced. Set by hand (or by an import) on a line never "
        "invoiced here, it records billing done elsewhere as an opening balance.",
    )
    next_period_start = fields.Date(
        compute="_compute_next_invoice_date",
        store=True,
    )
    next_invoice_date = fields.Date(
        compute="_compute_next_invoice_date",
        store=True,
        index=True,
    )

    # === COMPUTE METHODS === #

    @api.depends("contract_id.name", "product_id")
    def _compute_display_name(self):
        for line in self:
            line.display_name = " - ".join(
                name
                for name in (line.contract_id.name, line.product_id.display_name)
                if name
            )

    @api.depends("product_id")
    def _compute_name(self):
        for line in self:
            if line.product_id:
                line.name = line.product_id.get_product_multiline_description_sale()

    @api.depends("product_id")
    def _compute_product_uom_id(self):
        for line in self:
            line.product_uom_id = line.product_id.uom_id

    @api.depends("product_id", "product_uom_id")
    def _compute_price_unit(self):
        for line in self:
            if not line.product_id:
                continue
            pricelist = line.contract_id.pricelist_id
            if pricelist:
                line.price_unit = pricelist._get_product_price(
                    line.product_id,
                    line.quantity or 1.0,
                    uom=line.product_uom_id,
                    date=line.date_start or fields.Date.context_today(line),
                )
            else:
                line.price_unit = line.product_id.lst_price

    @api.depends("product_id", "contract_id.company_id")
    def _compute_tax_ids(self):
        for line in self:
            company = line.contract_id.company_id or self.env.company
            line.tax_ids = line.product_id.taxes_id.filtered_domain(
                self.env["account.tax"]._check_company_domain(company)
            )

    @api.depends("quantity", "price_unit", "discount")
    def _compute_price_subtotal(self):
        for line in self:
            subtotal = line.quantity * line.price_unit * (1 - line.discount / 100.0)
            line.price_subtotal = (
                line.currency_id.round(subtotal) if line.currency_id else subtotal
            )

    @api.depends("product_id")
    def _compute_recurrence(self):
        for line in self:
            template = line.product_id.product_tmpl_id
            if template.zeron_is_subscription:
                line.recurring_interval = template.zeron_recurring_interval
                line.recurring_rule_type = template.zeron_recurring_rule_type
                line.recurring_invoicing_type = template.zeron_recurring_invoicing_type
            else:
                line.recurring_interval = line.recurring_interval or 1
                line.recurring_rule_type = line.recurring_rule_type or "month"
                line.recurring_invoicing_type = (
                    line.recurring_invoicing_type or "advance"
                )

    @api.depends("contract_id.date_start")
    def _compute_date_start(self):
        for line in self:
            if not line.date_start:
                line.date_start = line.contract_id.date_start

    @api.depends("period_ids.date_start", "period_ids.date_end", "date_start")
    def _compute_invoiced_up_to(self):
        for line in self:
            line.invoiced_up_to = line._get_invoiced_spans_end()

    def _inverse_invoiced_up_to(self):
        for line in self:
            if line.period_ids.filtered("invoice_line_id"):
                raise UserError(
                    self.env._(
                        "Contract %(contract)s, line %(line)s has been invoiced here: "
                        "its Invoiced Up To follows its invoices and cannot be set.",
                        contract=line.contract_id.display_name,
                        line=line.product_id.display_name,
                    )
                )
            # the opening balance is written here only, never by hand
            periods = line.sudo().period_ids
            periods.unlink()
            if line.invoiced_up_to and line.invoiced_up_to >= line.date_start:
                periods.create(
                    {
                        "line_id": line.id,
                        "date_start": line.date_start,
                        "date_end": line.invoiced_up_to,
                    }
                )

    @api.depends(
        "invoiced_up_to",
        "date_start",
        "date_end",
        "recurring_interval",
        "recurring_rule_type",
        "recurring_invoicing_type",
        "recurring_anchor_day",
        "recurring_align",
        "contract_id.invoicing_lead_days",
        "contract_id.date_end",
        "contract_id.term_months",
        "contract_id.renewal_type",
    )
    def _compute_next_invoice_date(self):
        for line in self:
            try:
                period = line._get_next_period()
            except (ValueError, OverflowError):
                # beyond the calendar (year 9999): the date constraints say why
                period = None
            line.next_period_start = period.date_start if period else False
            line.next_invoice_date = (
                line._get_period_invoice_date(period) if period else False
            )

    # === CONSTRAINT METHODS === #

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for line in self:
            if line.date_end and line.date_start and line.date_end < line.date_start:
                raise ValidationError(
                    self.env._(
                        "Contract %(contract)s, line %(line)s: the End Date "
                        "(%(end)s) is before the Start Date (%(start)s).",
                        contract=line.contract_id.display_name,
                        line=line.product_id.display_name,
                        end=line.date_end,
                        start=line.date_start,
                    )
                )

    @api.constrains("quantity", "price_unit")
    def _check_amounts(self):
        for line in self:
            for label, value in (
                (self.env._("Quantity"), line.quantity),
                (self.env._("Unit Price"), line.price_unit),
            ):
                if value < 0:
                    raise ValidationError(
                        self.env._(
                            "Contract %(contract)s, line %(line)s: the field "
                            "%(field)s cannot be negative (%(value)s).",
                            contract=line.contract_id.display_name,
                            line=line.product_id.display_name,
                            field=label,
                            value=value,
                        )
                    )

    @api.constrains("discount", "product_id", "date_start")
    def _check_line(self):
        for line in self:
            if not 0.0 <= line.discount <= 100.0:
                raise ValidationError(
                    self.env._(
                        "Contract %(contract)s, line %(line)s: the field Discount (%%) "
                        "must be between 0 and 100, not %(value)s.",
                        contract=line.contract_id.display_name,
                        line=line.product_id.display_name,
                        value=line.discount,
                    )
                )
            if line.product_id.type != "service":
                raise ValidationError(
                    self.env._(
                        "Contract %(contract)s: the field Product of a contract line "
                        "must be a service; %(line)s is not.",
                        contract=line.contract_id.display_name,
                        line=line.product_id.display_name,
                    )
                )
            if line.date_start and line.date_start < line.contract_id.date_start:
                raise ValidationError(
                    self.env._(
                        "Contract %(contract)s, line %(line)s: the Start Date "
                        "(%(start)s) is before the contract's (%(contract_start)s).",
                        contract=line.contract_id.display_name,
                        line=line.product_id.display_name,
                        start=line.date_start,
                        contract_start=line.contract_id.date_start,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_invoiced(self):
        for line in self:
            if line.period_ids.filtered("invoice_line_id"):
                raise UserError(
                    self.env._(
                        "Contract %(contract)s, line %(line)s has been invoiced: end "
                        "it with an End Date instead of deleting it.",
                        contract=line.contract_id.display_name,
                        line=line.product_id.display_name,
                    )
                )

    # === BUSINESS METHODS === #

    def _get_billing_end(self):
        """Return the line's last billable day: its own end or its contract's."""
        self.ensure_one()
        ends = [d for d in (self.date_end, self.contract_id._get_billing_end()) if d]
        return min(ends) if ends else None

    def _get_invoiced_spans(self):
        """Return the (start, end) of this line's invoiced periods, by start."""
        self.ensure_one()
        return sorted((p.date_start, p.date_end) for p in self.period_ids)

    def _get_invoiced_spans_end(self):
        """Return the last day of the unbroken invoiced run from the line's start.

        A cancelled invoice leaves a gap: the line is invoiced up to the day
        before it, so the gap is billed again, and the periods after it are
        not billed twice (see :meth:`_get_periods_to_invoice`).
        """
        self.ensure_one()
        spans = self._get_invoiced_spans()
        if not spans or not self.date_start:
            return False
        covered = None
        for start, end in spans:
            if covered is None:
                if start > self.date_start:
                    return False
            elif start > covered + timedelta(days=1):
                break
            covered = max(covered or end, end)
        return covered

    def _runs_on_or_after(self, day):
        """Tell whether this line still bills on or after ``day``."""
        self.ensure_one()
        end = self._get_billing_end()
        return not end or end >= day

    def _get_next_period(self):
        """Return the first period not invoiced yet, or ``None`` if none is left."""
        self.ensure_one()
        if not self.date_start or not self.recurring_rule_type:
            return None
        schedule = self._get_schedule(self.date_start, self._get_billing_end())
        day = (
            self.invoiced_up_to + timedelta(days=1)
            if self.invoiced_up_to
            else self.date_start
        )
        return schedule.period_from(day)

    def _get_period_invoice_date(self, period):
        """Return the day a period is due: its start in advance, else after it.

        The contract's invoicing lead time brings it that many days earlier.
        """
        if self.recurring_invoicing_type == "arrears":
            day = period.date_end + timedelta(days=1)
        else:
            day = period.date_start
        return day - timedelta(days=self.contract_id.invoicing_lead_days)

    def _get_periods_to_invoice(self, date_ref):
        """Return the periods of this line due on ``date_ref``, oldest first.

        Missed periods are caught up: each becomes its own invoice line.
        """
        self.ensure_one()
        if not self.next_invoice_date or self.next_invoice_date > date_ref:
            return []
        schedule = self._get_schedule(self.date_start, self._get_billing_end())
        invoiced = self._get_invoiced_spans()
        periods = []
        for period in schedule.periods(self.next_period_start):
            if self._get_period_invoice_date(period) > date_ref:
                break
            if any(
                start <= period.date_end and end >= period.date_start
                for start, end in invoiced
            ):
                continue  # billed already, after a gap that is billed now
            periods.append(period)
        return periods

    def _get_proration_policy(self):
        """Return how a cut period is priced: ``daily`` or ``none``."""
        self.ensure_one()
        return (
            self.contract_id.proration_policy
            or self.contract_id.company_id.zeron_proration_policy
            or "daily"
        )

    def _get_income_account(self, journal):
        """Return the income account of this line's invoice lines."""
        self.ensure_one()
        fiscal_position = self.contract_id.fiscal_position_id
        accounts = self.product_id.product_tmpl_id.with_company(
            self.company_id
        ).get_product_accounts(fiscal_pos=fiscal_position)
        return accounts["income"] or journal.default_account_id

    def _format_period_label(self, period):
        lang = self.contract_id.partner_invoice_id.lang or self.env.lang
        return self.env._(
            "%(description)s\nPeriod: %(start)s - %(end)s",
            description=self.name,
            start=format_date(self.env, period.date_start, lang_code=lang),
            end=format_date(self.env, period.date_end, lang_code=lang),
        )

    def _prepare_invoice_line(self, period, journal):
        """Return the invoice line values billing ``period`` of this line.

        :param period: a :class:`~..tools.periods.Period`
        :param journal: the invoice's ``account.journal``
        :return: vals dict for ``account.move.line``
        """
        self.ensure_one()
        account = self._get_income_account(journal)
        if not account:
            raise UserError(
                self.env._(
                    "Contract %(contract)s: product %(product)s has no income "
                    "account, and journal %(journal)s has no default account.",
                    contract=self.contract_id.display_name,
                    product=self.product_id.display_name,
                    journal=journal.display_name,
                )
            )
        factor = proration_factor(period, self._get_proration_policy())
        factor *= self.contract_id._get_billed_share(period)
        price_unit = prorated_price(
            self.price_unit,
            factor,
            self.env["decimal.precision"].precision_get("Product Price"),
        )
        taxes = self.contract_id.fiscal_position_id.map_tax(self.tax_ids)
        analytic = self._get_analytic_distribution()
        vals = {
            "display_type": "product",
            "product_id": self.product_id.id,
            "name": self._format_period_label(period),
            "quantity": self.quantity,
            "product_uom_id": self.product_uom_id.id,
            "price_unit": price_unit,
            "discount": self.discount,
            "tax_ids": [fields.Command.set(taxes.ids)],
            "account_id": account.id,
            "zeron_contract_line_id": self.id,
            "zeron_period_start": period.date_start,
            "zeron_period_end": period.date_end,
        }
        if analytic:
            vals["analytic_distribution"] = analytic
        return vals

    def _split_at(self, date_from, vals):
        """End this line the day before ``date_from`` and continue it anew.

        The successor starts on ``date_from`` with ``vals`` (a new quantity,
        price, ...) so the history of prices stays on the old line. A period
        already invoiced past ``date_from`` stays on the old line, and the
        successor starts invoicing after it.

        :param date date_from: first day of the new terms
        :param dict vals: values that change on the successor
        :return: the successor ``zeron.contract.line``
        """
        self.ensure_one()
        if date_from <= self.date_start or (
            self.date_end and date_from > self.date_end
        ):
            raise UserError(
                self.env._(
                    "Contract %(contract)s, line %(line)s: a change from %(date)s "
                    "must fall after the line's Start Date (%(start)s) and not after "
                    "its End Date.",
                    contract=self.contract_id.display_name,
                    line=self.product_id.display_name,
                    date=date_from,
                    start=self.date_start,
                )
            )
        successor_vals = {
            "date_start": date_from,
            "predecessor_id": self.id,
            "recurring_anchor_day": self.recurring_anchor_day or self.date_start.day,
            **vals,
        }
        successor = self.copy(successor_vals)
        if self.invoiced_up_to and self.invoiced_up_to >= date_from:
            # TODO: invoice or credit the prorated difference of a change inside
            # an invoiced period; until then the invoiced span is carried over.
            self.env["zeron.contract.period"].sudo().create(
                {
                    "line_id": successor.id,
                    "date_start": date_from,
                    "date_end": self.invoiced_up_to,
                }
            )
        self.date_end = date_from - timedelta(days=1)
        return successor

    def _get_analytic_distribution(self):
        """Return the analytic distribution of this line's invoice lines.

        The line's own, else its contract's default.
        """
        self.ensure_one()
        return self.analytic_distribution or self.contract_id.analytic_distribution
