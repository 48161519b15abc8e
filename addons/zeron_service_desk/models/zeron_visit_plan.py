import logging
import threading
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date, split_every

from odoo.addons.base.models.res_partner import _tz_get
from odoo.addons.zeron_subscription.models.zeron_contract import BILLING_STATES
from odoo.addons.zeron_subscription.tools.periods import add_months, today_in_tz

_logger = logging.getLogger(__name__)

#: visit plans handled per transaction by the scheduled run
VISIT_BATCH_SIZE = 100
#: months in one unit of a month-based visit rule
MONTHS = {"month": 1, "quarter": 3, "year": 12}


class ZeronVisitPlan(models.Model):
    """Recurring visits of a contract line, generated as planned service tasks."""

    _name = "zeron.visit.plan"
    _description = "Service Visit Plan"
    _order = "line_id, id"
    _check_company_auto = True

    name = fields.Char(required=True, help="Title of the generated tasks.")
    active = fields.Boolean(default=True)
    line_id = fields.Many2one(
        comodel_name="zeron.contract.line",
        string="Contract Line",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
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
    project_id = fields.Many2one(
        comodel_name="project.project",
        string="Service Project",
        required=True,
        domain="[('zeron_is_service', '=', True)]",
        check_company=True,
    )
    user_ids = fields.Many2many(
        comodel_name="res.users",
        string="Technicians",
        domain="[('share', '=', False)]",
    )
    interval_number = fields.Integer(string="Every", default=1, required=True)
    interval_type = fields.Selection(
        selection=[
            ("week", "Week(s)"),
            ("month", "Month(s)"),
            ("quarter", "Quarter(s)"),
            ("year", "Year(s)"),
        ],
        string="Unit",
        default="month",
        required=True,
    )
    date_first = fields.Date(string="First Visit", required=True)
    hour_start = fields.Float(
        string="Start Time",
        default=9.0,
        help="Local start time of each visit, in the plan's time zone.",
    )
    duration = fields.Float(default=1.0, help="Length of each visit, in hours.")
    tz = fields.Selection(
        selection=_tz_get,
        string="Time Zone",
        required=True,
        default=lambda self: self._default_tz(),
    )
    lead_days = fields.Integer(
        string="Plan Ahead (Days)",
        default=30,
        help="Visits are generated this many days before they take place.",
    )
    visit_count = fields.Integer(
        string="Visits Generated",
        readonly=True,
        copy=False,
        help="Number of visits generated so far, with the visits skipped on "
        "days the contract was not in force (a suspension); the next one is "
        "counted from the first visit.",
    )
    date_next = fields.Date(
        string="Next Visit",
        compute="_compute_date_next",
        store=True,
        index=True,
    )
    generation_error = fields.Text(
        readonly=True,
        copy=False,
        help="Why the last scheduled run could not generate the visits.",
    )
    task_ids = fields.One2many(
        comodel_name="project.task",
        inverse_name="zeron_visit_plan_id",
        string="Visits",
    )

    # === DEFAULT METHODS === #

    def _default_tz(self):
        return self.env.user.tz or self.env.company.partner_id.tz or "UTC"

    # === COMPUTE METHODS === #

    @api.depends(
        "date_first",
        "interval_number",
        "interval_type",
        "visit_count",
        "line_id.date_end",
        "line_id.contract_id.date_end",
        "line_id.contract_id.term_months",
        "line_id.contract_id.renewal_type",
    )
    def _compute_date_next(self):
        for plan in self:
            if not plan.date_first or plan.interval_number < 1:
                plan.date_next = False
                continue
            day = plan._get_visit_date(plan.visit_count)
            end = plan.line_id._get_billing_end()
            plan.date_next = day if not end or day <= end else False

    # === CONSTRAINT METHODS === #

    @api.constrains("interval_number", "duration", "hour_start", "lead_days")
    def _check_plan(self):
        for plan in self:
            if (
                plan.interval_number < 1
                or plan.duration <= 0
                or not 0 <= plan.hour_start < 24
                or plan.lead_days < 0
            ):
                raise ValidationError(
                    self.env._(
                        "Visit plan %(plan)s: Every must be at least 1, Duration "
                        "positive, Start Time between 0 and 24 and Plan Ahead not "
                        "negative.",
                        plan=plan.display_name,
                    )
                )

    # === ACTION METHODS === #

    def action_generate_visits(self):
        """Generate the visits due now for these plans."""
        self._generate_visits(self._get_today())
        return True

    # === BUSINESS METHODS === #

    def _get_today(self):
        return today_in_tz(self.env.company.partner_id.tz)

    def _get_visit_date(self, index):
        """Return the day of visit number ``index`` (0 = the first visit).

        Counted from the first visit each time, so month ends do not drift.
        """
        self.ensure_one()
        if self.interval_type == "week":
            return self.date_first + timedelta(weeks=index * self.interval_number)
        months = index * self.interval_number * MONTHS[self.interval_type]
        return add_months(self.date_first, months, self.date_first.day)

    def _prepare_task_values(self, day):
        """Return the values of the service task of the visit on ``day``.

        :param date day: the local day of the visit
        :return: vals dict for ``project.task``
        """
        self.ensure_one()
        tasks = self.env["project.task"]
        start = tasks._zeron_local_datetime_to_utc(day, self.hour_start, self.tz)
        return {
            "name": self.env._(
                "%(plan)s, %(date)s",
                plan=self.name,
                date=format_date(self.env, day),
            ),
            "project_id": self.project_id.id,
            "partner_id": self.contract_id.partner_id.id,
            "company_id": self.project_id.company_id.id or self.company_id.id,
            "zeron_service_product_id": self.line_id.product_id.id,
            "zeron_request_date": day,
            "zeron_planned_start": start,
            "zeron_planned_end": start
            + relativedelta(minutes=round(self.duration * 60)),
            "user_ids": [Command.set(self.user_ids.ids)],
            "zeron_visit_plan_id": self.id,
        }

    def _generate_visits(self, today):
        """Create the tasks of the visits due by ``today`` plus the lead days.

        Only for a contract that bills (running or to renew); a visit on a day
        the contract is not in force, such as a day of a past suspension, is
        skipped. A suspended contract gets no visits until it resumes, so a
        resumption dated back generates the visits after it. The visit counter
        moves in the same transaction as the task creation, so a second run on
        the same day creates nothing.

        :return: number of tasks created
        """
        created = 0
        for plan in self:
            contract = plan.line_id.contract_id
            if contract.state not in BILLING_STATES:
                continue
            horizon = today + timedelta(days=plan.lead_days)
            vals_list = []
            count = plan.visit_count
            end = plan.line_id._get_billing_end()
            while True:
                day = plan._get_visit_date(count)
                if day > horizon or (end and day > end):
                    break
                if contract._is_valid_on(day):
                    vals_list.append(plan._prepare_task_values(day))
                count += 1
            if vals_list:
                self.env["project.task"].with_context(mail_create_nolog=True).create(
                    vals_list
                )
                created += len(vals_list)
            if count != plan.visit_count:
                plan.visit_count = count
        return created

    # === CRON METHODS === #

    @api.model
    def _cron_generate_visits(self, batch_size=VISIT_BATCH_SIZE):
        counts = {"created": 0, "plans": 0, "failed": 0}
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        # the scheduled run works for every company, whatever its user's
        # allowed companies are
        self = self.sudo()  # pylint: disable=self-cls-assignment
        for company in self.env["res.company"].search([]):
            plans = self.with_company(company).search(
                [
                    ("company_id", "=", company.id),
                    ("date_next", "!=", False),
                    ("contract_id.state", "in", BILLING_STATES),
                ],
                order="id",
            )
            today = today_in_tz(company.partner_id.tz)
            for batch in split_every(batch_size, plans.ids, plans.browse):
                for plan in batch:
                    try:
                        with self.env.cr.savepoint():
                            counts["created"] += plan._generate_visits(today)
                        counts["plans"] += 1
                        if plan.generation_error:
                            plan.generation_error = False
                    except Exception as error:  # noqa: BLE001 - logged and flagged
                        _logger.exception("Visit plan %s: generation failed", plan.id)
                        plan.generation_error = str(error)
                        counts["failed"] += 1
                if auto_commit:
                    self._commit_progress()
        _logger.info(
            "Zeron visit run: %(created)s visits created from %(plans)s plans, "
            "%(failed)s plans failed",
            counts,
        )
        return counts

    def _commit_progress(self):
        # keep the visits of finished batches when a later batch crashes; the
        # scheduled run only, as tests own their transaction
        self.env.cr.commit()  # pylint: disable=invalid-commit
