from collections import namedtuple
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_round, format_date, formatLang

from ..tools.periods import Period, day_start_utc, prorated_price, proration_factor
from .zeron_contract_period import COVERING_TYPES

#: a difference due for days carried over from the predecessor's invoice
#: (see :meth:`ZeronContractLine._get_adjustments_to_invoice`); ``carried`` is
#: the carried-over ``zeron.contract.period``
Adjustment = namedtuple("Adjustment", "date_start date_end carried")


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
        "is made and kept afterwards. With the price source Pricelist price, "
        "each period is billed at the pricelist's price of its first day instead.",
    )
    price_source = fields.Selection(
        selection=[
            ("contract", "Contracted price"),
            ("pricelist", "Pricelist price"),
        ],
        default="contract",
        required=True,
        help="Contracted price: every period is billed at the Unit Price.\n"
        "Pricelist price: each period is billed at the price the contract's "
        "pricelist gives the product and quantity on the period's first day, in "
        "the contract's currency, whatever day it is invoiced.",
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
    one_time = fields.Boolean(
        string="Bill Once",
        compute="_compute_one_time",
        store=True,
        readonly=False,
        precompute=True,
        help="A one-time fee (a setup fee): invoiced once, on its Start Date, for "
        "its full price and quantity, never prorated; with the contract's first "
        "invoice when it starts with the contract. Set from the product's "
        "One-Time Fee.",
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

    @api.depends(
        "quantity",
        "price_unit",
        "discount",
        "price_source",
        "next_period_start",
        "contract_id.pricelist_id",
    )
    def _compute_price_subtotal(self):
        for line in self:
            # a pricelist price: the one of the next period to bill
            subtotal = line._get_period_rate(line.next_period_start or line.date_start)
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

    @api.depends("product_id")
    def _compute_one_time(self):
        for line in self:
            line.one_time = line.product_id.zeron_one_time

    @api.depends("contract_id.date_start")
    def _compute_date_start(self):
        for line in self:
            if not line.date_start:
                line.date_start = line.contract_id.date_start

    @api.depends(
        "period_ids.date_start",
        "period_ids.date_end",
        "period_ids.period_type",
        "date_start",
    )
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
        "one_time",
        "contract_id.invoicing_lead_days",
        "contract_id.co_term_lines",
        "contract_id.date_start",
        "contract_id.date_end",
        "contract_id.term_months",
        "contract_id.renewal_type",
        # an accepted renewal offer moves the billing end
        "contract_id.renewal_term_months",
        "contract_id.renewals_accepted",
        "period_ids.adjustment_due",
    )
    def _compute_next_invoice_date(self):
        for line in self:
            try:
                period = line._get_next_period()
            except (ValueError, OverflowError):
                # beyond the calendar (year 9999): the date constraints say why
                period = None
            line.next_period_start = period.date_start if period else False
            dates = [line._get_period_invoice_date(period)] if period else []
            # an adjustment of days carried over is due from the change on
            dates += [
                line._get_period_invoice_date(adjustment)
                for adjustment in line._get_adjustments_to_invoice()
            ]
            line.next_invoice_date = min(dates) if dates else False

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

    # === CRUD METHODS === #

    def write(self, vals):
        if "one_time" in vals:
            for line in self:
                if line.one_time != bool(vals["one_time"]) and line.period_ids:
                    # its periods were billed as one kind or the other
                    raise UserError(
                        self.env._(
                            "Contract %(contract)s, line %(line)s has invoiced "
                            "periods: its field Bill Once cannot change any more. "
                            "End it and add a new line instead.",
                            contract=line.contract_id.display_name,
                            line=line.product_id.display_name,
                        )
                    )
        self._check_booked_adjustments(vals)
        return super().write(vals)

    # === BUSINESS METHODS === #

    def _get_adjustment_terms_fields(self):
        """Return the fields whose change alters an adjustment's difference."""
        return ["quantity", "price_unit", "discount", "price_source"]

    def _check_booked_adjustments(self, vals):
        """Refuse new terms that would alter an adjustment booked already.

        The difference for days carried over is computed from the terms of
        the line and of its predecessor; once it is invoiced or credited,
        changing either terms would change the difference without billing
        or crediting the change.

        :param dict vals: the values about to be written
        """
        changing = [
            name
            for name in self._get_adjustment_terms_fields()
            if name in vals and any(line[name] != vals[name] for line in self)
        ]
        if not changing:
            return
        for line in self:
            booked = (
                (line | line.successor_ids)
                .period_ids.filtered(lambda p: p.period_type == "carried")
                .derived_period_ids.filtered(
                    lambda p: p.period_type == "adjustment" and p.is_booked
                )
            )
            if booked:
                raise UserError(
                    self.env._(
                        "Contract %(contract)s, line %(line)s: the field %(field)s "
                        "cannot change, as %(documents)s adjusted the days "
                        "carried over at the current terms. Cancel %(documents)s "
                        "first, or make the change from a later date.",
                        contract=line.contract_id.display_name,
                        line=line.product_id.display_name,
                        field=self._fields[changing[0]]._description_string(self.env),
                        documents=", ".join(booked.invoice_id.mapped("display_name")),
                    )
                )

    def _get_billing_end(self):
        """Return the line's last billable day: its own end or its contract's."""
        self.ensure_one()
        ends = [d for d in (self.date_end, self.contract_id._get_billing_end()) if d]
        return min(ends) if ends else None

    def _get_invoiced_spans(self):
        """Return the (start, end) of this line's invoiced periods, by start.

        Days carried over from the predecessor's invoice count as invoiced;
        adjustments and credits of days invoiced already do not add any.
        """
        self.ensure_one()
        return sorted(
            (p.date_start, p.date_end)
            for p in self.period_ids
            if p.period_type in COVERING_TYPES
        )

    def _get_invoiced_spans_end(self, spans=None):
        """Return the last day of the unbroken invoiced run from the line's start.

        A cancelled invoice leaves a gap: the line is invoiced up to the day
        before it, so the gap is billed again, and the periods after it are
        not billed twice (see :meth:`_get_periods_to_invoice`).

        :param list spans: the invoiced (start, end) spans, by start; default:
            the stored periods (see :meth:`_get_invoiced_spans`)
        """
        self.ensure_one()
        spans = self._get_invoiced_spans() if spans is None else spans
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
        """Tell whether this line still bills on or after ``day``.

        A one-time line bills on its Start Date only.
        """
        self.ensure_one()
        end = self._get_billing_end()
        if self.one_time:
            return self.date_start >= day and (not end or end >= self.date_start)
        return not end or end >= day

    def _get_schedule_anchor_date(self):
        # a co-termed line bills on its contract's grid, from the contract's start
        if self.contract_id.co_term_lines and self.contract_id.date_start:
            return self.contract_id.date_start
        return super()._get_schedule_anchor_date()

    def _get_next_period(self, spans=None):
        """Return the first period not invoiced yet, or ``None`` if none is left.

        :param list spans: the invoiced (start, end) spans, by start, to
            simulate runs not made (the forecast); default: the stored
            :attr:`invoiced_up_to`
        """
        self.ensure_one()
        if self.one_time:
            return next(self._get_open_periods(spans), None)
        if not self.date_start or not self.recurring_rule_type:
            return None
        schedule = self._get_schedule(self.date_start, self._get_billing_end())
        return schedule.period_from(self._get_first_open_day(spans))

    def _get_first_open_day(self, spans=None):
        """Return the day after the unbroken invoiced run, or the line's start.

        :param list spans: the invoiced (start, end) spans, by start; default:
            the stored :attr:`invoiced_up_to`
        """
        self.ensure_one()
        invoiced_up_to = (
            self.invoiced_up_to
            if spans is None
            else self._get_invoiced_spans_end(spans)
        )
        return invoiced_up_to + timedelta(days=1) if invoiced_up_to else self.date_start

    def _get_period_invoice_date(self, period):
        """Return the day a period is due: its start in advance, else after it.

        A one-time line is due on its date, as in advance. The contract's
        invoicing lead time brings it that many days earlier.
        """
        if self.recurring_invoicing_type == "arrears" and not self.one_time:
            day = period.date_end + timedelta(days=1)
        else:
            day = period.date_start
        return day - timedelta(days=self.contract_id.invoicing_lead_days)

    def _get_periods_to_invoice(self, date_ref, spans=None):
        """Return the periods of this line due on ``date_ref``, oldest first.

        Missed periods are caught up: each becomes its own invoice line.

        :param date date_ref: the invoicing run's reference date
        :param list spans: the invoiced (start, end) spans, by start, to
            simulate a run on top of runs not made (the forecast); default:
            the stored periods
        :return: list of :class:`~..tools.periods.Period`, preceded by the
            :class:`Adjustment` due when ``spans`` is not given
        """
        self.ensure_one()
        periods = []
        if spans is None:
            # the stored next invoice date spares the schedule of lines not due
            if not self.next_invoice_date or self.next_invoice_date > date_ref:
                return []
            spans = self._get_invoiced_spans()
            periods += self._get_adjustments_to_invoice(date_ref)
        for period in self._get_open_periods(spans):
            if self._get_period_invoice_date(period) > date_ref:
                break
            periods.append(period)
        return periods

    def _get_open_periods(self, spans=None):
        """Yield the periods of this line not invoiced yet, oldest first.

        They start after the unbroken invoiced run (see
        :meth:`_get_invoiced_spans_end`); a period that overlaps a span
        invoiced after a gap is left out, as it is billed already. Endless for
        an open-ended line: the caller stops.

        :param list spans: the invoiced (start, end) spans, by start; default:
            the stored periods
        """
        self.ensure_one()
        if self.one_time:
            period = self._get_one_time_period()
            spans = self._get_invoiced_spans() if spans is None else spans
            if period and not any(
                start <= period.date_end and end >= period.date_start
                for start, end in spans
            ):
                yield period
            return
        if not self.date_start or not self.recurring_rule_type:
            return
        spans = self._get_invoiced_spans() if spans is None else spans
        schedule = self._get_schedule(self.date_start, self._get_billing_end())
        for period in schedule.periods(self._get_first_open_day(spans)):
            if any(
                start <= period.date_end and end >= period.date_start
                for start, end in spans
            ):
                continue  # billed already, after a gap that is billed now
            yield period

    def _get_one_time_period(self):
        """Return the one period of a one-time line: its Start Date alone.

        Never prorated: the period is its own full period.

        :return: a :class:`~..tools.periods.Period`, or ``None`` when the line
            (or its contract) ends before it starts
        """
        self.ensure_one()
        day = self.date_start
        end = self._get_billing_end()
        if not day or (end and end < day):
            return None
        return Period(day, day, day, day)

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

    def _get_invoice_account(self, journal):
        """Return the income account of this line's invoice lines, or raise."""
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
        return account

    def _format_period_label(self, period):
        if self.one_time:
            # a fee, not a service over time: the invoice's date says when
            return self.name
        lang = self.contract_id.partner_invoice_id.lang or self.env.lang
        return self.env._(
            "%(description)s\nPeriod: %(start)s - %(end)s",
            description=self.name,
            start=format_date(self.env, period.date_start, lang_code=lang),
            end=format_date(self.env, period.date_end, lang_code=lang),
        )

    def _prepare_invoice_line(self, period, journal):
        """Return the invoice line values billing ``period`` of this line.

        :param period: a :class:`~..tools.periods.Period`, or an
            :class:`Adjustment` (see :meth:`_prepare_adjustment_line`)
        :param journal: the invoice's ``account.journal``
        :return: vals dict for ``account.move.line``
        """
        self.ensure_one()
        if isinstance(period, Adjustment):
            return self._prepare_adjustment_line(period.carried, journal)
        account = self._get_invoice_account(journal)
        self._check_price_source()
        if self.one_time:
            factor = 1.0  # a fee: neither prorated nor suspended
        else:
            factor = proration_factor(period, self._get_proration_policy())
            factor *= self.contract_id._get_billed_share(period)
        price_unit = prorated_price(
            self._get_price_unit_on(period.date_start),
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

    def _split_at(self, date_from, vals, adjust=True):
        """End this line the day before ``date_from`` and continue it anew.

        The successor starts on ``date_from`` with ``vals`` (a new quantity,
        price, ...) so the history of prices stays on the old line. The days
        from ``date_from`` that the old line has invoiced already are carried
        over to the successor, which starts invoicing after them. The
        difference the new terms make for those days, prorated, is an
        adjustment: more is invoiced by the next run, less is credited at once
        (see :meth:`_get_adjustment_amount`).

        :param date date_from: first day of the new terms
        :param dict vals: values that change on the successor
        :param bool adjust: False to carry the invoiced days over without any
            adjustment, when the old and new prices cannot be compared (a
            change of currency)
        :return: the successor ``zeron.contract.line``
        """
        self.ensure_one()
        if self.one_time:
            raise UserError(
                self.env._(
                    "Contract %(contract)s, line %(line)s is billed once (field "
                    "Bill Once): it has no days to continue from %(date)s; change "
                    "the line itself before it is invoiced.",
                    contract=self.contract_id.display_name,
                    line=self.product_id.display_name,
                    date=date_from,
                )
            )
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
        # periods are written by the engine only (clerks may read them)
        carried = (
            self.env["zeron.contract.period"]
            .sudo()
            .create(successor._prepare_carried_periods_values(self, date_from, adjust))
        )
        self.date_end = date_from - timedelta(days=1)
        to_credit = carried.sudo(False).filtered(
            lambda p: p.currency_id.compare_amounts(p.adjustment_amount, 0.0) < 0
        )
        if to_credit:
            self.contract_id._credit_adjustments(to_credit)
        return successor

    def _prepare_carried_periods_values(self, predecessor, date_from, adjust=True):
        """Return the periods this successor carries over from ``predecessor``.

        The days from ``date_from`` that ``predecessor`` has invoiced (or has
        carried over itself), cut at this line's period boundaries, so each is
        adjusted on its own period's days.

        :param predecessor: the ``zeron.contract.line`` this one continues
        :param date date_from: this line's first day
        :param bool adjust: whether the new terms are adjusted for these days
        :return: list of vals dicts for ``zeron.contract.period``
        """
        self.ensure_one()
        schedule = self._get_schedule(date_from)
        vals_list = []
        for origin in predecessor.period_ids.filtered(
            lambda p: p.period_type in COVERING_TYPES and p.date_end >= date_from
        ):
            day = max(origin.date_start, date_from)
            while day <= origin.date_end:
                last = min(schedule.period_from(day).full_end, origin.date_end)
                vals_list.append(
                    {
                        "line_id": self.id,
                        "date_start": day,
                        "date_end": last,
                        "period_type": "carried",
                        "origin_period_id": origin.id,
                        "adjust": adjust,
                    }
                )
                day = last + timedelta(days=1)
        return vals_list

    def _get_period_rate(self, day=None):
        """Return this line's amount per full period, unrounded.

        :param date day: the first day of the period, for a line priced by
            the pricelist (see :meth:`_get_price_unit_on`); default: the Unit
            Price
        """
        self.ensure_one()
        price_unit = self._get_price_unit_on(day) if day else self.price_unit
        return self.quantity * price_unit * (1 - self.discount / 100.0)

    def _get_price_unit_on(self, day):
        """Return the unit price this line bills for a period starting on ``day``.

        The contracted Unit Price; with the price source *Pricelist price*, the
        price the contract's pricelist gives the product, quantity and unit on
        ``day`` (its first moment in the company's time zone), in the
        contract's currency, rounded to the product price precision. Without a
        pricelist the Unit Price (invoicing refuses that, see
        :meth:`_check_price_source`).

        :param date day: the first day of the period billed
        :return: float
        """
        self.ensure_one()
        pricelist = self.contract_id.pricelist_id
        if self.price_source != "pricelist" or not pricelist or not self.product_id:
            return self.price_unit
        price = pricelist._get_product_price(
            self.product_id,
            self.quantity or 1.0,
            currency=self.currency_id or pricelist.currency_id,
            uom=self.product_uom_id,
            date=day_start_utc(day, self.contract_id.company_id.partner_id.tz),
        )
        return float_round(
            price,
            precision_digits=self.env["decimal.precision"].precision_get(
                "Product Price"
            ),
        )

    def _check_price_source(self):
        """Raise a UserError when this line is priced by a pricelist it lacks."""
        self.ensure_one()
        if self.price_source == "pricelist" and not self.contract_id.pricelist_id:
            raise UserError(
                self.env._(
                    "Contract %(contract)s, line %(line)s is billed at the "
                    "pricelist price (field Price Source), but the contract has no "
                    "Pricelist.",
                    contract=self.contract_id.display_name,
                    line=self.product_id.display_name,
                )
            )

    def _get_adjustment_amount(self, carried):
        """Return what this line costs for the days of ``carried`` over its predecessor.

        The difference of the amounts per period, prorated by the actual days
        of the billing period the days lie in, less the days of suspensions
        that have ended (a suspension still running is credited when it ends,
        from the adjustment as from the predecessor's invoice). Nothing with
        the proration policy ``none``: a change then takes effect from the next
        period, the days carried over stay at the old terms.

        :param carried: a carried-over ``zeron.contract.period`` of this line
        :return: the signed amount, rounded to the contract's currency
        """
        self.ensure_one()
        predecessor = self.predecessor_id
        if not predecessor or self._get_proration_policy() == "none":
            return 0.0
        grid = self._get_schedule(self.date_start).period_from(carried.date_start)
        period = Period(
            carried.date_start, carried.date_end, grid.full_start, grid.full_end
        )
        factor = proration_factor(period) * self.contract_id._get_billed_share(
            period, open_suspensions=False
        )
        # a pricelist price is each one's on the first day it billed these days
        origin_start = carried.origin_period_id.date_start or carried.date_start
        difference = (
            self._get_period_rate(carried.date_start)
            - predecessor._get_period_rate(origin_start)
        ) * factor
        return self.currency_id.round(difference) if self.currency_id else difference

    def _get_adjustments_to_invoice(self, date_ref=None):
        """Return the adjustments of this line due on ``date_ref``, oldest first.

        An adjustment is due, like a period, from its first day (in advance)
        or after its last (in arrears), less the invoicing lead time; once
        invoiced it is recorded as an adjustment period and is due no more.

        :param date date_ref: the invoicing run's reference date; default:
            every adjustment not invoiced yet
        :return: list of :class:`Adjustment`
        """
        self.ensure_one()
        adjustments = [
            Adjustment(period.date_start, period.date_end, period)
            for period in self.period_ids.sorted("date_start")
            if period.adjustment_due
        ]
        if date_ref:
            adjustments = [
                adjustment
                for adjustment in adjustments
                if self._get_period_invoice_date(adjustment) <= date_ref
            ]
        return adjustments

    def _format_adjustment_label(self, carried):
        lang = self.contract_id.partner_invoice_id.lang or self.env.lang
        env = self.with_context(lang=lang).env
        return self.env._(
            "%(description)s\nAdjustment for the change from %(old)s to %(new)s "
            "a period\nPeriod: %(start)s - %(end)s",
            description=self.name,
            old=formatLang(
                env,
                self.predecessor_id.price_subtotal,
                currency_obj=self.currency_id,
            ),
            new=formatLang(env, self.price_subtotal, currency_obj=self.currency_id),
            start=format_date(self.env, carried.date_start, lang_code=lang),
            end=format_date(self.env, carried.date_end, lang_code=lang),
        )

    def _prepare_adjustment_line(self, carried, journal, refund=False):
        """Return the invoice line values of the adjustment of ``carried``.

        One unit at the difference (see :meth:`_get_adjustment_amount`),
        labelled with its days. On an invoice, the line bills this contract
        line, so its invoiced adjustment is recorded; on a credit note, the
        caller records it.

        :param carried: a carried-over ``zeron.contract.period`` of this line
        :param journal: the invoice's ``account.journal``
        :param bool refund: True for a line of a credit note
        :return: vals dict for ``account.move.line``
        """
        self.ensure_one()
        taxes = self.contract_id.fiscal_position_id.map_tax(self.tax_ids)
        vals = {
            "display_type": "product",
            "product_id": self.product_id.id,
            "name": self._format_adjustment_label(carried),
            "quantity": 1.0,
            "product_uom_id": self.product_uom_id.id,
            "price_unit": abs(carried.adjustment_amount),
            "tax_ids": [fields.Command.set(taxes.ids)],
            "account_id": self._get_invoice_account(journal).id,
            "zeron_period_start": carried.date_start,
            "zeron_period_end": carried.date_end,
            "zeron_is_adjustment": True,
        }
        if not refund:
            vals["zeron_contract_line_id"] = self.id
        analytic = self._get_analytic_distribution()
        if analytic:
            vals["analytic_distribution"] = analytic
        return vals

    def _get_analytic_distribution(self):
        """Return the analytic distribution of this line's invoice lines.

        The line's own, else its contract's default.
        """
        self.ensure_one()
        return self.analytic_distribution or self.contract_id.analytic_distribution
