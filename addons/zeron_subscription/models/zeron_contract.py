import logging
import threading
from datetime import date, timedelta

import psycopg2
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import mute_logger, split_every

from ..tools.periods import (
    add_months_plain,
    days_between,
    prorated_price,
    today_in_tz,
)
from .res_company import PRORATION_POLICIES

_logger = logging.getLogger(__name__)

#: contracts invoiced per transaction by the scheduled run
INVOICING_BATCH_SIZE = 200
#: first key of the advisory lock that one invoicing run per company holds
INVOICING_LOCK_KEY = 0x5A45524F  # "ZERO"
#: states in which a contract bills its lines
BILLING_STATES = ("running", "to_renew")


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
    invoice_ids = fields.One2many(
        comodel_name="account.move",
        inverse_name="zeron_contract_id",
        string="Invoices",
        readonly=True,
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
        "line_ids.next_invoice_date",
    )
    def _compute_next_invoice_date(self):
        for contract in self:
            dates = [d for d in contract.line_ids.mapped("next_invoice_date") if d]
            contract.next_invoice_date = (
                min(dates) if contract.state in BILLING_STATES and dates else False
            )

    def _compute_invoice_count(self):
        counts = dict(
            self.env["account.move"]._read_group(
                [("zeron_contract_id", "in", self.ids)],
                groupby=["zeron_contract_id"],
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
        """Suspend these contracts from ``date_from`` (default: today)."""
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
        self.env["zeron.contract.suspension"].create(
            [{"contract_id": c.id, "date_start": date_from} for c in self]
        )
        self.state = "suspended"
        return True

    def action_resume(self, date_to=None):
        """Resume these suspended contracts on ``date_to`` (default: today)."""
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
        self.state = "running"
        return True

    def action_draft(self):
        self.filtered(lambda c: c.state == "cancelled").state = "draft"

    def action_create_invoices(self):
        """Invoice the due lines of these contracts now, as the daily run would."""
        contracts = self.filtered(lambda c: c.state in BILLING_STATES)
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
        action["domain"] = [("zeron_contract_id", "in", self.ids)]
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
            ("state", "in", BILLING_STATES),
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
        for line in self.line_ids:
            for period in line._get_periods_to_invoice(date_ref):
                invoice_vals["invoice_line_ids"].append(
                    fields.Command.create(
                        line._prepare_invoice_line(period, journal=journal)
                    )
                )
        return invoice_vals if invoice_vals["invoice_line_ids"] else None

    def _lock_for_invoicing(self, date_ref):
        """Lock these contracts and return those still due and not locked.

        ``SKIP LOCKED`` leaves the contracts another transaction is invoicing
        to that transaction, so two workers never bill the same period.
        """
        if not self:
            return self
        self.flush_model(["state", "next_invoice_date"])
        self.env.cr.execute(
            """
            SELECT id FROM zeron_contract
             WHERE id IN %s AND state IN %s AND next_invoice_date <= %s
               FOR UPDATE SKIP LOCKED
            """,
            [tuple(self.ids), BILLING_STATES, date_ref],
        )
        return self.browse(sorted(row[0] for row in self.env.cr.fetchall()))

    def _run_invoicing(self, date_ref, auto_commit=False, batch_size=None):
        """Invoice the due lines of these contracts on ``date_ref``.

        One posted invoice per contract. Contracts are taken in batches, each
        locked first; with ``auto_commit`` each batch is committed. A contract
        that fails is rolled back alone, flagged and given an activity.

        :return: dict of counts ``created``, ``skipped``, ``failed``
        """
        result = {"created": 0, "skipped": 0, "failed": 0}
        batch_size = batch_size or INVOICING_BATCH_SIZE
        done = 0
        for company, contracts in self.grouped("company_id").items():
            contracts = contracts.with_company(company)
            for batch_ids in split_every(batch_size, contracts.ids):
                batch = contracts.browse(batch_ids)
                batch._lock_invoicing_run(company, auto_commit)
                locked = batch._lock_for_invoicing(date_ref)
                result["skipped"] += len(batch) - len(locked)
                counts = locked._invoice_batch(date_ref)
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

    def _lock_invoicing_run(self, company, auto_commit=False):
        """Hold the company's invoicing lock for the rest of this transaction.

        Two runs posting invoices at once in one journal would compute the same
        invoice numbers from their snapshots. So one run invoices a company at a
        time; one that had to wait starts over on a fresh snapshot, so it sees
        what the other invoiced: the scheduled run rolls back its (empty) batch
        transaction and tries again, a request is retried by Odoo.
        """
        cr = self.env.cr
        # branches post in their parent's journals: one lock for the whole tree
        key = [INVOICING_LOCK_KEY, (company.root_id or company).id]
        while True:
            cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", key)
            if cr.fetchone()[0]:
                return
            _logger.info("Waiting for another invoicing run of company %s", key[1])
            cr.execute("SELECT pg_advisory_xact_lock(%s, %s)", key)
            if not auto_commit or getattr(threading.current_thread(), "testing", False):
                self._raise_retry("another invoicing run of this company just ended")
            cr.rollback()  # releases the lock; nothing of this batch was written
            self.env.invalidate_all()

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

        The whole batch is created and posted at once; if that fails, each
        contract is retried alone under a savepoint, so only the faulty ones
        are left out.

        :return: dict of counts ``created``, ``skipped``, ``failed``
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
        contracts = self.browse([c.id for c in vals_by_contract])
        try:
            with self.env.cr.savepoint():
                contracts._create_invoices(list(vals_by_contract.values()))
            contracts.filtered("invoicing_error")._clear_invoicing_error()
            counts["created"] += len(contracts)
            return counts
        except Exception as error:  # noqa: BLE001 - retried one by one below
            self._reraise_concurrency_error(error)
            _logger.info(
                "Batch invoicing of %s contracts failed; retrying one by one",
                len(contracts),
            )
        for contract, vals in vals_by_contract.items():
            try:
                with self.env.cr.savepoint():
                    contract._create_invoices([vals])
                contract._clear_invoicing_error()
                counts["created"] += 1
            except Exception as error:  # noqa: BLE001 - logged and flagged
                self._reraise_concurrency_error(error)
                _logger.exception("Invoicing of contract %s failed", contract.id)
                contract._flag_invoicing_error(error)
                counts["failed"] += 1
        return counts

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
            .create(vals_list)
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
        to_post.with_context(tracking_disable=True).action_post()
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

    def _get_billed_share(self, period):
        """Return the share of ``period``'s days not suspended (1.0 if none)."""
        self.ensure_one()
        suspended = 0
        for suspension in self.suspension_ids:
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

    def _credit_periods_after(self, date_end):
        """Credit the invoiced days after ``date_end``; return the credit note."""
        self.ensure_one()
        periods = self.env["zeron.contract.period"].search(
            [
                ("contract_id", "=", self.id),
                ("date_end", ">", date_end),
                ("invoice_line_id.parent_state", "=", "posted"),
            ]
        )
        if not periods:
            return self.env["account.move"]
        journal = self._get_invoice_journal()
        vals = self._prepare_invoice(fields.Date.context_today(self), journal)
        vals["move_type"] = "out_refund"
        price_digits = self.env["decimal.precision"].precision_get("Product Price")
        for period in periods:
            invoice_line = period.invoice_line_id
            first = max(period.date_start, date_end + timedelta(days=1))
            share = days_between(first, period.date_end) / days_between(
                period.date_start, period.date_end
            )
            vals["invoice_line_ids"].append(
                fields.Command.create(
                    {
                        "product_id": invoice_line.product_id.id,
                        "name": self.env._(
                            "%(label)s\nCredited: %(start)s - %(end)s",
                            label=invoice_line.product_id.display_name,
                            start=first,
                            end=period.date_end,
                        ),
                        "quantity": invoice_line.quantity,
                        "product_uom_id": invoice_line.product_uom_id.id,
                        "price_unit": prorated_price(
                            invoice_line.price_unit, share, price_digits
                        ),
                        "discount": invoice_line.discount,
                        "tax_ids": [fields.Command.set(invoice_line.tax_ids.ids)],
                        "account_id": invoice_line.account_id.id,
                        "analytic_distribution": invoice_line.analytic_distribution,
                        "zeron_period_start": first,
                        "zeron_period_end": period.date_end,
                    }
                )
            )
        credit_note = self.env["account.move"].create(vals)
        credit_note.action_post()
        for period in periods:
            if period.date_start > date_end:
                period.unlink()
            else:
                period.date_end = date_end
        return credit_note

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
