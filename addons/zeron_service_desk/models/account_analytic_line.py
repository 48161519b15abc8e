from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

COVERAGE_STAMPS = [
    ("covered", "Covered"),
    ("billable", "Billable"),
    ("not_billable", "Not Billable"),
]
#: fields that cannot change once the service time is invoiced
INVOICED_FROZEN_FIELDS = {"unit_amount", "date", "task_id", "project_id", "employee_id"}
#: fields whose change stamps the service time again (the employee does not
#: change its coverage)
RESTAMP_FIELDS = {"unit_amount", "date", "task_id", "project_id"}
#: fields that all the parts of a split entry share: written on one part, they
#: are written on the others
ENTRY_FIELDS = ("date", "task_id", "project_id")
INVOICE_STATUSES = [
    ("none", "Nothing to Invoice"),
    ("to_invoice", "To Invoice"),
    ("invoiced", "Invoiced"),
    ("paid", "Paid"),
]


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    zeron_coverage = fields.Selection(
        selection=COVERAGE_STAMPS,
        string="Service Coverage",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Set when the time is logged on a service task and never rewritten "
        "by later contract changes.",
    )
    zeron_contract_line_id = fields.Many2one(
        comodel_name="zeron.contract.line",
        string="Contract Line",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    zeron_contract_id = fields.Many2one(
        comodel_name="zeron.contract",
        string="Contract",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    zeron_coverage_reason = fields.Char(
        string="Coverage Reason",
        readonly=True,
        copy=False,
    )
    zeron_product_id = fields.Many2one(
        comodel_name="product.product",
        string="Billed Service",
        readonly=True,
        copy=False,
    )
    zeron_price_unit = fields.Float(
        string="Hourly Rate",
        digits="Product Price",
        readonly=True,
        copy=False,
        help="Rate of billable time, frozen when the time is logged.",
    )
    zeron_split_from_id = fields.Many2one(
        comodel_name="account.analytic.line",
        string="Split From",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="The covered part of the entry this billable rest was split from "
        "when the entry went beyond the balance of the hour bank.",
    )
    zeron_split_ids = fields.One2many(
        comodel_name="account.analytic.line",
        inverse_name="zeron_split_from_id",
        string="Split Parts",
        readonly=True,
    )
    zeron_invoice_status = fields.Selection(
        selection=INVOICE_STATUSES,
        string="Invoice Status",
        compute="_compute_zeron_invoice_status",
        store=True,
        index=True,
        help="From the invoice that bills this time: a cancelled or fully "
        "credited invoice makes it billable again.",
    )

    # === COMPUTE METHODS === #

    @api.depends(
        "zeron_coverage",
        "so_line",
        "timesheet_invoice_id.state",
        "timesheet_invoice_id.payment_state",
        "timesheet_invoice_id.reversal_move_ids.state",
        "timesheet_invoice_id.reversal_move_ids.amount_total",
    )
    def _compute_zeron_invoice_status(self):
        for line in self:
            if not line.zeron_coverage and not line.so_line:
                line.zeron_invoice_status = False
            elif line.zeron_coverage != "billable" and not line.so_line:
                line.zeron_invoice_status = "none"
            elif not line._zeron_has_valid_invoice():
                line.zeron_invoice_status = "to_invoice"
            elif line.timesheet_invoice_id.payment_state in ("paid", "in_payment"):
                line.zeron_invoice_status = "paid"
            else:
                line.zeron_invoice_status = "invoiced"

    @api.depends("zeron_coverage")
    def _compute_timesheet_invoice_type(self):
        # service-desk time carries sale_timesheet's billable type as well, so
        # its reports and ours agree
        stamped = self.filtered(lambda t: t.zeron_coverage and not t.so_line)
        for line in stamped:
            line.timesheet_invoice_type = (
                "billable_time" if line.zeron_coverage == "billable" else "non_billable"
            )
        return super(
            AccountAnalyticLine, self - stamped
        )._compute_timesheet_invoice_type()

    # === CRUD METHODS === #

    @api.model_create_multi
    def create(self, vals_list):
        entries = self._zeron_stamp_vals_list(vals_list)
        lines = super().create([vals for parts in entries for vals in parts])
        index = 0
        for parts in entries:
            if len(parts) > 1:
                lines[index + 1 : index + len(parts)].with_context(
                    zeron_stamping=True
                ).zeron_split_from_id = lines[index]
            index += len(parts)
        return lines

    def write(self, vals):
        fields_written = set(vals)
        if (
            self.env.context.get("zeron_stamping")
            or "zeron_coverage" in fields_written
            or not RESTAMP_FIELDS & fields_written
        ):
            return super().write(vals)
        # the other parts of split entries follow the part that is edited
        siblings = self._zeron_get_entry_parts() - self
        entry_vals = {name: vals[name] for name in ENTRY_FIELDS if name in vals}
        res = super().write(vals)
        if siblings and entry_vals:
            siblings.with_context(zeron_stamping=True).write(entry_vals)
        (self | siblings).filtered(
            lambda t: t.zeron_coverage or t.task_id.zeron_is_service
        )._zeron_restamp()
        return res

    # === ACTION METHODS === #

    def action_zeron_restamp(self):
        """Stamp these service timesheet lines again, as if edited together.

        For entries stamped billable before an edit freed hours of their bank:
        the selected entries are stamped in date order against today's
        coverage and the balance left by the lines not selected (see
        :meth:`_zeron_restamp`). Invoiced lines refuse, as for an edit.
        """
        lines = self.filtered(lambda t: t.zeron_coverage or t.task_id.zeron_is_service)
        lines.check_access("write")
        lines._check_can_write(dict.fromkeys(RESTAMP_FIELDS))
        lines._zeron_restamp()
        return True

    # === BUSINESS METHODS === #

    def _check_can_write(self, values):
        if INVOICED_FROZEN_FIELDS & set(values):
            for line in self:
                if line.zeron_invoice_status in ("invoiced", "paid"):
                    raise UserError(
                        self.env._(
                            "Timesheet %(line)s of task %(task)s is invoiced in "
                            "%(invoice)s: its hours, date, task, project and "
                            "employee cannot change any more.",
                            line=line.name or line.id,
                            task=line.task_id.display_name,
                            invoice=line.timesheet_invoice_id.display_name,
                        )
                    )
        return super()._check_can_write(values)

    def _zeron_has_valid_invoice(self):
        """Return whether an invoice bills this time: not cancelled, not credited.

        sale_timesheet's rule (cancelled or reversed invoices free the time),
        plus posted credit notes that credit the invoice in full before they
        are reconciled with it.
        """
        self.ensure_one()
        invoice = self.timesheet_invoice_id
        if not invoice or invoice.state == "cancel":
            return False
        if invoice.payment_state == "reversed":
            return False
        credited = sum(
            invoice.reversal_move_ids.filtered(
                lambda m: m.state == "posted" and m.move_type == "out_refund"
            ).mapped("amount_total")
        )
        return invoice.currency_id.compare_amounts(credited, invoice.amount_total) < 0

    @api.model
    def _zeron_stamp_vals_list(self, vals_list):
        """Stamp the coverage of new timesheet lines of service tasks.

        Lines beyond the balance of an hour bank are split in two: the covered
        part and the billable rest. The bank usage of the lines of this very
        batch is counted as well.

        :return: one list of vals dicts per entry of ``vals_list``, in the same
            order: the entry itself, or its covered part and its billable rest
        """
        result = []
        pending = defaultdict(float)
        tasks = self.env["project.task"]
        for vals in vals_list:
            task = tasks.browse(vals.get("task_id"))
            if not task or "zeron_coverage" in vals or not task.zeron_is_service:
                result.append([vals])
                continue
            task._zeron_check_uncovered_policy()
            day = fields.Date.to_date(vals.get("date")) or fields.Date.context_today(
                self
            )
            hours = vals.get("unit_amount") or 0.0
            result.append(
                [
                    {**vals, **stamp}
                    for stamp in self._zeron_get_stamps(task, day, hours, pending)
                ]
            )
        return result

    def _zeron_get_entry_parts(self):
        """Return these lines with the other parts of their entries.

        An entry split over the hour bank is its covered part and the billable
        rest split from it; invoiced parts are history and left out.
        """
        heads = self.zeron_split_from_id | self
        parts = heads | heads.zeron_split_ids
        return parts.filtered(
            lambda t: t.zeron_invoice_status not in ("invoiced", "paid")
        )

    def _zeron_restamp(self):
        """Stamp these timesheet lines again, after their hours, date or task changed.

        The rule: an edited entry is stamped as if it were logged now, with its
        new hours, date and task, against the coverage found today and the hour
        bank balance that all the other entries leave. Entries that are not
        edited keep their stamps, so a line never changes behind its author's
        back and a contract change alone never re-stamps anything; the bank
        hours an edit frees stay available to the entries stamped after it.
        The parts of a split entry (not invoiced) are put back together: their
        hours are added up and split again, reusing the records, so no
        duplicate is left. Several entries edited at once are stamped in date
        order, each after the previous ones.

        Side effects: writes the stamps and hours, creates a billable rest or
        deletes a part that is no longer needed.
        """
        lines = self._zeron_get_entry_parts()
        entries = {}
        for line in lines.sorted(lambda t: (t.date, t.id)):
            head = line.zeron_split_from_id & lines or line
            entries.setdefault(head, self.browse())
            entries[head] |= line
        pending = defaultdict(float)
        stamping = self.with_context(zeron_stamping=True)
        for parts in entries.values():
            parts = parts.sorted("id").with_context(zeron_stamping=True)
            head = parts[0]
            hours = sum(parts.mapped("unit_amount"))
            task = head.task_id
            if task and task.zeron_is_service:
                task._zeron_check_uncovered_policy()
                stamps = stamping._zeron_get_stamps(
                    task, head.date, hours, pending, exclude=lines
                )
            else:
                stamps = [stamping._zeron_stamp(False, False)]
            stamping._zeron_apply_stamps(parts, stamps, hours)

    @api.model
    def _zeron_apply_stamps(self, parts, stamps, hours):
        """Write ``stamps`` on the parts of one entry of ``hours`` in total.

        The first part takes the first stamp; a second stamp (the billable
        rest) goes to the second part, or to a copy of the first; parts left
        over are deleted.
        """
        head = parts[0]
        for index, stamp in enumerate(stamps):
            values = {
                "unit_amount": hours,
                **stamp,
                "zeron_split_from_id": head.id if index else False,
            }
            if index < len(parts):
                parts[index].write(values)
            else:
                head.copy({**values, "timesheet_invoice_id": False})
        parts[len(stamps) :].unlink()

    @api.model
    def _zeron_get_stamps(self, task, day, hours, pending, exclude=None):
        """Return the coverage stamps of ``hours`` logged on ``task`` on ``day``.

        :param pending: hours covered by each bank period earlier in the batch,
            updated in place
        :param exclude: ``account.analytic.line`` records whose bank usage is
            not counted (the lines being stamped again)
        :return: list of dicts of ``account.analytic.line`` values, one per
            part; when split, each carries its ``unit_amount``
        """
        partner = task.partner_id
        product = task.zeron_service_product_id
        if not partner:
            return [self._zeron_stamp("not_billable", self.env._("No customer"))]
        company = task.company_id or self.env.company
        coverage = self.env["zeron.contract.line"]._zeron_find_coverage(
            partner, company, product, day
        )
        # technicians log time without reading contracts: the stamp is taken
        # from the covering line as superuser
        line = coverage["line"].sudo()
        if not line:
            if not product:
                return [
                    self._zeron_stamp(
                        "not_billable",
                        self.env._("Not covered, and no service to bill"),
                    )
                ]
            reason = coverage["reason"] or (
                self.env._("Not covered by a contract")
                if coverage["state"] == "not_covered"
                else self.env._("No contract")
            )
            return [
                self._zeron_stamp(
                    "billable",
                    reason,
                    product=product,
                    price=self._zeron_list_rate(partner, company, product, day, hours),
                )
            ]
        contract = line.contract_id
        if line.zeron_time_billing == "included":
            return [
                self._zeron_stamp(
                    "covered",
                    self.env._(
                        "Included in contract %(contract)s",
                        contract=contract.name,
                    ),
                    line=line,
                )
            ]
        rate = line._zeron_get_hourly_rate(product, day)
        billed = product or line.product_id
        if line.zeron_time_billing == "billable":
            return [
                self._zeron_stamp(
                    "billable",
                    self.env._(
                        "Billable under contract %(contract)s",
                        contract=contract.name,
                    ),
                    line=line,
                    product=billed,
                    price=rate,
                )
            ]
        # TODO: carry unused bank hours over to the next period, because some
        # contracts allow it; remove when the line gets a carry-over setting
        period = line._zeron_bank_period(day)
        key = (line.id, period)
        used = line._zeron_bank_used_hours(*period, exclude=exclude) + pending[key]
        balance = max(line.zeron_included_hours - used, 0.0)
        covered_reason = self.env._(
            "Hour bank of contract %(contract)s, %(start)s - %(end)s",
            contract=contract.name,
            start=period[0],
            end=period[1],
        )
        exceeded_reason = self.env._(
            "Beyond the hour bank of contract %(contract)s, %(start)s - %(end)s",
            contract=contract.name,
            start=period[0],
            end=period[1],
        )
        if hours <= balance:
            pending[key] += hours
            return [self._zeron_stamp("covered", covered_reason, line=line)]
        if balance <= 0:
            return [
                self._zeron_stamp(
                    "billable", exceeded_reason, line=line, product=billed, price=rate
                )
            ]
        pending[key] += balance
        return [
            {
                **self._zeron_stamp("covered", covered_reason, line=line),
                "unit_amount": balance,
            },
            {
                **self._zeron_stamp(
                    "billable", exceeded_reason, line=line, product=billed, price=rate
                ),
                "unit_amount": hours - balance,
            },
        ]

    @api.model
    def _zeron_stamp(self, coverage, reason, line=None, product=None, price=0.0):
        return {
            "zeron_coverage": coverage,
            "zeron_coverage_reason": reason,
            "zeron_contract_line_id": line.id if line else False,
            "zeron_contract_id": line.contract_id.id if line else False,
            "zeron_product_id": product.id if product else False,
            "zeron_price_unit": price,
        }

    @api.model
    def _zeron_list_rate(self, partner, company, product, day, hours):
        """Return the hourly rate of uncovered time: the customer's pricelist."""
        pricelist = partner.commercial_partner_id.with_company(
            company
        ).property_product_pricelist
        if pricelist:
            return pricelist._get_product_price(product, hours or 1.0, date=day)
        return product.lst_price

    @api.model
    def _get_zeron_invoiceable_domain(
        self, date_to=None, partners=None, contracts=None, company=None
    ):
        """Return the domain of the billable service time not invoiced yet.

        Time linked to a sales order item is left to sale_timesheet's route.

        :return: a domain on ``account.analytic.line``
        """
        domain = [
            ("zeron_coverage", "=", "billable"),
            ("so_line", "=", False),
            ("zeron_invoice_status", "=", "to_invoice"),
        ]
        if date_to:
            domain = expression.AND([domain, [("date", "<=", date_to)]])
        if partners:
            domain = expression.AND(
                [
                    domain,
                    [
                        (
                            "task_id.partner_id.commercial_partner_id",
                            "in",
                            partners.commercial_partner_id.ids,
                        )
                    ],
                ]
            )
        if contracts:
            domain = expression.AND(
                [domain, [("zeron_contract_id", "in", contracts.ids)]]
            )
        if company:
            domain = expression.AND([domain, [("company_id", "=", company.id)]])
        return domain

    def _zeron_lock_invoiceable(self, records):
        """Lock ``records`` and return those still to invoice and not locked.

        ``SKIP LOCKED`` leaves the lines another transaction is invoicing to
        that transaction, so no time is billed twice.
        """
        if not records:
            return records
        records.flush_recordset(["zeron_invoice_status"])
        self.env.cr.execute(
            """
            SELECT id FROM account_analytic_line
             WHERE id IN %s AND zeron_invoice_status = 'to_invoice'
               FOR UPDATE SKIP LOCKED
            """,
            [tuple(records.ids)],
        )
        return records.browse(sorted(row[0] for row in self.env.cr.fetchall()))

    def _prepare_zeron_invoice_lines(self):
        """Return the invoice line values billing this time, one per entry.

        :return: list of vals dicts for ``account.move.line``
        """
        values = []
        for line in self:
            values.append(
                {
                    "display_type": "product",
                    "product_id": line.zeron_product_id.id,
                    "name": self.env._(
                        "%(task)s, %(date)s: %(description)s",
                        task=line.task_id.display_name,
                        date=line.date,
                        description=line.name or "-",
                    ),
                    "quantity": line.unit_amount,
                    "price_unit": line.zeron_price_unit,
                    "zeron_timesheet_ids": [fields.Command.set(line.ids)],
                }
            )
        return values
