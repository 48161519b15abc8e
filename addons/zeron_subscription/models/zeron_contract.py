import logging
import threading
from datetime import date, timedelta

import psycopg2
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import format_date, mute_logger

from ..tools.locking import lock_skip_locked
from ..tools.periods import (
    add_months_plain,
    days_between,
    prorated_price,
    today_in_tz,
)
from .res_company import INVOICE_GROUPINGS, PRORATION_POLICIES
from .zeron_contract_period import MONEY_TYPES

_logger = logging.getLogger(__name__)

#: contracts invoiced per transaction by the scheduled run
INVOICING_BATCH_SIZE = 200
#: first key of the advisory lock that one invoicing run per company holds
INVOICING_LOCK_KEY = 0x5A45524F  # "ZERO"
# tries of a batch that met another run (scheduled run only)
BATCH_ATTEMPTS = 3
#: states in which a contract bills its lines
BILLING_STATES = ("running", "to_renew")
#: states in which a contract covers no day at all, whatever its dates
NON_COVERING_STATES = ("draft", "cancelled")
#: states of a contract that has ended: it covered up to a known end only
ENDED_STATES = ("expired", "closed")
#: states in which the run invoices a contract's due periods: an ended one
#: still bills those up to its end (the last period billed in arrears)
INVOICING_STATES = (*BILLING_STATES, *ENDED_STATES)


class _InvoiceProbeDone(Exception):
    """Raised to roll back a trial invoicing that succeeded."""


class ZeronContract(models.Model):
    _name = "zeron.contract"
    _description = "Subscription Contract"
    _inherit = ["mail.thread", "mail.activity.mixin", "analytic.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Number",
        required=True,
        copy=False,
        readonly=True,
        default=lambda self: self.env._("New"),
        index="trigram",
    )
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("running", "Running"),
            ("to_renew", "To Renew"),
            ("suspended", "Suspended"),
            ("expired", "Expired"),
            ("closed", "Closed"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        copy=False,
        tracking=True,
        index=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        store=True,
        index=True,
    )
    partner_invoice_id = fields.Many2one(
        comodel_name="res.partner",
        string="Invoice Address",
        compute="_compute_partner_invoice_id",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
        check_company=True,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        index=True,
        domain="[('share', '=', False)]",
    )
    pricelist_id = fields.Many2one(
        comodel_name="product.pricelist",
        compute="_compute_pricelist_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        compute="_compute_currency_id",
        store=True,
        precompute=True,
    )
    payment_term_id = fields.Many2one(
        comodel_name="account.payment.term",
        string="Payment Terms",
        compute="_compute_payment_term_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
    )
    fiscal_position_id = fields.Many2one(
        comodel_name="account.fiscal.position",
        compute="_compute_fiscal_position_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
    )
    journal_id = fields.Many2one(
        comodel_name="account.journal",
        string="Invoicing Journal",
        domain="[('type', '=', 'sale')]",
        check_company=True,
        help="Sales journal of the invoices; empty: the company's first one.",
    )
    date_start = fields.Date(
        string="Start Date",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    term_months = fields.Integer(
        string="Term (Months)",
        tracking=True,
        help="Length of one contract term in months; 0 for an open-ended contract.",
    )
    renewal_type = fields.Selection(
        selection=[
            ("none", "None"),
            ("tacit", "Tacit"),
            ("offer", "By renewal offer"),
        ],
        string="Renewal",
        default="none",
        required=True,
        help="Tacit: at the end of a term, the contract runs on for a renewal term "
        "unless the customer cancelled in time. By renewal offer: it runs on only "
        "when the customer accepts the renewal.",
    )
    renewal_term_months = fields.Integer(
        string="Renewal Term (Months)",
        help="Length of each renewal term; 0: the same as the first term.",
    )
    renewals_accepted = fields.Integer(
        copy=False,
        readonly=True,
        help="Renewal offers the customer accepted.",
    )
    notice_days = fields.Integer(
        string="Notice Period (Days)",
        help="The customer must cancel this many days before the end of a term.",
    )
    date_cancel_deadline = fields.Date(
        string="Last Day to Cancel",
        compute="_compute_date_term_end",
        help="Last day on which the customer may cancel the running term.",
    )
    date_terminated = fields.Date(
        string="Terminated On",
        readonly=True,
        copy=False,
        tracking=True,
    )
    termination_reason = fields.Char(readonly=True, copy=False, tracking=True)
    date_end = fields.Date(
        string="End Date",
        tracking=True,
        copy=False,
        help="Last day of the contract. Leave empty for a renewing or "
        "open-ended contract.",
    )
    date_term_end = fields.Date(
        string="Current Term End",
        compute="_compute_date_term_end",
        help="Last day of the term running today.",
    )
    proration_policy = fields.Selection(
        selection=PRORATION_POLICIES,
        string="Proration",
        help="How a billing period cut by a start or end date is priced. "
        "Empty: the company's setting.",
    )
    invoicing_lead_days = fields.Integer(
        string="Invoicing Lead Time (Days)",
        help="Invoice each period this many days before its invoice date.",
    )
    invoice_delivery = fields.Selection(
        selection=[("email", "By email"), ("post", "By post")],
        default="email",
        required=True,
    )
    invoice_grouping = fields.Selection(
        selection=INVOICE_GROUPINGS,
        help="One invoice per customer: the invoicing run bills this contract "
        "on one invoice with the customer's other contracts of the same invoice "
        "address, currency, payment terms, fiscal position, journal and invoice "
        "delivery. Empty: the company's setting.",
    )
    co_term_lines = fields.Boolean(
        string="Bill All Lines on One Schedule",
        tracking=True,
        help="Every line bills on the contract's grid, whose periods start on "
        "the contract's Start Date: a line that starts later is first billed a "
        "prorated period up to the contract's next period boundary, then with "
        "the other lines. The lines' own anchor day and calendar alignment are "
        "not used.",
    )
    line_ids = fields.One2many(
        comodel_name="zeron.contract.line",
        inverse_name="contract_id",
        string="Lines",
        copy=True,
    )
    next_invoice_date = fields.Date(
        compute="_compute_next_invoice_date",
        store=True,
        index=True,
        help="Earliest day on which one of the lines is due for invoicing.",
    )
    suspension_ids = fields.One2many(
        comodel_name="zeron.contract.suspension",
        inverse_name="contract_id",
        string="Suspensions",
        readonly=True,
    )
    invoice_ids = fields.Many2many(
        comodel_name="account.move",
        relation="zeron_contract_account_move_rel",
        column1="contract_id",
        column2="move_id",
        string="Invoices",
        readonly=True,
        copy=False,
        help="Invoices and credit notes billing this contract, alone or with "
        "other contracts of the customer.",
    )
    invoice_count = fields.Integer(compute="_compute_invoice_count")
    partner_contract_count = fields.Integer(
        string="Customer's Contracts",
        compute="_compute_partner_contract_count",
    )
    invoicing_error = fields.Text(
        readonly=True,
        copy=False,
        help="Why the last invoicing run could not invoice this contract.",
    )
    origin = fields.Char(
        string="Source Document",
        copy=False,
        help="The document this contract comes from, for example a sale order.",
    )
    note = fields.Html(string="Terms and Conditions")

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "A contract number must be unique per company.",
        ),
    ]

    # === COMPUTE METHODS === #

    @api.depends("partner_id")
    def _compute_partner_invoice_id(self):
        for contract in self:
            contract.partner_invoice_id = (
                contract.partner_id.address_get(["invoice"])["invoice"]
                if contract.partner_id
                else False
            )

    @api.depends("partner_id", "company_id")
    def _compute_pricelist_id(self):
        for contract in self:
            if not contract.partner_id:
                continue
            contract.pricelist_id = contract.partner_id.with_company(
                contract.company_id
            ).property_product_pricelist

    @api.depends("pricelist_id", "company_id")
    def _compute_currency_id(self):
        for contract in self:
            contract.currency_id = (
                contract.pricelist_id.currency_id or contract.company_id.currency_id
            )

    @api.depends("partner_id", "company_id")
    def _compute_payment_term_id(self):
        for contract in self:
            contract.payment_term_id = contract.partner_id.with_company(
                contract.company_id
            ).property_payment_term_id

    @api.depends("partner_id", "company_id")
    def _compute_fiscal_position_id(self):
        fiscal_positions = self.env["account.fiscal.position"]
        for contract in self:
            if not contract.partner_id:
                contract.fiscal_position_id = False
                continue
            contract.fiscal_position_id = fiscal_positions.with_company(
                contract.company_id
            )._get_fiscal_position(contract.partner_id)

    @api.depends(
        "date_start",
        "term_months",
        "renewal_type",
        "renewal_term_months",
        "renewals_accepted",
        "notice_days",
        "date_end",
    )
    @api.depends_context("date")
    def _compute_date_term_end(self):
        today = fields.Date.to_date(self.env.context.get("date")) or fields.Date.today()
        for contract in self:
            term_end = contract._get_term_end(today)
            contract.date_term_end = term_end
            contract.date_cancel_deadline = (
                term_end - timedelta(days=contract.notice_days)
                if term_end and contract.term_months
                else False
            )

    @api.depends(
        "state",
        "date_end",
        "date_terminated",
        "term_months",
        "renewal_type",
        "line_ids.next_invoice_date",
    )
    def _compute_next_invoice_date(self):
        for contract in self:
            dates = [d for d in contract.line_ids.mapped("next_invoice_date") if d]
            contract.next_invoice_date = (
                min(dates) if contract._bills_due_periods() and dates else False
            )

    @api.depends("invoice_ids")
    def _compute_invoice_count(self):
        counts = dict(
            self.env["account.move"]._read_group(
                [("zeron_contract_ids", "in", self.ids)],
                groupby=["zeron_contract_ids"],
                aggregates=["__count"],
            )
        )
        for contract in self:
            contract.invoice_count = counts.get(contract, 0)

    def _compute_partner_contract_count(self):
        counts = dict(
            self._read_group(
                [("commercial_partner_id", "in", self.commercial_partner_id.ids)],
                groupby=["commercial_partner_id"],
                aggregates=["__count"],
            )
        )
        for contract in self:
            contract.partner_contract_count = counts.get(
                contract.commercial_partner_id, 0
            )

    # === CONSTRAINT METHODS === #

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for contract in self:
            for label, day in (
                (self.env._("Start Date"), contract.date_start),
                (self.env._("End Date"), contract.date_end),
            ):
                if day and not 1900 <= day.year <= 2999:
                    raise ValidationError(
                        self.env._(
                            "Contract %(contract)s: the field %(field)s (%(date)s) is "
                            "outside the years 1900 to 2999.",
                            contract=contract.display_name,
                            field=label,
                            date=day,
                        )
                    )
            if contract.date_end and contract.date_end < contract.date_start:
                raise ValidationError(
                    self.env._(
                        "Contract %(contract)s: the End Date (%(end)s) is before the "
                        "Start Date (%(start)s).",
                        contract=contract.display_name,
                        end=contract.date_end,
                        start=contract.date_start,
                    )
                )

    @api.constrains("term_months", "invoicing_lead_days")
    def _check_term_months(self):
        for contract in self:
            if contract.invoicing_lead_days < 0:
                raise ValidationError(
                    self.env._(
                        "Contract %(contract)s: the field Invoicing Lead Time (Days) "
                        "cannot be negative (%(value)s).",
                        contract=contract.display_name,
                        value=contract.invoicing_lead_days,
                    )
                )
            if contract.term_months < 0:
                raise ValidationError(
                    self.env._(
                        "Contract %(contract)s: the field Term (Months) cannot be "
                        "negative (%(value)s).",
                        contract=contract.display_name,
                        value=contract.term_months,
                    )
                )

    # === CRUD METHODS === #

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                company = self.env["res.company"].browse(vals.get("company_id"))
                vals["name"] = self.env["ir.sequence"].with_company(
                    company or self.env.company
                ).next_by_code("zeron.contract") or self.env._("New")
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_invoiced(self):
        for contract in self:
            if contract.invoice_ids:
                raise UserError(
                    self.env._(
                        "Contract %(contract)s has invoices: close or cancel it "
                        "instead of deleting it.",
                        contract=contract.display_name,
                    )
                )

    # === ACTION METHODS === #

    def action_start(self):
        for contract in self:
            if contract.state != "draft":
                raise UserError(
                    self.env._(
                        "Contract %(contract)s: only a draft contract can be started.",
                        contract=contract.display_name,
                    )
                )
            if not contract.line_ids:
                raise UserError(
                    self.env._(
                        "Contract %(contract)s has no lines to invoice.",
                        contract=contract.display_name,
                    )
                )
        self.state = "running"
        return True

    def action_close(self):
        self.filtered(lambda c: c.state not in ("draft", "cancelled")).state = "closed"
        return True

    def action_cancel(self):
        for contract in self:
            if contract.invoice_ids.filtered(lambda m: m.state == "posted"):
                raise UserError(
                    self.env._(
                        "Contract %(contract)s has posted invoices: close it instead "
                        "of cancelling it.",
                        contract=contract.display_name,
                    )
                )
        self.state = "cancelled"

    def action_renew(self):
        """Record that the customer accepted the offer to renew for a term."""
        for contract in self:
            if contract.renewal_type != "offer" or contract.state not in (
                *BILLING_STATES,
                "expired",
            ):
                raise UserError(
                    self.env._(
                        "Contract %(contract)s: only a contract renewed by offer, "
                        "running or expired, can be renewed.",
                        contract=contract.display_name,
                    )
                )
            contract.renewals_accepted += 1
            contract.state = "running"
            contract.message_post(
                body=self.env._(
                    "Renewed until %(date)s.", date=contract._get_billing_end()
                )
            )
        return True

    def action_suspend(self, date_from=None):
        """Suspend these contracts from ``date_from`` (default: today).

        Nothing is invoiced while a contract is suspended; the suspended days
        of periods invoiced already are credited when it resumes (see
        :meth:`action_resume`).
        """
        date_from = fields.Date.to_date(date_from) or fields.Date.context_today(self)
        for contract in self:
            if contract.state not in BILLING_STATES:
                raise UserError(
                    self.env._(
                        "Contract %(contract)s: only a running contract can be "
                        "suspended.",
                        contract=contract.display_name,
                    )
                )
            last_end = max(
                (d for d in contract.suspension_ids.mapped("date_end") if d),
                default=None,
            )
            if last_end and date_from <= last_end:
                # those days were suspended, and credited, already
                raise UserError(
                    self.env._(
                        "Contract %(contract)s: a suspension from %(date)s would "
                        "overlap the previous one, suspended until %(end)s.",
                        contract=contract.display_name,
                        date=date_from,
                        end=last_end,
                    )
                )
        self.env["zeron.contract.suspension"].create(
            [{"contract_id": c.id, "date_start": date_from} for c in self]
        )
        self.state = "suspended"
        return True

    def action_resume(self, date_to=None):
        """Resume these suspended contracts on ``date_to`` (default: today).

        Side effect: posts a credit note for the suspended days of the
        periods invoiced already, prorated (see :meth:`_credit_suspension`).
        """
        date_to = fields.Date.to_date(date_to) or fields.Date.context_today(self)
        for contract in self:
            suspension = contract.suspension_ids.filtered(lambda s: not s.date_end)
            if contract.state != "suspended" or not suspension:
                raise UserError(
                    self.env._(
                        "Contract %(contract)s is not suspended.",
                        contract=contract.display_name,
                    )
                )
            suspension.date_end = date_to - timedelta(days=1)
            contract._credit_suspension(suspension)
        self.state = "running"
        return True

    def action_draft(self):
        self.filtered(lambda c: c.state == "cancelled").state = "draft"

    def action_create_invoices(self):
        """Invoice the due lines of these contracts now, as the daily run would."""
        contracts = self.filtered(lambda c: c._bills_due_periods())
        if not contracts:
            raise UserError(self.env._("Only running contracts can be invoiced."))
        result = contracts._run_invoicing(fields.Date.context_today(self))
        if result["failed"] and len(self) == 1:
            raise UserError(self.invoicing_error)
        if not result["created"]:
            raise UserError(self.env._("Nothing is due for invoicing yet."))
        return self.action_view_invoices()

    def action_view_invoices(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("zeron_contract_ids", "in", self.ids)]
        action["context"] = {
            "default_move_type": "out_invoice",
            "create": False,
        }
        return action

    def action_view_partner_contracts(self):
        self.ensure_one()
        return self.commercial_partner_id.action_view_zeron_contracts()

    # === BUSINESS METHODS === #

    def _get_term_end(self, on_date):
        """Return the last day of the contract term that runs on ``on_date``.

        The first term lasts ``term_months``, each renewal term
        ``renewal_term_months`` (or as long as the first). A non-renewing
        contract has one term, one renewed by offer as many as were accepted,
        a tacitly renewing one runs from term to term. Every term end is
        computed from the start date, so month ends do not drift.

        :param date on_date: the day the term must contain
        :return: a date, or ``False`` for an open-ended contract
        """
        self.ensure_one()
        if self.date_end or not self.term_months or not self.date_start:
            return self.date_end or False
        renewal = self.renewal_term_months or self.term_months
        last_term = {"none": 0, "offer": self.renewals_accepted}.get(self.renewal_type)
        if last_term is not None:
            last_end = add_months_plain(
                self.date_start, self.term_months + last_term * renewal
            ) - timedelta(days=1)
            if on_date > last_end:
                return last_end
        first_end = add_months_plain(self.date_start, self.term_months)
        term = 0
        if on_date >= first_end:
            months = (on_date.year - first_end.year) * 12 + (
                on_date.month - first_end.month
            )
            term = max(0, months // renewal)
            while (
                add_months_plain(
                    self.date_start, self.term_months + (term + 1) * renewal
                )
                <= on_date
            ):
                term += 1
            term += 1
        end = add_months_plain(self.date_start, self.term_months + term * renewal)
        return end - timedelta(days=1)

    def _bills_due_periods(self):
        """Tell whether the run invoices this contract's due periods.

        A running contract does; an expired or terminated one too, up to its
        known end, so a period billed in arrears or not invoiced before the end
        is not lost. A contract closed by hand (not terminated) or ended
        without an end bills nothing.
        """
        self.ensure_one()
        if self.state in BILLING_STATES:
            return True
        if self.state == "closed" and not self.date_terminated:
            return False
        return self.state in ENDED_STATES and bool(self._get_billing_end())

    def _get_billing_end(self):
        """Return the contract's last billable day, or ``False`` if open-ended."""
        self.ensure_one()
        if self.date_end:
            return self.date_end
        if self.term_months and self.renewal_type != "tacit":
            # the end of the last term agreed so far
            return self._get_term_end(date.max)
        return False

    @api.model
    def _get_covering_states(self):
        """Return the states in which a contract may cover a day of service.

        Read from the state selection, so a state added by another module
        covers unless it is listed in ``NON_COVERING_STATES``. The state is
        necessary, not sufficient: :meth:`_is_valid_on` checks the day. A
        suspended contract is listed because it still covers the days before
        its suspension.

        :return: list of state keys
        """
        states = self._fields["state"].get_values(self.env)
        return [state for state in states if state not in NON_COVERING_STATES]

    def _is_suspended_on(self, on_date):
        """Return whether this contract is suspended on ``on_date``.

        True inside a suspension, its first and last day included (an open
        suspension runs on), and on every day for a contract in the suspended
        state without an open suspension, whose start is then unknown.

        :param date on_date: the day to check
        """
        self.ensure_one()
        suspensions = self.suspension_ids
        if self.state == "suspended" and not suspensions.filtered(
            lambda s: not s.date_end
        ):
            return True
        return any(
            s.date_start <= on_date and (not s.date_end or on_date <= s.date_end)
            for s in suspensions
        )

    def _get_validity_end(self, on_date):
        """Return the last day of the unbroken validity that holds ``on_date``.

        The contract's last billable day (:meth:`_get_billing_end`: its End
        Date, or the end of the last term agreed; a tacitly renewing or
        open-ended contract runs on), or the day before the first suspension
        that starts after ``on_date`` if that comes first. Meaningful when the
        contract is valid on ``on_date``.

        :param date on_date: the day seen from
        :return: a date, or ``False`` if the contract runs on
        """
        self.ensure_one()
        end = self._get_billing_end()
        starts = [s.date_start for s in self.suspension_ids if s.date_start > on_date]
        if starts:
            before = min(starts) - timedelta(days=1)
            end = min(end, before) if end else before
        return end or False

    def _is_valid_on(self, on_date):
        """Return whether this contract is in force on ``on_date``.

        In force: a covering state (:meth:`_get_covering_states`), on or after
        the Start Date, on or before the last billable day (End Date included;
        tacit renewal counts through :meth:`_get_term_end`), and outside every
        suspension (:meth:`_is_suspended_on`), even while running. An expired or
        closed contract without a known end is in force on no day.

        :param date on_date: the day to check
        """
        self.ensure_one()
        if self.state not in self._get_covering_states():
            return False
        if not self.date_start or on_date < self.date_start:
            return False
        end = self._get_billing_end()
        if not end and self.state in ENDED_STATES:
            return False
        if end and on_date > end:
            return False
        return not self._is_suspended_on(on_date)

    @api.model
    def _get_today(self, company=None):
        """Return today in the time zone of the company's partner, else UTC."""
        company = company or self.env.company
        return today_in_tz(company.partner_id.tz)

    @api.model
    def _get_contracts_to_invoice_domain(self, date_ref):
        """Return the domain of the contracts with lines due on ``date_ref``.

        :param date date_ref: the invoicing run's reference date
        :return: a domain on ``zeron.contract``
        """
        return [
            ("state", "in", INVOICING_STATES),
            ("invoicing_mode", "=", "auto"),
            ("next_invoice_date", "!=", False),
            ("next_invoice_date", "<=", date_ref),
        ]

    def _get_invoice_journal(self):
        """Return the sales journal of this contract's invoices."""
        self.ensure_one()
        return self.journal_id or self.env["account.journal"].search(
            [
                *self.env["account.journal"]._check_company_domain(self.company_id),
                ("type", "=", "sale"),
            ],
            limit=1,
        )

    def _prepare_invoice(self, date_ref, journal):
        """Return the values of this contract's invoice, without its lines.

        :param date date_ref: the invoicing run's reference date (invoice date)
        :param journal: the ``account.journal`` to invoice in
        :return: vals dict for ``account.move``
        """
        self.ensure_one()
        return {
            "move_type": "out_invoice",
            "partner_id": self.partner_invoice_id.id,
            "company_id": self.company_id.id,
            "currency_id": self.currency_id.id,
            "journal_id": journal.id,
            "invoice_date": date_ref,
            "invoice_payment_term_id": self.payment_term_id.id,
            "fiscal_position_id": self.fiscal_position_id.id,
            "invoice_user_id": self.user_id.id,
            "invoice_origin": self.name,
            "zeron_contract_id": self.id,
            "invoice_line_ids": [],
        }

    def _prepare_invoice_values(self, date_ref):
        """Return the invoice values of this contract's lines due on ``date_ref``.

        Raises a UserError when the contract cannot be invoiced (no journal,
        no income account); writes nothing.

        :return: vals dict for ``account.move``, or ``None`` if nothing is due
        """
        self.ensure_one()
        journal = self._get_invoice_journal()
        if not journal:
            raise UserError(
                self.env._(
                    "Contract %(contract)s: company %(company)s has no sales journal.",
                    contract=self.display_name,
                    company=self.company_id.name,
                )
            )
        invoice_vals = self._prepare_invoice(date_ref, journal)
        invoice_vals["invoice_line_ids"] += [
            fields.Command.create(vals)
            for vals in self._prepare_invoice_lines_values(date_ref, journal)
        ]
        return invoice_vals if invoice_vals["invoice_line_ids"] else None

    def _prepare_invoice_lines_values(self, date_ref, journal, spans_by_line=None):
        """Return the invoice line values of the periods due on ``date_ref``.

        The one path of periods and amounts, shared by the invoicing run and
        the forecast (see :meth:`_get_forecast`); writes nothing.

        :param date date_ref: the invoicing run's reference date
        :param journal: the invoice's ``account.journal``
        :param dict spans_by_line: ``{line: [(start, end), ...]}``, the lines
            to look at and the spans each has invoiced, by start, to simulate
            runs not made; default: every line and its stored periods
        :return: list of vals dicts for ``account.move.line``
        """
        self.ensure_one()
        vals_list = []
        for line in self.line_ids:
            if spans_by_line is not None and line not in spans_by_line:
                continue
            spans = None if spans_by_line is None else spans_by_line[line]
            for period in line._get_periods_to_invoice(date_ref, spans=spans):
                vals_list.append(line._prepare_invoice_line(period, journal=journal))
        return vals_list

    def _get_invoice_grouping(self):
        """Return how this contract is invoiced: ``contract`` or ``partner``."""
        self.ensure_one()
        return (
            self.invoice_grouping
            or self.company_id.zeron_invoice_grouping
            or "contract"
        )

    def _get_invoice_grouping_key(self):
        """Return the key of the invoice this contract's due lines go on.

        The contracts of one invoicing run that return equal keys are billed on
        one invoice. Per customer, they share the company, invoice address,
        currency, payment terms, fiscal position, journal and invoice delivery
        (the delivery too, so the invoice is sent the way each contract asks).
        Override to group on more (add values) or less.

        :return: a hashable tuple; the contract's own id when it is invoiced
            alone
        """
        self.ensure_one()
        if self._get_invoice_grouping() != "partner":
            return ("contract", self.id)
        return (
            "partner",
            self.company_id.id,
            self.partner_invoice_id.id,
            self.currency_id.id,
            self.payment_term_id.id,
            self.fiscal_position_id.id,
            self._get_invoice_journal().id,
            self.invoice_delivery,
        )

    @api.model
    def _prepare_grouped_invoice_values(self, vals_by_contract):
        """Return the values of one invoice billing several contracts.

        The first contract gives the invoice its header (its
        ``zeron_contract_id``, salesperson, ...); the invoice lines of all
        follow one another, each keeping its contract line, and the source
        document lists every contract.

        :param dict vals_by_contract: ``{contract: vals}``, the values that
            :meth:`_prepare_invoice_values` returned for each, in invoice order
        :return: vals dict for ``account.move``
        """
        contracts = list(vals_by_contract)
        vals = dict(vals_by_contract[contracts[0]])
        if len(contracts) > 1:
            vals["invoice_line_ids"] = [
                command
                for contract_vals in vals_by_contract.values()
                for command in contract_vals["invoice_line_ids"]
            ]
            vals["invoice_origin"] = ", ".join(c.name for c in contracts)
        return vals

    def _split_invoicing_batches(self, batch_size):
        """Yield batches of these contracts that keep each invoice group whole.

        The contracts billed on one invoice are put side by side and never cut
        by a batch boundary, so a run makes one invoice per group. A batch holds
        at most ``batch_size`` contracts, except a larger group, which is a
        batch on its own.

        :param int batch_size: contracts per batch
        :return: generator of ``zeron.contract`` recordsets
        """
        batch_ids = []
        for group in self.grouped(lambda c: c._get_invoice_grouping_key()).values():
            if batch_ids and len(batch_ids) + len(group) > batch_size:
                yield self.browse(batch_ids)
                batch_ids = []
            batch_ids += group.ids
        if batch_ids:
            yield self.browse(batch_ids)

    def _lock_for_invoicing(self, date_ref):
        """Lock these contracts and return those still due and not locked.

        ``SKIP LOCKED`` leaves the contracts another transaction is invoicing
        to that transaction, so two workers never bill the same period.
        """
        if not self:
            return self
        self.flush_model(["state", "next_invoice_date"])
        return self.browse(
            lock_skip_locked(
                self.env.cr,
                """
                SELECT id FROM zeron_contract
                 WHERE id IN %s AND state IN %s AND next_invoice_date <= %s
                   FOR UPDATE SKIP LOCKED
                """,
                [tuple(self.ids), INVOICING_STATES, date_ref],
            )
        )

    def _run_invoicing(self, date_ref, auto_commit=False, batch_size=None):
        """Invoice the due lines of these contracts on ``date_ref``.

        One posted invoice per contract, or per group of contracts with the
        same :meth:`_get_invoice_grouping_key`. Contracts are taken in
        batches that keep groups whole, each locked first; with
        ``auto_commit`` each batch is committed. A contract that fails is
        rolled back alone, flagged and given an activity.

        :return: dict of counts ``created``, ``skipped``, ``failed``
        """
        result = {"created": 0, "skipped": 0, "failed": 0}
        batch_size = batch_size or INVOICING_BATCH_SIZE
        done = 0
        for company, contracts in self.grouped("company_id").items():
            contracts = contracts.with_company(company)
            for batch in contracts._split_invoicing_batches(batch_size):
                counts = batch._invoice_locked_batch(date_ref, auto_commit)
                for key, count in counts.items():
                    result[key] += count
                done += len(batch)
                self.env["ir.cron"]._notify_progress(
                    done=done, remaining=len(self) - done
                )
                if auto_commit:
                    self._commit_progress()
                else:
                    # keep memory flat over a long run in one transaction
                    self.env.flush_all()
                    self.env.invalidate_all()
        return result

    def _invoice_locked_batch(self, date_ref, auto_commit=False):
        """Lock this batch of contracts, then invoice those still due.

        In the scheduled run (``auto_commit``), a batch that another run
        changed after this transaction's snapshot (a serialization failure) is
        rolled back and taken again on a fresh snapshot, where its contracts
        are no longer due; a request is retried by Odoo instead.

        :return: dict of counts ``created``, ``skipped``, ``failed``
        """
        testing = getattr(threading.current_thread(), "testing", False)
        for attempt in range(1, BATCH_ATTEMPTS + 1):
            try:
                locked = self._lock_for_invoicing(date_ref)
                counts = locked._invoice_batch(date_ref)
                counts["skipped"] += len(self) - len(locked)
                return counts
            except psycopg2.errors.SerializationFailure:
                if not auto_commit or testing or attempt == BATCH_ATTEMPTS:
                    raise
                _logger.info(
                    "Invoicing batch of %s contracts met another run; retrying",
                    len(self),
                )
                self.env.cr.rollback()
                self.env.invalidate_all()
        return {"created": 0, "skipped": len(self), "failed": 0}

    def _lock_invoice_numbering(self, company):
        """Hold the company's invoice numbering lock until the transaction ends.

        Runs create their invoices side by side (their contracts are locked
        one by one), but number and post them one run at a time per company
        tree: the numbers of a journal are consecutive, and each run takes
        the next one from what the others committed (see
        ``account.move._zeron_number_for_posting``).
        """
        # branches post in their parent's journals: one lock for the whole tree
        key = [INVOICING_LOCK_KEY, (company.root_id or company).id]
        self.env.cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", key)
        if not self.env.cr.fetchone()[0]:
            _logger.info("Waiting for another invoicing run of company %s", key[1])
            self.env.cr.execute("SELECT pg_advisory_xact_lock(%s, %s)", key)

    def _reraise_concurrency_error(self, error):
        """Let a clash with another transaction abort the run, to be retried.

        Such an error says nothing about the contract, so it must not flag it.
        """
        if isinstance(
            error,
            psycopg2.errors.SerializationFailure
            | psycopg2.errors.LockNotAvailable
            | psycopg2.errors.DeadlockDetected,
        ):
            raise error
        if isinstance(error, psycopg2.errors.UniqueViolation) and (
            "account_move_unique_name" in str(error)
        ):
            # another transaction posted in this journal after our snapshot
            self._raise_retry("an invoice number was taken meanwhile")

    def _raise_retry(self, reason):
        """Abort this transaction as a serialization failure, which Odoo retries."""
        with mute_logger("odoo.sql_db"):
            self.env.cr.execute(
                "DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = 'serialization_failure', "
                "MESSAGE = %s; END $$",
                [f"Zeron invoicing: {reason}; retry"],
            )

    def _commit_progress(self):
        # Commit per batch in the scheduled run, so invoices already posted
        # survive a later crash; never in tests, where the test owns the
        # transaction.
        if not getattr(threading.current_thread(), "testing", False):
            self.env.cr.commit()  # pylint: disable=invalid-commit
        self.env.invalidate_all()

    def _invoice_batch(self, date_ref):
        """Create and post the invoices of these locked contracts.

        The due lines of the contracts of one group (see
        :meth:`_get_invoice_grouping_key`) go on one invoice. The whole batch
        is created and posted at once; if that fails, each group is retried
        alone under a savepoint (see :meth:`_invoice_group`), so only the
        faulty contracts are left out.

        :return: dict of counts ``created`` (invoices), ``skipped`` and
            ``failed`` (contracts)
        """
        counts = {"created": 0, "skipped": 0, "failed": 0}
        vals_by_contract = {}
        for contract in self:
            try:
                vals = contract._prepare_invoice_values(date_ref)
            except (UserError, ValueError, OverflowError) as error:
                _logger.warning(
                    "Contract %s cannot be invoiced on %s: %s",
                    contract.id,
                    date_ref,
                    error,
                )
                contract._flag_invoicing_error(error)
                counts["failed"] += 1
                continue
            if vals:
                vals_by_contract[contract] = vals
            else:
                counts["skipped"] += 1
        if not vals_by_contract:
            return counts
        groups = {}
        for contract, vals in vals_by_contract.items():
            key = contract._get_invoice_grouping_key()
            groups.setdefault(key, {})[contract] = vals
        contracts = self.browse([c.id for c in vals_by_contract])
        try:
            with self.env.cr.savepoint():
                contracts._create_invoices(
                    [
                        self._prepare_grouped_invoice_values(group)
                        for group in groups.values()
                    ]
                )
            contracts.filtered("invoicing_error")._clear_invoicing_error()
            counts["created"] += len(groups)
            return counts
        except Exception as error:  # noqa: BLE001 - retried group by group below
            self._reraise_concurrency_error(error)
            _logger.info(
                "Batch invoicing of %s contracts failed; retrying invoice by invoice",
                len(contracts),
            )
        for group in groups.values():
            for key, count in self._invoice_group(group).items():
                counts[key] += count
        return counts

    @api.model
    def _invoice_group(self, vals_by_contract):
        """Create and post the one invoice of a group, leaving out faulty contracts.

        If the group's invoice fails, each contract is tried alone and rolled
        back, to find the ones that fail; those are flagged and the others are
        invoiced together again. Should they only fail together, each is
        invoiced alone.

        :param dict vals_by_contract: ``{contract: invoice vals}`` of the group
        :return: dict of counts ``created`` and ``failed``
        """
        contracts = self.browse([c.id for c in vals_by_contract])
        try:
            with self.env.cr.savepoint():
                contracts._create_invoices(
                    [self._prepare_grouped_invoice_values(vals_by_contract)]
                )
            contracts.filtered("invoicing_error")._clear_invoicing_error()
            return {"created": 1, "failed": 0}
        except Exception as error:  # noqa: BLE001 - logged and flagged below
            self._reraise_concurrency_error(error)
            if len(contracts) == 1:
                _logger.exception("Invoicing of contract %s failed", contracts.id)
                contracts._flag_invoicing_error(error)
                return {"created": 0, "failed": 1}
        _logger.info(
            "Invoicing of contracts %s together failed; trying each alone",
            contracts.ids,
        )
        errors = {}
        for contract, vals in vals_by_contract.items():
            error = contract._try_invoice_values(vals)
            if error:
                contract._flag_invoicing_error(error)
                errors[contract] = error
        counts = {"created": 0, "failed": len(errors)}
        if errors:
            rest = {c: v for c, v in vals_by_contract.items() if c not in errors}
            if rest:
                for key, count in self._invoice_group(rest).items():
                    counts[key] += count
            return counts
        for contract, vals in vals_by_contract.items():
            for key, count in self._invoice_group({contract: vals}).items():
                counts[key] += count
        return counts

    def _try_invoice_values(self, vals):
        """Return the error that invoicing this contract alone raises, or None.

        The trial is rolled back whatever its outcome: nothing is written.
        """
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                self._create_invoices([vals])
                raise _InvoiceProbeDone()
        except _InvoiceProbeDone:
            return None
        except Exception as error:  # noqa: BLE001 - the caller flags it
            self._reraise_concurrency_error(error)
            _logger.exception("Invoicing of contract %s failed", self.id)
            return error

    def _create_invoices(self, vals_list):
        """Create, record and post invoices from ``vals_list``.

        Side effects: creates ``account.move`` records, the invoiced periods of
        their lines, and posts them.
        """
        moves = (
            self.env["account.move"]
            .with_context(
                tracking_disable=True,
                mail_create_nolog=True,
                mail_notrack=True,
                check_move_validity=False,
            )
            # no number while a draft (Odoo would look the journal's last one
            # up for each invoice): those to post are numbered together below
            ._zeron_create_run_invoices([{**vals, "name": "/"} for vals in vals_list])
        )
        # periods are written by the run only (clerks may read them)
        self.env["zeron.contract.period"].sudo().create(
            [
                line._prepare_contract_period_values()
                for line in moves.invoice_line_ids
                if line.zeron_contract_line_id
            ]
        )
        to_post = moves.filtered(lambda m: m.company_id.zeron_invoice_auto_post)
        for company in to_post.company_id:
            self._lock_invoice_numbering(company)
        to_post._zeron_post_run_invoices()
        return moves

    def _clear_invoicing_error(self):
        """Forget the last failure and close its activity: invoicing works again."""
        self.invoicing_error = False
        summary = self.env._("Invoicing failed")
        self.activity_ids.filtered(lambda a: a.summary == summary).action_feedback(
            feedback=self.env._("Invoiced by a later run.")
        )

    def _flag_invoicing_error(self, error):
        """Record why invoicing failed and tell the responsible user."""
        self.ensure_one()
        message = str(error.args[0] if error.args else error)
        self.invoicing_error = message
        activity_type = self.env.ref("mail.mail_activity_data_warning")
        summary = self.env._("Invoicing failed")
        existing = self.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type and a.summary == summary
        )
        if existing:
            existing.note = Markup("<p>%s</p>") % message
            return
        self.activity_schedule(
            activity_type_id=activity_type.id,
            summary=summary,
            note=Markup("<p>%s</p>") % message,
            user_id=(self.user_id or self.env.user).id,
        )

    @api.model
    def create_recurring_invoices(self, date_ref=None, company_ids=None):
        """Invoice every contract due on ``date_ref``; public, for the external API.

        :param date_ref: reference date (date or ISO string); default: today in
            each company's time zone
        :param list company_ids: companies to invoice; default: the user's
        :return: dict of counts ``created``, ``skipped``, ``failed``
        """
        return self._invoice_due_contracts(date_ref, company_ids)

    def _invoice_due_contracts(
        self, date_ref=None, company_ids=None, auto_commit=False
    ):
        result = {"created": 0, "skipped": 0, "failed": 0}
        companies = (
            self.env["res.company"].browse(company_ids)
            if company_ids
            else self.env.companies
        )
        if date_ref and not 1900 <= fields.Date.to_date(date_ref).year <= 2999:
            raise UserError(
                self.env._(
                    "The invoicing date %(date)s is outside the years 1900 to 2999.",
                    date=date_ref,
                )
            )
        for company in companies:
            day = fields.Date.to_date(date_ref) or self._get_today(company)
            domain = expression.AND(
                [
                    self._get_contracts_to_invoice_domain(day),
                    [("company_id", "=", company.id)],
                ]
            )
            contracts = self.with_company(company).search(domain, order="id")
            counts = contracts._run_invoicing(day, auto_commit=auto_commit)
            for key, count in counts.items():
                result[key] += count
        _logger.info(
            "Zeron invoicing run: %(created)s invoices created, %(skipped)s "
            "contracts skipped, %(failed)s failed",
            result,
        )
        return result

    def _get_billed_share(self, period, open_suspensions=True):
        """Return the share of ``period``'s days not suspended (1.0 if none).

        :param period: a :class:`~..tools.periods.Period`, or anything with a
            ``date_start`` and a ``date_end``
        :param bool open_suspensions: count a suspension not ended yet as
            running to the period's end; False to bill its days, which are
            credited when it ends (see :meth:`_credit_suspension`)
        """
        self.ensure_one()
        suspended = 0
        for suspension in self.suspension_ids:
            if not suspension.date_end and not open_suspensions:
                continue
            first = max(suspension.date_start, period.date_start)
            last = min(suspension.date_end or period.date_end, period.date_end)
            if first <= last:
                suspended += days_between(first, last)
        if not suspended:
            return 1.0
        days = days_between(period.date_start, period.date_end)
        return max(days - suspended, 0) / days

    def _get_state_on(self, on_date):
        """Return the state this running contract has on ``on_date``.

        To renew from the last day to cancel to the end of the term; expired
        after its last billable day.
        """
        self.ensure_one()
        billing_end = self._get_billing_end()
        if billing_end and on_date > billing_end:
            return "expired"
        term_end = self._get_term_end(on_date)
        if (
            self.term_months
            and term_end
            and on_date >= term_end - timedelta(days=self.notice_days)
        ):
            return "to_renew"
        return "running"

    def _terminate(self, date_end, reason):
        """End these contracts on ``date_end``, crediting what was billed after.

        Side effects: sets the end date and reason, posts a prorated credit note
        for the invoiced periods after ``date_end`` and shortens those periods.
        A suspension still running ends with the contract, and its days are
        credited too.

        :return: the credit notes (``account.move``)
        """
        credit_notes = self.env["account.move"]
        for contract in self:
            if contract.state not in (*BILLING_STATES, "suspended", "draft"):
                raise UserError(
                    self.env._(
                        "Contract %(contract)s cannot be terminated in state "
                        "%(state)s.",
                        contract=contract.display_name,
                        state=contract.state,
                    )
                )
            if date_end < contract.date_start - timedelta(days=1):
                raise UserError(
                    self.env._(
                        "Contract %(contract)s: the termination date %(date)s is "
                        "before its Start Date.",
                        contract=contract.display_name,
                        date=date_end,
                    )
                )
            contract._check_no_draft_invoice_after(date_end)
            suspension = contract.suspension_ids.filtered(lambda s: not s.date_end)
            if suspension and date_end < suspension.date_start:
                suspension.unlink()  # it would start after the end
            elif suspension:
                # suspended to the end: credit the suspended days now
                suspension.date_end = date_end
                credit_notes |= contract._credit_suspension(suspension)
            credit_notes |= contract._credit_periods_after(date_end)
            if date_end < contract.date_start:
                # it never started: nothing to bill at all
                contract.write(
                    {"date_terminated": date_end, "termination_reason": reason}
                )
                contract.state = "cancelled"
                contract.message_post(
                    body=self.env._(
                        "Terminated before its start: %(reason)s", reason=reason
                    )
                )
                continue
            contract.write(
                {
                    "date_end": date_end,
                    "date_terminated": date_end,
                    "termination_reason": reason,
                }
            )
            contract.line_ids.filtered(
                lambda line, day=date_end: line.date_start <= day
                and line.date_end
                and line.date_end > day
            ).date_end = date_end
            today = fields.Date.context_today(contract)
            if contract.state == "draft":
                contract.state = "cancelled"
            elif date_end < today:
                contract.state = "closed"
            contract.message_post(
                body=self.env._(
                    "Terminated on %(date)s: %(reason)s",
                    date=date_end,
                    reason=reason,
                )
            )
        return credit_notes

    def _check_no_draft_invoice_after(self, date_end):
        """Raise a UserError if a draft invoice bills days after ``date_end``.

        A termination credits posted invoices only; a draft waiting for review
        would bill the days after the end once posted, with nothing to credit
        them.
        """
        self.ensure_one()
        drafts = (
            self.env["zeron.contract.period"]
            .sudo()
            .search(
                [
                    ("contract_id", "=", self.id),
                    ("date_end", ">", date_end),
                    ("invoice_line_id.parent_state", "=", "draft"),
                ]
            )
            .invoice_id
        )
        if drafts:
            raise UserError(
                self.env._(
                    "Contract %(contract)s: the draft invoices %(invoices)s bill "
                    "days after %(date)s. Post them (the termination then "
                    "credits those days) or delete them before terminating.",
                    contract=self.display_name,
                    invoices=", ".join(drafts.mapped("display_name")),
                    date=format_date(self.env, date_end),
                )
            )

    def _credit_periods_after(self, date_end):
        """Credit the invoiced days after ``date_end``; return the credit note.

        Side effects: posts the credit note (see :meth:`_credit_periods`) and
        shortens or removes the periods after ``date_end``, the days carried
        over to a successor line included.
        """
        self.ensure_one()
        # periods are written by the engine only (clerks may read them)
        periods = (
            self.env["zeron.contract.period"]
            .sudo()
            .search(
                [
                    ("contract_id", "=", self.id),
                    ("date_end", ">", date_end),
                    ("period_type", "in", (*MONEY_TYPES, "carried")),
                ]
            )
        )
        booked = periods.filtered(
            lambda p: p.period_type in MONEY_TYPES
            and p.invoice_line_id.parent_state == "posted"
        )
        day_after = date_end + timedelta(days=1)
        credit_note = self._credit_periods(
            [(p, max(p.date_start, day_after), p.date_end) for p in booked]
        )
        to_cut = booked | periods.filtered(lambda p: p.period_type == "carried")
        to_cut.filtered(lambda p: p.date_start > date_end).unlink()
        to_cut.exists().date_end = date_end
        return credit_note

    def _credit_suspension(self, suspension):
        """Credit the days of an ended ``suspension`` that were invoiced already.

        Periods invoiced afterwards leave them out (see
        :meth:`_get_billed_share`). Each credited span is recorded as a
        suspension credit period, so it is deducted when the days are credited
        again (a termination).

        :param suspension: an ended ``zeron.contract.suspension`` of this
            contract
        :return: the credit note (``account.move``), or an empty recordset
        """
        self.ensure_one()
        periods = (
            self.env["zeron.contract.period"]
            .sudo()
            .search(
                [
                    ("contract_id", "=", self.id),
                    ("period_type", "in", ("invoice", "adjustment")),
                    ("date_start", "<=", suspension.date_end),
                    ("date_end", ">=", suspension.date_start),
                    ("invoice_line_id.parent_state", "=", "posted"),
                ]
            )
        )
        spans = [
            (
                period,
                max(period.date_start, suspension.date_start),
                min(period.date_end, suspension.date_end),
            )
            for period in periods
        ]
        return self._credit_periods(spans, suspension=suspension)

    def _credit_periods(self, spans, suspension=None):
        """Credit days of billed periods at the price they were billed at.

        The one prorated credit of the engine, for terminations and
        suspensions. Each span is credited as the same share of its period's
        invoice line as its days are of the period's; a period that credited
        the customer (an adjustment or a suspension credit on a credit note)
        is deducted the same way.

        Side effects: posts one credit note; with ``suspension``, records each
        credited span as a suspension credit period of the period it credits.

        :param list spans: ``(period, first, last)`` tuples: a
            ``zeron.contract.period`` with a posted invoice line, and the
            first and last days of it to credit
        :param suspension: the ``zeron.contract.suspension`` being credited
        :return: the credit note (``account.move``), or an empty recordset if
            nothing is to be credited
        """
        self.ensure_one()
        credited = []
        for period, first, last in spans:
            vals = self._prepare_credit_line_values(period, first, last, suspension)
            if vals:
                credited.append((period, first, last, vals))
        credit_note = self._post_credit_note([vals for *_span, vals in credited])
        if credit_note and suspension:
            self._record_credit_note_periods(
                credit_note,
                [
                    {
                        "line_id": period.line_id.id,
                        "date_start": first,
                        "date_end": last,
                        "period_type": "credit",
                        "origin_period_id": period.id,
                    }
                    for period, first, last, _vals in credited
                ],
            )
        return credit_note

    def _credit_adjustments(self, carried):
        """Credit the adjustments of these carried-over periods, which cost less.

        Side effects: posts one credit note, and records each of its lines as
        the adjustment of its carried-over period, which is then settled.

        :param carried: carried-over ``zeron.contract.period`` of this
            contract with a negative adjustment amount
        :return: the credit note (``account.move``)
        """
        self.ensure_one()
        journal = self._get_invoice_journal()
        credit_note = self._post_credit_note(
            [
                period.line_id._prepare_adjustment_line(period, journal, refund=True)
                for period in carried
            ]
        )
        if credit_note:
            self._record_credit_note_periods(
                credit_note,
                [
                    {
                        "line_id": period.line_id.id,
                        "date_start": period.date_start,
                        "date_end": period.date_end,
                        "period_type": "adjustment",
                        "origin_period_id": period.id,
                    }
                    for period in carried
                ],
            )
        return credit_note

    def _get_unbilled_days(self, period, first, last, current=None):
        """Return the days from ``first`` to ``last`` that ``period`` did not bill.

        An invoice or adjustment leaves out the days of the suspensions ended
        when it was made (see :meth:`_get_billed_share`); the days of a later
        suspension it billed, and they are credited from it (a suspension
        credit period) when that suspension ends.

        :param period: a billed ``zeron.contract.period``
        :param current: the ``zeron.contract.suspension`` being credited now,
            whose days were billed
        :return: a number of days
        """
        self.ensure_one()
        if period.period_type not in ("invoice", "adjustment"):
            return 0
        credit_periods = period.derived_period_ids.filtered(
            lambda p: p.period_type == "credit"
        )
        days = 0
        others = self.suspension_ids - current if current else self.suspension_ids
        for suspension in others:
            if not suspension.date_end:
                continue  # nothing is invoiced while it runs
            low = max(suspension.date_start, period.date_start)
            high = min(suspension.date_end, period.date_end)
            if low > high or any(
                c.date_start <= high and c.date_end >= low for c in credit_periods
            ):
                continue
            low, high = max(low, first), min(high, last)
            if low <= high:
                days += days_between(low, high)
        return days

    def _prepare_credit_line_values(self, period, first, last, suspension=None):
        """Return the credit note line crediting ``first`` to ``last`` of ``period``.

        :param period: a ``zeron.contract.period`` with a posted invoice line
        :param suspension: the ``zeron.contract.suspension`` being credited
        :return: vals dict for ``account.move.line``, or ``None`` when the
            period billed none of these days
        """
        self.ensure_one()
        days = days_between(first, last) - self._get_unbilled_days(
            period, first, last, suspension
        )
        billed = days_between(
            period.date_start, period.date_end
        ) - self._get_unbilled_days(
            period, period.date_start, period.date_end, suspension
        )
        if days <= 0 or billed <= 0:
            return None
        invoice_line = period.invoice_line_id
        price_unit = prorated_price(
            invoice_line.price_unit,
            days / billed,
            self.env["decimal.precision"].precision_get("Product Price"),
        )
        lang = self.partner_invoice_id.lang or self.env.lang
        start = format_date(self.env, first, lang_code=lang)
        end = format_date(self.env, last, lang_code=lang)
        if invoice_line.move_id.move_type == "out_refund":
            # credited already: deducted from this credit
            price_unit = -price_unit
            name = self.env._(
                "%(description)s\nCredited before: %(start)s - %(end)s",
                description=period.line_id.name,
                start=start,
                end=end,
            )
        else:
            name = self.env._(
                "%(description)s\nCredited: %(start)s - %(end)s",
                description=period.line_id.name,
                start=start,
                end=end,
            )
        return {
            "product_id": invoice_line.product_id.id,
            "name": name,
            "quantity": invoice_line.quantity,
            "product_uom_id": invoice_line.product_uom_id.id,
            "price_unit": price_unit,
            "discount": invoice_line.discount,
            "tax_ids": [fields.Command.set(invoice_line.tax_ids.ids)],
            "account_id": invoice_line.account_id.id,
            "analytic_distribution": invoice_line.analytic_distribution,
            "zeron_period_start": first,
            "zeron_period_end": last,
        }

    def _post_credit_note(self, line_vals_list):
        """Create and post this contract's credit note with these lines.

        Side effect: posts the credit note, dated today.

        :param list line_vals_list: vals dicts for ``account.move.line``
        :return: the credit note (``account.move``), or an empty recordset
            when the lines credit nothing in all
        """
        self.ensure_one()
        total = sum(
            vals["quantity"]
            * vals["price_unit"]
            * (1 - vals.get("discount", 0.0) / 100.0)
            for vals in line_vals_list
        )
        if self.currency_id.compare_amounts(total, 0.0) <= 0:
            return self.env["account.move"]
        journal = self._get_invoice_journal()
        vals = self._prepare_invoice(fields.Date.context_today(self), journal)
        vals["move_type"] = "out_refund"
        vals["invoice_line_ids"] = [
            fields.Command.create(line_vals) for line_vals in line_vals_list
        ]
        credit_note = self.env["account.move"].create(vals)
        credit_note.action_post()
        return credit_note

    def _record_credit_note_periods(self, credit_note, vals_list):
        """Record the periods ``credit_note`` credits, one per line, in order.

        :param list vals_list: vals dicts for ``zeron.contract.period``
            without their ``invoice_line_id``, in the order of the lines
        """
        lines = credit_note.invoice_line_ids.sorted("id")
        # periods are written by the engine only (clerks may read them)
        self.env["zeron.contract.period"].sudo().create(
            [
                dict(vals, invoice_line_id=line.id)
                for vals, line in zip(vals_list, lines, strict=True)
            ]
        )

    # === CRON METHODS === #

    @api.model
    def _cron_update_states(self):
        """Move contracts to renew, renewed and expired as their terms pass."""
        contracts = self.search(
            [("state", "in", BILLING_STATES), ("date_start", "!=", False)]
        )
        changed = 0
        for company, company_contracts in contracts.grouped("company_id").items():
            today = self._get_today(company)
            for contract in company_contracts:
                state = contract._get_state_on(today)
                if state != contract.state:
                    contract.state = state
                    changed += 1
        _logger.info("Zeron contract states: %s contracts changed state", changed)
        return changed

    @api.model
    def _cron_create_invoices(self):
        companies = self.env["res.company"]._zeron_get_cron_companies()
        return self.with_context(
            allowed_company_ids=companies.ids
        )._invoice_due_contracts(company_ids=companies.ids, auto_commit=True)
