from datetime import datetime, time, timedelta

import pytz

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression

from odoo.addons.zeron_subscription.tools.periods import today_in_tz

COVERAGE_STATES = [
    ("covered", "Covered"),
    ("not_covered", "Not Covered"),
    ("no_contract", "No Contract"),
]
COVERAGE_STATUSES = [
    ("covered", "Covered"),
    ("expiring", "Expiring"),
    ("not_covered", "Not Covered"),
    ("no_contract", "No Contract"),
]
#: task fields whose change moves, retitles or removes the task's calendar event
EVENT_FIELDS = {
    "name",
    "zeron_planned_start",
    "zeron_planned_end",
    "user_ids",
    "state",
    "active",
    "partner_id",
    "project_id",
}
#: task fields that schedule work, checked against the uncovered-customer policy
SCHEDULING_FIELDS = {"zeron_planned_start", "zeron_planned_end"}


class ProjectTask(models.Model):
    _inherit = "project.task"

    zeron_is_service = fields.Boolean(
        related="project_id.zeron_is_service",
        string="Service Task",
        store=True,
    )
    zeron_uncovered_policy = fields.Selection(
        related="project_id.zeron_uncovered_policy",
    )
    zeron_request_channel = fields.Selection(
        selection=[
            ("manual", "By hand"),
            ("email", "Email"),
            ("portal", "Portal"),
        ],
        string="Received By",
        default="manual",
        copy=False,
    )
    zeron_service_product_id = fields.Many2one(
        comodel_name="product.product",
        string="Requested Service",
        compute="_compute_zeron_service_product_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('type', '=', 'service')]",
        check_company=True,
    )
    zeron_request_date = fields.Date(
        string="Request Date",
        default=lambda self: self._default_zeron_request_date(),
        copy=False,
        help="Day the request came in; the coverage is checked on this day "
        "until the task is planned.",
    )
    zeron_planned_start = fields.Datetime(string="Planned Start", copy=False)
    zeron_planned_end = fields.Datetime(string="Planned End", copy=False)
    zeron_coverage_date = fields.Date(
        string="Coverage Date",
        compute="_compute_zeron_coverage_date",
        store=True,
        help="The task's date: its planned start, else its request date, in the "
        "company's time zone.",
    )
    zeron_contract_line_id = fields.Many2one(
        comodel_name="zeron.contract.line",
        string="Covering Contract Line",
        compute="_compute_zeron_coverage",
        store=True,
        index="btree_not_null",
    )
    zeron_contract_id = fields.Many2one(
        comodel_name="zeron.contract",
        string="Covering Contract",
        compute="_compute_zeron_coverage",
        store=True,
        index="btree_not_null",
    )
    zeron_coverage_state = fields.Selection(
        selection=COVERAGE_STATES,
        string="Coverage",
        compute="_compute_zeron_coverage",
        store=True,
        index=True,
    )
    zeron_coverage_end = fields.Date(
        string="Coverage End",
        compute="_compute_zeron_coverage",
        store=True,
        help="Last day covered by the covering contract line, grace days "
        "included; empty while it renews.",
    )
    zeron_coverage_reason = fields.Char(
        string="Why Not Covered",
        compute="_compute_zeron_coverage",
        store=True,
        help="Why a customer with a contract is not covered on the task's date, "
        "when it is known: for example a suspension of the contract.",
    )
    zeron_coverage_status = fields.Selection(
        selection=COVERAGE_STATUSES,
        string="Coverage Status",
        compute="_compute_zeron_coverage_status",
        search="_search_zeron_coverage_status",
        help="Coverage, with covered tasks whose contract line ends soon shown "
        "as expiring.",
    )
    zeron_approved_by_id = fields.Many2one(
        comodel_name="res.users",
        string="Approved By",
        readonly=True,
        copy=False,
        help="Manager who approved work for a customer without coverage.",
    )
    zeron_approved_on = fields.Datetime(string="Approved On", readonly=True, copy=False)
    zeron_event_id = fields.Many2one(
        comodel_name="calendar.event",
        string="Calendar Event",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    zeron_visit_plan_id = fields.Many2one(
        comodel_name="zeron.visit.plan",
        string="Visit Plan",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    zeron_covered_hours = fields.Float(
        string="Covered Hours",
        compute="_compute_zeron_hours",
    )
    zeron_billable_hours = fields.Float(
        string="Billable Hours",
        compute="_compute_zeron_hours",
    )

    # === DEFAULT METHODS === #

    def _default_zeron_request_date(self):
        return today_in_tz(self.env.company.partner_id.tz)

    # === COMPUTE METHODS === #

    @api.depends("project_id")
    def _compute_zeron_service_product_id(self):
        for task in self:
            if not task.zeron_service_product_id:
                task.zeron_service_product_id = task.project_id.zeron_service_product_id

    @api.depends("zeron_planned_start", "zeron_request_date", "company_id")
    def _compute_zeron_coverage_date(self):
        for task in self:
            if task.zeron_planned_start:
                task.zeron_coverage_date = task._zeron_local_date(
                    task.zeron_planned_start
                )
            else:
                task.zeron_coverage_date = task.zeron_request_date

    @api.depends(
        "zeron_is_service",
        "partner_id.commercial_partner_id",
        "zeron_service_product_id",
        "zeron_coverage_date",
        "company_id",
        "zeron_contract_line_id.date_start",
        "zeron_contract_line_id.date_end",
        "zeron_contract_line_id.product_id",
        "zeron_contract_line_id.contract_id.state",
        "zeron_contract_line_id.contract_id.date_end",
    )
    def _compute_zeron_coverage(self):
        lines = self.env["zeron.contract.line"]
        for task in self:
            values = {
                "zeron_contract_line_id": False,
                "zeron_contract_id": False,
                "zeron_coverage_state": False,
                "zeron_coverage_end": False,
                "zeron_coverage_reason": False,
            }
            if task.zeron_is_service and task.partner_id:
                company = task.company_id or task.project_id.company_id
                coverage = lines._zeron_find_coverage(
                    task.partner_id,
                    company or self.env.company,
                    task.zeron_service_product_id,
                    task.zeron_coverage_date or task._default_zeron_request_date(),
                )
                values.update(
                    zeron_contract_line_id=coverage["line"],
                    zeron_contract_id=coverage["line"].contract_id,
                    zeron_coverage_state=coverage["state"],
                    zeron_coverage_end=coverage["end"],
                    zeron_coverage_reason=coverage["reason"],
                )
            elif task.zeron_is_service:
                values["zeron_coverage_state"] = "no_contract"
            task.update(values)

    @api.depends("zeron_coverage_state", "zeron_coverage_end", "company_id")
    def _compute_zeron_coverage_status(self):
        for task in self:
            status = task.zeron_coverage_state
            if status == "covered" and task.zeron_coverage_end:
                company = task.company_id or self.env.company
                today = today_in_tz(company.partner_id.tz)
                limit = today + timedelta(days=company.zeron_sd_expiring_days)
                if today <= task.zeron_coverage_end <= limit:
                    status = "expiring"
            task.zeron_coverage_status = status

    def _search_zeron_coverage_status(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(
                self.env._(
                    "The field Coverage Status cannot be searched with the "
                    "operator %(operator)s.",
                    operator=operator,
                )
            )
        values = [value] if isinstance(value, str) or not value else list(value)
        # "expiring" depends on today and on each company's setting, so it is
        # searched here rather than stored and refreshed by a daily job
        expiring = ["|"] * (len(self.env.companies) - 1)
        for company in self.env.companies:
            today = today_in_tz(company.partner_id.tz)
            limit = today + timedelta(days=company.zeron_sd_expiring_days)
            # tasks without a company are judged by the current company
            company_ids = [company.id] + (
                [False] if company == self.env.company else []
            )
            expiring += [
                "&",
                "&",
                ("company_id", "in", company_ids),
                ("zeron_coverage_end", ">=", today),
                ("zeron_coverage_end", "<=", limit),
            ]
        expiring = expression.AND(
            [[("zeron_coverage_state", "=", "covered")], expiring]
        )
        domains = []
        for status in values:
            if status == "expiring":
                domains.append(expiring)
            elif status == "covered":
                domains.append(
                    expression.AND(
                        [
                            [("zeron_coverage_state", "=", "covered")],
                            ["!", *expiring],
                        ]
                    )
                )
            else:
                domains.append([("zeron_coverage_state", "=", status or False)])
        domain = expression.OR(domains) if domains else expression.FALSE_DOMAIN
        if operator in ("!=", "not in"):
            domain = ["!", *expression.normalize_domain(domain)]
        return domain

    @api.depends("timesheet_ids.unit_amount", "timesheet_ids.zeron_coverage")
    def _compute_zeron_hours(self):
        for task in self:
            timesheets = task.timesheet_ids
            task.zeron_covered_hours = sum(
                timesheets.filtered(lambda t: t.zeron_coverage == "covered").mapped(
                    "unit_amount"
                )
            )
            task.zeron_billable_hours = sum(
                timesheets.filtered(lambda t: t.zeron_coverage == "billable").mapped(
                    "unit_amount"
                )
            )

    # === CONSTRAINT METHODS === #

    @api.constrains("zeron_planned_start", "zeron_planned_end")
    def _check_zeron_planned_dates(self):
        for task in self:
            if (
                task.zeron_planned_start
                and task.zeron_planned_end
                and task.zeron_planned_end <= task.zeron_planned_start
            ):
                raise ValidationError(
                    self.env._(
                        "Task %(task)s: the Planned End must be after the Planned "
                        "Start.",
                        task=task.display_name,
                    )
                )

    # === CRUD METHODS === #

    @api.model_create_multi
    def create(self, vals_list):
        tasks = super().create(vals_list)
        service_tasks = tasks.filtered("zeron_is_service")
        service_tasks.filtered(
            lambda t: t.zeron_planned_start or t.zeron_planned_end
        )._zeron_check_uncovered_policy()
        service_tasks._zeron_sync_calendar_event()
        return tasks

    def write(self, vals):
        res = super().write(vals)
        service_tasks = self.filtered("zeron_is_service")
        if SCHEDULING_FIELDS & set(vals) and any(
            vals.get(f) for f in SCHEDULING_FIELDS
        ):
            service_tasks._zeron_check_uncovered_policy()
        if EVENT_FIELDS & set(vals):
            # a task moved out of a service project loses its event as well
            (
                service_tasks | self.filtered("zeron_event_id")
            )._zeron_sync_calendar_event()
        return res

    def unlink(self):
        # through the ORM, so the attendees' alarms and activities go as well
        self.sudo().zeron_event_id.unlink()
        return super().unlink()

    @api.model
    def message_new(self, msg, custom_values=None):
        custom_values = dict(custom_values or {})
        custom_values.setdefault("zeron_request_channel", "email")
        return super().message_new(msg, custom_values=custom_values)

    # === ACTION METHODS === #

    def action_zeron_approve_uncovered(self):
        self._zeron_check_approver()
        for task in self:
            task.write(
                {
                    "zeron_approved_by_id": self.env.user.id,
                    "zeron_approved_on": fields.Datetime.now(),
                }
            )
            task.message_post(
                body=self.env._(
                    "Work approved for a customer without coverage by %(user)s.",
                    user=self.env.user.name,
                )
            )
        return True

    def action_zeron_view_contract(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "zeron.contract",
            "res_id": self.zeron_contract_id.id,
            "views": [(False, "form")],
        }

    # === BUSINESS METHODS === #

    def _zeron_local_date(self, value):
        """Return the calendar day of the UTC datetime ``value`` for the company.

        :param datetime value: naive UTC datetime
        :return: date in the company's time zone (UTC if none is set)
        """
        company = self.company_id or self.env.company
        tz_name = company.partner_id.tz or "UTC"
        try:
            tz = pytz.timezone(tz_name)
        except pytz.UnknownTimeZoneError:
            tz = pytz.utc
        return pytz.utc.localize(value).astimezone(tz).date()

    def _zeron_recompute_coverage(self):
        """Mark the coverage of these tasks for recomputation.

        Called when contracts, their lines or the grace days change, since the
        covering line is searched rather than reached through a dependency.
        """
        if not self:
            return
        for name in (
            "zeron_contract_line_id",
            "zeron_contract_id",
            "zeron_coverage_state",
            "zeron_coverage_end",
            "zeron_coverage_reason",
        ):
            self.env.add_to_compute(self._fields[name], self)

    def _zeron_is_uncovered(self):
        self.ensure_one()
        return self.zeron_is_service and self.zeron_coverage_state != "covered"

    def _zeron_check_approver(self):
        """Raise unless the current user may approve work for uncovered customers."""
        if not (
            self.env.user.has_group("project.group_project_manager")
            or self.env.user.has_group(
                "zeron_subscription.zeron_contract_group_manager"
            )
        ):
            raise AccessError(
                self.env._(
                    "Only project managers can approve work for customers without "
                    "coverage."
                )
            )

    def _zeron_check_uncovered_policy(self):
        """Enforce the project's policy for customers without coverage.

        Raises a UserError when work is scheduled or time is logged on a task
        whose customer is not covered and the project blocks such work or
        requires a manager's approval that is not given yet.
        """
        for task in self:
            if not task._zeron_is_uncovered():
                continue
            policy = task.project_id.zeron_uncovered_policy
            if policy == "block":
                raise UserError(
                    self.env._(
                        "Task %(task)s: customer %(customer)s is not covered by a "
                        "contract on %(date)s, and project %(project)s blocks work "
                        "for uncovered customers (field Uncovered Customers).",
                        task=task.display_name,
                        customer=task.partner_id.display_name or "-",
                        date=task.zeron_coverage_date,
                        project=task.project_id.display_name,
                    )
                )
            if policy == "approval" and not task.zeron_approved_by_id:
                raise UserError(
                    self.env._(
                        "Task %(task)s: customer %(customer)s is not covered by a "
                        "contract on %(date)s; a project manager must approve the "
                        "work first (field Approved By).",
                        task=task.display_name,
                        customer=task.partner_id.display_name or "-",
                        date=task.zeron_coverage_date,
                    )
                )

    def _zeron_needs_calendar_event(self):
        self.ensure_one()
        return bool(
            self.active
            and self.zeron_is_service
            and self.zeron_planned_start
            and self.zeron_planned_end
            and self.user_ids
            and self.state != "1_canceled"
        )

    def _prepare_zeron_event_values(self):
        """Return the values of this task's calendar event.

        :return: vals dict for ``calendar.event``; start and stop are UTC
        """
        self.ensure_one()
        return {
            "name": self.name,
            "start": self.zeron_planned_start,
            "stop": self.zeron_planned_end,
            "allday": False,
            "user_id": self.user_ids[:1].id,
            "partner_ids": [Command.set(self.user_ids.partner_id.ids)],
            "location": self.partner_id.contact_address_inline or False,
            "zeron_task_id": self.id,
        }

    def _zeron_sync_calendar_event(self):
        """Create, update or delete the calendar events of these tasks.

        The technicians assigned to a planned service task are the attendees
        of its one event; writing the attendee list adds the new technicians
        and removes those unassigned.
        """
        events = self.env["calendar.event"].sudo()
        for task in self:
            event = task.sudo().zeron_event_id
            if not task._zeron_needs_calendar_event():
                if event:
                    task.sudo().zeron_event_id = False
                    event.unlink()
                continue
            values = task._prepare_zeron_event_values()
            if event:
                event.write(values)
            else:
                task.sudo().zeron_event_id = events.create(values)

    def _zeron_local_datetime_to_utc(self, day, hour, tz_name):
        """Return the naive UTC datetime of ``hour`` o'clock on ``day`` in ``tz_name``.

        :param date day: the local calendar day
        :param float hour: local time of day, 9.5 for 09:30
        :param str tz_name: an IANA time zone name
        """
        tz = pytz.timezone(tz_name or "UTC")
        minutes = round(hour * 60)
        local = tz.localize(
            datetime.combine(day, time(minutes // 60, minutes % 60)), is_dst=False
        )
        return local.astimezone(pytz.utc).replace(tzinfo=None)
