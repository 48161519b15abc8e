import logging
import threading
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import format_date, formatLang, split_every

from ..tools.locking import lock_skip_locked

_logger = logging.getLogger(__name__)

#: contracts handled per transaction by the notice runs
NOTICE_BATCH_SIZE = 100

#: notice kinds: (mail template, SMS template) xmlids
NOTICE_TEMPLATES = {
    "expiry": (
        "zeron_subscription.mail_template_contract_expiry",
        "zeron_subscription.sms_template_contract_expiry",
    ),
    "price": (
        "zeron_subscription.mail_template_contract_price",
        "zeron_subscription.sms_template_contract_price",
    ),
    "currency": (
        "zeron_subscription.mail_template_contract_currency",
        "zeron_subscription.sms_template_contract_currency",
    ),
}


class ZeronContract(models.Model):
    """Customer notices, document delivery and the portal for contracts."""

    _name = "zeron.contract"
    _inherit = ["zeron.contract", "portal.mixin"]

    invoicing_mode = fields.Selection(
        selection=[("auto", "Automatic"), ("manual", "Manual")],
        default="auto",
        required=True,
        tracking=True,
        help="Manual: the scheduled run leaves the contract alone, and its "
        "responsible user gets a reminder activity when a period is due.",
    )
    notice_by_email = fields.Boolean(
        string="Warn by Email",
        compute="_compute_notice_channels",
        store=True,
        readonly=False,
        precompute=True,
    )
    notice_by_sms = fields.Boolean(
        string="Warn by SMS",
        compute="_compute_notice_channels",
        store=True,
        readonly=False,
        precompute=True,
    )
    notice_by_letter = fields.Boolean(
        string="Warn by Letter",
        compute="_compute_notice_channels",
        store=True,
        readonly=False,
        precompute=True,
    )
    expiry_warning = fields.Boolean(
        string="Expiry Warnings",
        default=True,
        help="Warn the customer before the end of each term, on the schedule of "
        "Subscriptions > Configuration > Expiry Warning Stages.",
    )
    notice_ids = fields.One2many(
        comodel_name="zeron.contract.notice",
        inverse_name="contract_id",
        string="Notices",
        readonly=True,
    )
    notice_count = fields.Integer(compute="_compute_notice_count")
    invoice_notice_date = fields.Date(
        string="Invoicing Announced For",
        readonly=True,
        copy=False,
        help="Next invoice date the responsible user was last told about.",
    )
    # the date and kind of the notice being rendered, given by the context
    notice_reference_date = fields.Date(compute="_compute_notice_context")
    notice_kind = fields.Selection(
        selection="_get_notice_kinds",
        compute="_compute_notice_context",
    )
    notice_term_end = fields.Date(compute="_compute_notice_context")

    # === COMPUTE METHODS === #

    @api.model
    def _get_notice_kinds(self):
        return self.env["zeron.contract.notice"]._fields["kind"].selection

    @api.depends("invoice_delivery")
    def _compute_notice_channels(self):
        for contract in self:
            contract.notice_by_email = contract.invoice_delivery == "email"
            contract.notice_by_letter = contract.invoice_delivery == "post"
            contract.notice_by_sms = contract.notice_by_sms or False

    def _compute_notice_count(self):
        counts = dict(
            self.env["zeron.contract.notice"]._read_group(
                [("contract_id", "in", self.ids)],
                groupby=["contract_id"],
                aggregates=["__count"],
            )
        )
        for contract in self:
            contract.notice_count = counts.get(contract, 0)

    @api.depends_context("zeron_notice_date", "zeron_notice_kind")
    def _compute_notice_context(self):
        day = fields.Date.to_date(self.env.context.get("zeron_notice_date"))
        kind = self.env.context.get("zeron_notice_kind") or False
        for contract in self:
            contract.notice_reference_date = day
            contract.notice_kind = kind
            contract.notice_term_end = contract._get_term_end(day) if day else False

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for contract in self:
            contract.access_url = "/my/contracts/%s" % contract.id
        return res

    # === ACTION METHODS === #

    def action_view_notices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "zeron_subscription.zeron_contract_notice_action"
        )
        action["domain"] = [("contract_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def action_send_expiry_warning(self):
        """Send the expiry warning due today now, as the daily run would."""
        today = fields.Date.context_today(self)
        result = self._send_expiry_warnings(today)
        if not result["sent"] and not result["failed"]:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "info",
                    "message": self.env._("No expiry warning is due today."),
                },
            }
        return True

    # === BUSINESS METHODS: NOTICES === #

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Contract %(name)s", name=self.name)

    def _get_expiry_reference_date(self, on_date):
        """Return the day the expiry warnings of this contract count down to.

        The end of the term that runs on ``on_date``; for a tacitly renewing
        contract with a notice period, the last day to cancel it.

        :param date on_date: the day of the warning run
        :return: a date, or ``False`` when the contract never expires
        """
        self.ensure_one()
        term_end = self._get_term_end(on_date)
        notice_days = self["notice_days"] if "notice_days" in self._fields else 0
        if term_end and self.renewal_type == "tacit" and notice_days:
            deadline = term_end - timedelta(days=notice_days)
            # past this term's deadline, the next term's one counts
            if deadline < on_date:
                return self._get_expiry_reference_date(term_end + timedelta(days=1))
            return deadline
        return term_end

    def _get_notice_offer_values(self):
        """Return the offer that goes out with the notice being rendered.

        Hook for other modules, for example a renewal quotation sent with an
        expiry warning: the notice mail templates show it when there is one.
        The notice's kind and date are in ``notice_kind`` and
        ``notice_reference_date`` (set by :meth:`_send_notice`).

        :return: dict of texts ``name``, ``url``, ``amount`` and ``date`` (the
            last day to accept), or an empty dict when nothing is offered
        """
        self.ensure_one()
        return {}

    def _get_notice_channels(self):
        """Return the channels of this contract's notices, in sending order.

        :return: list of ``email``, ``sms`` and ``letter``
        """
        self.ensure_one()
        channels = []
        if self.notice_by_email:
            channels.append("email")
        if self.notice_by_sms:
            channels.append("sms")
        if self.notice_by_letter:
            channels.append("letter")
        return channels

    @api.model
    def _get_expiry_warning_domain(self):
        """Return the domain of the contracts that may get expiry warnings."""
        return [
            ("state", "=", "running"),
            ("expiry_warning", "=", True),
            "|",
            ("date_end", "!=", False),
            ("term_months", ">", 0),
        ]

    def _get_due_expiry_stage(self, on_date, stages):
        """Return the expiry stage due on ``on_date`` and its reference date.

        Only the closest stage counts: a contract entered 20 days before its
        end gets the 30-day warning, never the 60-day one as well.

        :param stages: ``zeron.expiry.stage`` records, fewest days first
        :return: tuple (stage or ``None``, reference date or ``False``)
        """
        self.ensure_one()
        reference = self._get_expiry_reference_date(on_date)
        if not reference or reference < on_date:
            return None, reference
        for stage in stages:
            if reference - timedelta(days=stage.days_before) <= on_date:
                return stage, reference
        return None, reference

    def _lock_for_notices(self):
        """Lock these contracts; return those no other transaction holds."""
        if not self:
            return self
        return self.browse(
            lock_skip_locked(
                self.env.cr,
                "SELECT id FROM zeron_contract WHERE id IN %s FOR UPDATE SKIP LOCKED",
                [tuple(self.ids)],
            )
        )

    def _send_notice(self, kind, key, reference_date, stage=None):
        """Send one notice of this contract by each of its channels, and log it.

        A channel that cannot reach the customer (no email address, no mobile
        number) is recorded as failed; the other channels still go out.
        Side effects: posts the email and SMS on the chatter, adds letters to
        the open letter batch, creates a ``zeron.contract.notice``.

        :param str kind: ``expiry``, ``price`` or ``currency``
        :param str key: identifies the notice among those of the contract
        :param date reference_date: the date the notice announces
        :param stage: the ``zeron.expiry.stage`` of an expiry warning
        :return: the ``zeron.contract.notice`` record
        """
        self.ensure_one()
        contract = self.with_context(
            zeron_notice_date=reference_date, zeron_notice_kind=kind
        )
        sent, errors = [], []
        letter = self.env["zeron.letter"]
        labels = dict(self.env["zeron.contract.notice"]._get_channel_selection())
        for channel in self._get_notice_channels():
            if channel == "letter":
                letter = contract._queue_notice_letter(kind, reference_date, stage)
                sent.append(channel)
                continue
            error = getattr(contract, "_send_notice_by_%s" % channel)(kind)
            if error:
                errors.append("%s: %s" % (labels[channel], error))
            else:
                sent.append(channel)
        notice = self.env["zeron.contract.notice"].create(
            {
                "contract_id": self.id,
                "kind": kind,
                "key": key,
                "stage_id": stage.id if stage else False,
                "reference_date": reference_date,
                "channels": ",".join(sent),
                "state": "failed" if errors and not sent else "sent",
                "error": "\n".join(errors) or False,
                "letter_id": letter.id,
            }
        )
        notice._post_on_contract()
        return notice

    def _send_notice_by_email(self, kind):
        """Post the notice email to the invoice address; return an error or None."""
        self.ensure_one()
        partner = self.partner_invoice_id
        if not partner.email:
            return self.env._(
                "customer %(partner)s has no email address", partner=partner.name
            )
        template = self.env.ref(NOTICE_TEMPLATES[kind][0])
        self.message_post_with_source(
            template,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return None

    def _send_notice_by_sms(self, kind):
        """Queue the notice SMS to the invoice address; return an error or None."""
        self.ensure_one()
        partner = self.partner_invoice_id
        number = partner.mobile or partner.phone
        if not number:
            return self.env._(
                "customer %(partner)s has no mobile number", partner=partner.name
            )
        number = partner._phone_format(number=number) or number
        template = self.env.ref(NOTICE_TEMPLATES[kind][1])
        # queued, not sent now: the SMS cron sends them through IAP
        self._message_sms_with_template(
            template=template,
            partner_ids=partner.ids,
            sms_pid_to_number={partner.id: number},
            put_in_queue=True,
        )
        return None

    def _queue_notice_letter(self, kind, reference_date, stage=None):
        """Add the notice letter to the company's open letter batch."""
        self.ensure_one()
        batch = self.env["zeron.letter.batch"]._get_open_batch(self.company_id)
        return self.env["zeron.letter"].create(
            {
                "batch_id": batch.id,
                "kind": kind,
                "contract_id": self.id,
                "partner_id": self.partner_invoice_id.id,
                "reference_date": reference_date,
                "stage_id": stage.id if stage else False,
            }
        )

    def _announce(self, kind, reference_date):
        """Announce a price revision or a currency changeover to the customers.

        Each contract is told once per kind and date, by its notice channels.

        :param str kind: ``price`` or ``currency``
        :param date reference_date: the day the change takes effect
        :return: the ``zeron.contract.notice`` records created
        """
        notices = self.env["zeron.contract.notice"]
        key = "%s:%s" % (kind, reference_date)
        for contract in self._lock_for_notices():
            if contract.notice_ids.filtered(lambda n, key=key: n.key == key):
                continue
            try:
                with self.env.cr.savepoint():
                    notices |= contract._send_notice(kind, key, reference_date)
            except Exception as error:  # noqa: BLE001 - logged on the contract
                _logger.exception("Announcement to contract %s failed", contract.id)
                contract.message_post(
                    body=self.env._(
                        "The announcement could not be sent: %(error)s", error=error
                    )
                )
        return notices

    def _send_expiry_warnings(self, date_ref=None, auto_commit=False, batch_size=None):
        """Send the expiry warnings due on ``date_ref`` (these contracts or all).

        :return: dict of counts ``sent``, ``skipped``, ``failed``
        """
        result = {"sent": 0, "skipped": 0, "failed": 0}
        batch_size = batch_size or NOTICE_BATCH_SIZE
        contracts = self or self.search(self._get_expiry_warning_domain(), order="id")
        stages_all = self.env["zeron.expiry.stage"].search([], order="days_before, id")
        done = 0
        for company, company_contracts in contracts.grouped("company_id").items():
            company_contracts = company_contracts.with_company(company)
            day = fields.Date.to_date(date_ref) or self._get_today(company)
            stages = stages_all.filtered(
                lambda s, company=company: not s.company_id or s.company_id == company
            )
            for batch_ids in split_every(batch_size, company_contracts.ids):
                batch = company_contracts.browse(batch_ids)
                locked = batch._lock_for_notices()
                result["skipped"] += len(batch) - len(locked)
                for contract in locked:
                    result[contract._send_due_expiry_warning(day, stages)] += 1
                done += len(batch)
                self.env["ir.cron"]._notify_progress(
                    done=done, remaining=len(contracts) - done
                )
                if auto_commit:
                    self._commit_notices()
        _logger.info(
            "Zeron expiry warnings: %(sent)s sent, %(skipped)s contracts skipped, "
            "%(failed)s failed",
            result,
        )
        return result

    def _send_due_expiry_warning(self, day, stages):
        """Send this contract's due expiry warning; return the count to bump."""
        self.ensure_one()
        stage, reference = self._get_due_expiry_stage(day, stages)
        if not stage:
            return "skipped"
        key = "expiry:%s:%s" % (stage.id, reference)
        if self.notice_ids.filtered(lambda n: n.key == key):
            return "skipped"
        try:
            with self.env.cr.savepoint():
                notice = self._send_notice("expiry", key, reference, stage=stage)
        except Exception as error:  # noqa: BLE001 - logged on the contract
            _logger.exception("Expiry warning of contract %s failed", self.id)
            self.message_post(
                body=self.env._(
                    "The expiry warning could not be sent: %(error)s", error=error
                )
            )
            return "failed"
        return "failed" if notice.state == "failed" else "sent"

    def _commit_notices(self):
        # Commit per batch in the scheduled run, so what was sent is recorded
        # even if a later batch crashes; never in tests.
        if not getattr(threading.current_thread(), "testing", False):
            self.env.cr.commit()  # pylint: disable=invalid-commit
        self.env.invalidate_all()

    # === BUSINESS METHODS: INVOICING DIGEST === #

    @api.model
    def _get_invoicing_notice_lines_domain(self, company, horizon):
        """Return the domain of the contract lines due by ``horizon``.

        :param company: the ``res.company`` of the run
        :param date horizon: the last next-invoice date announced
        :return: a domain on ``zeron.contract.line``
        """
        return [
            ("company_id", "=", company.id),
            ("contract_id.state", "=", "running"),
            ("next_invoice_date", "!=", False),
            ("next_invoice_date", "<=", horizon),
        ]

    def _prepare_invoicing_notice_rows(self):
        """Return the digest rows of this contract's lines due by its next date.

        :return: list of dicts with ``contract``, ``partner``, ``line``,
            ``period_start``, ``period_end``, ``invoice_date``, ``amount`` (text)
            and ``problems`` (list of texts)
        """
        self.ensure_one()
        journal = self._get_invoice_journal()
        lang = self.user_id.lang or self.env.lang
        rows = []
        lines = self.line_ids.filtered(
            lambda line: line.next_invoice_date
            and line.next_invoice_date == self.next_invoice_date
        )
        for line in lines:
            # due first: the adjustment of a change inside an invoiced period
            adjustments = line._get_adjustments_to_invoice(line.next_invoice_date)
            period = adjustments[0] if adjustments else line._get_next_period()
            amount = (
                adjustments[0].carried.adjustment_amount
                if adjustments
                else line.price_subtotal
            )
            problems = []
            if not line.price_unit:
                problems.append(self.env._("no price"))
            if not journal:
                problems.append(self.env._("no sales journal"))
            elif not line._get_income_account(journal):
                problems.append(self.env._("no income account"))
            billing_end = line._get_billing_end()
            if billing_end and billing_end <= period.date_end:
                problems.append(
                    self.env._(
                        "the line ends on %(date)s",
                        date=format_date(self.env, billing_end, lang_code=lang),
                    )
                )
            rows.append(
                {
                    "contract": self,
                    "partner": self.partner_id,
                    "line": line,
                    "period_start": format_date(
                        self.env, period.date_start, lang_code=lang
                    ),
                    "period_end": format_date(
                        self.env, period.date_end, lang_code=lang
                    ),
                    "invoice_date": format_date(
                        self.env, line.next_invoice_date, lang_code=lang
                    ),
                    "amount": formatLang(
                        self.with_context(lang=lang).env,
                        amount,
                        currency_obj=self.currency_id,
                    ),
                    "problems": problems,
                }
            )
        return rows

    def _schedule_invoicing_activity(self, rows):
        """Give the responsible user an activity for this contract's due lines."""
        self.ensure_one()
        lang = self.user_id.lang or self.env.lang
        env = self.with_context(lang=lang).env
        if self.invoicing_mode == "manual":
            summary = env._(
                "Invoice manually: %(customer)s", customer=self.partner_id.name
            )
        else:
            summary = env._(
                "Invoicing due: %(customer)s", customer=self.partner_id.name
            )
        items = Markup("").join(
            Markup("<li>%s: %s – %s, %s%s</li>")
            % (
                row["line"].product_id.display_name,
                row["period_start"],
                row["period_end"],
                row["amount"],
                Markup(" <b>(%s)</b>") % ", ".join(row["problems"])
                if row["problems"]
                else "",
            )
            for row in rows
        )
        note = Markup("<p>%s</p><ul>%s</ul>") % (
            env._(
                "Customer %(customer)s, contract %(contract)s:",
                customer=self.partner_id.name,
                contract=self.name,
            ),
            items,
        )
        # no assignment email: the digest tells the user about all of them
        self.with_context(mail_activity_quick_update=True).activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=self.next_invoice_date,
            summary=summary,
            note=note,
            user_id=self.user_id.id,
        )

    def _send_invoicing_digest(self, user, rows):
        """Queue the digest email of ``rows`` to ``user``; return the mail or None."""
        if not user.email:
            _logger.warning(
                "Zeron invoicing digest: user %s has no email address", user.id
            )
            return None
        lang = user.lang or self.env.lang
        env = self.with_context(lang=lang).env
        body = env["ir.qweb"]._render(
            "zeron_subscription.zeron_invoicing_digest_mail",
            {"user": user, "rows": rows, "company": self.env.company},
        )
        return (
            self.env["mail.mail"]
            .sudo()
            .create(
                {
                    "subject": env._(
                        "Subscriptions to invoice: %(count)s contracts",
                        count=len({row["contract"] for row in rows}),
                    ),
                    "body_html": body,
                    "email_from": self.env.company.email_formatted
                    or user.email_formatted,
                    "email_to": user.email_formatted,
                    "recipient_ids": [fields.Command.link(user.partner_id.id)],
                    "auto_delete": True,
                }
            )
        )

    def _send_invoicing_notices(self, date_ref=None, auto_commit=False):
        """Tell responsible users, once per due date, what must be invoiced.

        One digest email per user and run, and one activity per contract.

        :return: dict of counts ``contracts``, ``digests``, ``skipped``, ``failed``
        """
        result = {"contracts": 0, "digests": 0, "skipped": 0, "failed": 0}
        for company in self.env.companies:
            contracts_model = self.with_company(company)
            day = fields.Date.to_date(date_ref) or self._get_today(company)
            horizon = day + timedelta(days=company.zeron_invoice_notice_days)
            lines = self.env["zeron.contract.line"].search(
                self._get_invoicing_notice_lines_domain(company, horizon)
            )
            contracts = contracts_model.browse(lines.contract_id.ids).filtered(
                lambda c: c.invoice_notice_date != c.next_invoice_date
            )
            unassigned = contracts.filtered(lambda c: not c.user_id)
            result["skipped"] += len(unassigned)
            for user, user_contracts in (
                (contracts - unassigned).grouped("user_id").items()
            ):
                for batch_ids in split_every(NOTICE_BATCH_SIZE, user_contracts.ids):
                    counts = contracts_model.browse(batch_ids)._notify_user_batch(user)
                    for key, count in counts.items():
                        result[key] += count
                    if auto_commit:
                        self._commit_notices()
        _logger.info(
            "Zeron invoicing notices: %(contracts)s contracts announced in "
            "%(digests)s digests, %(skipped)s skipped, %(failed)s failed",
            result,
        )
        return result

    def _notify_user_batch(self, user):
        counts = {"contracts": 0, "digests": 0, "skipped": 0, "failed": 0}
        locked = self._lock_for_notices()
        counts["skipped"] += len(self) - len(locked)
        rows = []
        for contract in locked:
            try:
                with self.env.cr.savepoint():
                    contract_rows = contract._prepare_invoicing_notice_rows()
                    contract._schedule_invoicing_activity(contract_rows)
                    contract.invoice_notice_date = contract.next_invoice_date
            except Exception:  # noqa: BLE001 - logged, the digest goes on
                _logger.exception("Invoicing notice of contract %s failed", contract.id)
                counts["failed"] += 1
                continue
            rows += contract_rows
            counts["contracts"] += 1
        if rows and self._send_invoicing_digest(user, rows):
            counts["digests"] += 1
        return counts

    # === CRON METHODS === #

    @api.model
    def _cron_send_expiry_warnings(self):
        companies = self.env["res.company"]._zeron_get_cron_companies()
        return (
            self.with_context(allowed_company_ids=companies.ids)
            .search(self._get_expiry_warning_domain(), order="id")
            ._send_expiry_warnings(auto_commit=True)
        )

    @api.model
    def _cron_send_invoicing_notices(self):
        companies = self.env["res.company"]._zeron_get_cron_companies()
        return self.with_context(
            allowed_company_ids=companies.ids
        )._send_invoicing_notices(auto_commit=True)
