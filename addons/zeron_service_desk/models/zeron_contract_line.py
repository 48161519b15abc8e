from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ZeronContractLine(models.Model):
    _inherit = "zeron.contract.line"

    zeron_time_billing = fields.Selection(
        selection=[
            ("included", "All time included"),
            ("bank", "Included hours per period"),
            ("billable", "All time billable"),
        ],
        string="Service Time",
        default="included",
        required=True,
        help="How time logged on service tasks covered by this line is "
        "treated:\nAll time included: covered by the contract.\n"
        "Included hours per period: covered up to the included hours of each "
        "billing period, billable beyond.\nAll time billable: billed at the "
        "hourly rate.",
    )
    zeron_included_hours = fields.Float(
        string="Included Hours",
        help="Hours of service included in each billing period of this line.",
    )
    zeron_hourly_rate = fields.Float(
        string="Hourly Rate",
        digits="Product Price",
        help="Contracted price of one hour of billable service time.",
    )
    zeron_visit_plan_ids = fields.One2many(
        comodel_name="zeron.visit.plan",
        inverse_name="line_id",
        string="Visit Plans",
    )

    # === CONSTRAINT METHODS === #

    @api.constrains("zeron_included_hours", "zeron_hourly_rate")
    def _check_zeron_service_time(self):
        for line in self:
            if line.zeron_included_hours < 0 or line.zeron_hourly_rate < 0:
                raise ValidationError(
                    self.env._(
                        "Contract %(contract)s, line %(line)s: the fields Included "
                        "Hours and Hourly Rate cannot be negative.",
                        contract=line.contract_id.display_name,
                        line=line.product_id.display_name,
                    )
                )

    # === CRUD METHODS === #

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.contract_id._zeron_recompute_task_coverage()
        return lines

    def write(self, vals):
        contracts = self.contract_id
        res = super().write(vals)
        if {"date_start", "date_end", "product_id", "contract_id"} & set(vals):
            (contracts | self.contract_id)._zeron_recompute_task_coverage()
        return res

    def unlink(self):
        contracts = self.contract_id
        res = super().unlink()
        contracts.exists()._zeron_recompute_task_coverage()
        return res

    # === BUSINESS METHODS === #

    def _zeron_coverage_end(self, on_date):
        """Return the last day this line covers, seen from ``on_date``.

        The line's own end or the end of its contract's validity
        (:meth:`zeron.contract._get_validity_end`: End Date, end of a
        non-renewing term, day before a coming suspension), whichever comes
        first; grace days are not added.

        :return: a date, or ``None`` if the line runs on
        """
        self.ensure_one()
        ends = [
            day
            for day in (self.date_end, self.contract_id._get_validity_end(on_date))
            if day
        ]
        return min(ends) if ends else None

    def _zeron_grace_end(self, end, grace_days):
        """Return the last day covered after ``end`` thanks to ``grace_days``.

        The grace days never cover a suspension: they stop the day before one.

        :param date end: the line's last covered day (see
            :meth:`_zeron_coverage_end`)
        :param int grace_days: the company's grace days
        """
        self.ensure_one()
        last = end
        for _day in range(grace_days):
            if self.contract_id._is_suspended_on(last + timedelta(days=1)):
                break
            last += timedelta(days=1)
        return last

    def _zeron_covers(self, on_date, grace_days=0):
        """Return whether this line covers a service on ``on_date``.

        The contract decides whether it is in force
        (:meth:`zeron.contract._is_valid_on`: state, dates, renewal and
        suspensions); after the end of the line or of the contract, the grace
        days extend the coverage if the contract was in force on its last day.

        :param date on_date: the task's day
        :param int grace_days: days after the end still covered
        """
        self.ensure_one()
        if on_date < self.date_start:
            return False
        contract = self.contract_id
        end = self._zeron_coverage_end(on_date)
        if end and on_date > end:
            return on_date <= self._zeron_grace_end(
                end, grace_days
            ) and contract._is_valid_on(end)
        return contract._is_valid_on(on_date)

    @api.model
    def _get_zeron_coverage_domain(self, partner, company, product, on_date):
        """Return the domain of the lines that may cover ``partner`` on ``on_date``.

        :param partner: the task's customer (any contact of the company)
        :param company: the task's ``res.company``
        :param product: the requested service, or an empty recordset for any
        :param date on_date: the task's day
        :return: a domain on ``zeron.contract.line``
        """
        domain = [
            (
                "contract_id.commercial_partner_id",
                "=",
                partner.commercial_partner_id.id,
            ),
            ("company_id", "=", company.id),
            (
                "contract_id.state",
                "in",
                self.env["zeron.contract"]._get_covering_states(),
            ),
            ("date_start", "<=", on_date),
        ]
        if product:
            domain.append(("product_id", "=", product.id))
        return domain

    @api.model
    def _zeron_find_coverage(self, partner, company, product, on_date):
        """Return the coverage of a service request.

        :return: dict with ``line`` (the covering line or an empty recordset),
            ``state`` (``covered``, ``not_covered`` or ``no_contract``),
            ``end`` (last covered day with grace days, or ``False``) and
            ``reason`` (why a customer with a contract is not covered, when a
            specific reason is known, such as a suspension; else ``False``)
        """
        grace_days = company.zeron_sd_grace_days
        candidates = self.sudo().search(
            self._get_zeron_coverage_domain(partner, company, product, on_date),
            order="id",
        )
        covering = candidates.filtered(
            lambda line: line._zeron_covers(on_date, grace_days)
        )
        if covering:
            # prefer the line that runs longest: open-ended, then latest end
            line = max(
                covering,
                key=lambda line: (
                    not line._zeron_coverage_end(on_date),
                    line._zeron_coverage_end(on_date) or on_date,
                    -line.id,
                ),
            )
            end = line._zeron_coverage_end(on_date)
            return {
                "line": line.sudo(False),
                "state": "covered",
                "end": line._zeron_grace_end(end, grace_days) if end else False,
                "reason": False,
            }
        contracts = self.env["zeron.contract"].sudo()
        has_contract = contracts.search_count(
            [
                ("commercial_partner_id", "=", partner.commercial_partner_id.id),
                ("company_id", "=", company.id),
                ("state", "in", contracts._get_covering_states()),
            ],
            limit=1,
        )
        suspended = candidates.contract_id.filtered(
            lambda contract: contract._is_suspended_on(on_date)
        )[:1]
        reason = False
        if suspended:
            reason = self.env._(
                "Contract %(contract)s is suspended on %(date)s",
                contract=suspended.name,
                date=on_date,
            )
        return {
            "line": self.browse(),
            "state": "not_covered" if has_contract else "no_contract",
            "end": False,
            "reason": reason,
        }

    def _zeron_bank_period(self, on_date):
        """Return the first and last day of the hour-bank period holding ``on_date``.

        The bank follows the line's billing periods.
        """
        self.ensure_one()
        schedule = self._get_schedule(self.date_start, self._get_billing_end())
        index = schedule.index_of(max(on_date, self.date_start))
        start = max(schedule.boundary(index), self.date_start)
        end = schedule.boundary(index + 1) - timedelta(days=1)
        return start, end

    def _zeron_bank_used_hours(self, date_from, date_to, exclude=None):
        """Return the hours already covered by this line's bank in a period.

        :param exclude: ``account.analytic.line`` records left out, such as the
            lines being stamped again
        """
        self.ensure_one()
        domain = [
            ("zeron_contract_line_id", "=", self.id),
            ("zeron_coverage", "=", "covered"),
            ("date", ">=", date_from),
            ("date", "<=", date_to),
        ]
        if exclude:
            domain.append(("id", "not in", exclude.ids))
        groups = (
            self.env["account.analytic.line"]
            .sudo()
            ._read_group(domain, aggregates=["unit_amount:sum"])
        )
        return groups[0][0] or 0.0

    def _zeron_get_hourly_rate(self, product, on_date):
        """Return the contracted rate of one hour of service on this line.

        :param product: the requested service, used when the line has no rate
        :param date on_date: the day of the work
        """
        self.ensure_one()
        if self.zeron_hourly_rate:
            return self.zeron_hourly_rate
        product = product or self.product_id
        pricelist = self.contract_id.pricelist_id
        if pricelist:
            return pricelist._get_product_price(product, 1.0, date=on_date)
        return product.lst_price
