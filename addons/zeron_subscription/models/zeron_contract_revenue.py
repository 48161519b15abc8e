import logging
from bisect import insort

from odoo import api, fields, models
from odoo.exceptions import UserError

from .zeron_contract import BILLING_STATES, ENDED_STATES

_logger = logging.getLogger(__name__)


class ZeronContract(models.Model):
    """Monthly recurring revenue and the invoicing forecast of contracts."""

    _inherit = "zeron.contract"

    recurring_monthly = fields.Monetary(
        string="Monthly Recurring Revenue",
        compute="_compute_recurring_monthly",
        store=True,
        currency_field="currency_id",
        help="The sum of the lines' monthly recurring revenue, in the contract's "
        "currency; 0 unless the contract is running or to renew.",
    )

    # === COMPUTE METHODS === #

    @api.depends("line_ids.recurring_monthly")
    def _compute_recurring_monthly(self):
        for contract in self:
            contract.recurring_monthly = sum(
                contract.line_ids.mapped("recurring_monthly")
            )

    # === ACTION METHODS === #

    def action_view_forecast(self):
        """Show the next invoices of these contracts, simulated: nothing is created.

        :return: an action on the ``zeron.contract.forecast`` rows just made
        """
        forecasts = self.env["zeron.contract.forecast"]
        key = forecasts._fill(self)
        return forecasts._get_forecast_action(key, single=len(self) == 1)

    @api.model
    def action_view_forecast_all(self):
        """Show the next invoices of the billing contracts of the user's companies."""
        return self.search(self._get_forecast_contracts_domain()).action_view_forecast()

    # === BUSINESS METHODS === #

    @api.model
    def _get_forecast_contracts_domain(self):
        """Return the domain of the contracts the forecast menu forecasts.

        :return: a domain on ``zeron.contract``
        """
        return [
            "|",
            ("state", "in", BILLING_STATES),
            "&",
            ("state", "in", ENDED_STATES),
            ("next_invoice_date", "!=", False),
        ]

    def _get_forecast(self, count=None, date_from=None):
        """Simulate the next ``count`` invoicing runs of each of these contracts.

        Each simulated run bills what the real run would bill on its day: the
        periods of :meth:`_get_periods_to_invoice` and the amounts of
        :meth:`_prepare_invoice_line` (proration, suspensions, end dates, lead
        time, in advance or in arrears), through
        :meth:`_prepare_invoice_lines_values`, on invoiced spans kept in
        memory. Nothing is written: no invoice, no invoiced period.

        The first run is on ``date_from`` if a period is due by then (late
        periods are caught up on it), else on the day the first period is due;
        each next run on the day the next period is due. Running contracts
        and those to renew are forecast, and draft ones (as if started); an
        expired or closed contract only up to its end (see
        ``zeron.contract._bills_due_periods``); a suspended one bills nothing.

        A contract that cannot be invoiced (a product without income account)
        raises when forecast alone; among several it is left out, with a
        warning in the log.

        :param int count: invoices per contract; default: its company's
            setting Forecast Invoices per Contract
        :param date date_from: day of the first simulated run; default: today
            in the time zone of the contract's company
        :return: list of dicts, one per forecast invoice line, contract by
            contract and invoice by invoice: ``contract``, ``line``
            (``zeron.contract.line``), ``rank`` (1 for the contract's next
            invoice), ``invoice_date``, ``date_start``, ``date_end`` (the
            period), ``quantity``, ``price_unit`` (prorated), ``amount_untaxed``
            (in the contract's currency) and ``invoice_line_vals`` (the values
            of the ``account.move.line``)
        """
        date_from = fields.Date.to_date(date_from)
        todays = {}
        # the journal only gives a default income account here: look it up
        # once per company and contract journal, not once per contract
        journals = {}
        rows = []
        contracts = self.filtered(
            lambda c: c.state == "draft" or c._bills_due_periods()
        )
        for contract in contracts:
            company = contract.company_id
            if not date_from and company not in todays:
                todays[company] = self._get_today(company)
            journal_key = (company, contract.journal_id)
            if journal_key not in journals:
                journals[journal_key] = contract._get_invoice_journal()
            try:
                rows += contract.with_company(company)._forecast_invoices(
                    count or company.zeron_forecast_invoice_count,
                    date_from or todays[company],
                    journals[journal_key],
                )
            except (UserError, ValueError, OverflowError) as error:
                if len(contracts) == 1:
                    raise
                _logger.warning(
                    "Contract %s left out of the invoicing forecast: %s",
                    contract.id,
                    error,
                )
        return rows

    def _forecast_invoices(self, count, date_from, journal):
        """Return the forecast rows of this contract's next ``count`` invoices.

        See :meth:`_get_forecast`; writes nothing.

        :param journal: the ``account.journal`` the invoices would be made in
        """
        self.ensure_one()
        lines = self.line_ids
        lines_by_id = {line.id: line for line in lines}
        spans_by_line = {line: line._get_invoiced_spans() for line in lines}
        due_dates = {}  # the day each line's next period is due

        def update_due_date(line):
            period = next(line._get_open_periods(spans_by_line[line]), None)
            if period:
                due_dates[line] = line._get_period_invoice_date(period)
            else:
                due_dates.pop(line, None)

        for line in lines:
            update_due_date(line)
        rows = []
        for rank in range(1, count + 1):
            if not due_dates:
                break
            run_date = max(min(due_dates.values()), date_from)
            # only the lines due bill on this run, each at least one period
            due_lines = [
                line
                for line in lines
                if line in due_dates and due_dates[line] <= run_date
            ]
            for vals in self._prepare_invoice_lines_values(
                run_date, journal, {line: spans_by_line[line] for line in due_lines}
            ):
                line = lines_by_id[vals["zeron_contract_line_id"]]
                insort(
                    spans_by_line[line],
                    (vals["zeron_period_start"], vals["zeron_period_end"]),
                )
                rows.append(
                    {
                        "contract": self,
                        "line": line,
                        "rank": rank,
                        "invoice_date": run_date,
                        "date_start": vals["zeron_period_start"],
                        "date_end": vals["zeron_period_end"],
                        "quantity": vals["quantity"],
                        "price_unit": vals["price_unit"],
                        "amount_untaxed": self._get_invoice_line_untaxed(vals),
                        "invoice_line_vals": vals,
                    }
                )
            for line in due_lines:
                update_due_date(line)
        return rows

    def _get_invoice_line_untaxed(self, vals):
        """Return the untaxed amount that invoice line values will have.

        Computed as the invoice computes its lines' subtotal (a price that
        includes a tax is net of it), in the contract's currency.

        :param dict vals: vals dict for ``account.move.line``, as
            :meth:`_prepare_invoice_line` returns
        :return: float
        """
        self.ensure_one()
        taxes = self.env["account.tax"].browse(
            [
                tax_id
                for command in vals.get("tax_ids", [])
                if command[0] == fields.Command.SET
                for tax_id in command[2]
            ]
        )
        if not any(taxes.mapped("price_include")):
            # no tax in the price: the base is the price, as the invoice says
            return self.currency_id.round(
                vals["quantity"]
                * vals["price_unit"]
                * (1 - vals.get("discount", 0.0) / 100.0)
            )
        base_line = taxes._prepare_base_line_for_taxes_computation(
            None,
            product_id=self.env["product.product"].browse(vals.get("product_id")),
            tax_ids=taxes,
            price_unit=vals["price_unit"],
            quantity=vals["quantity"],
            discount=vals.get("discount", 0.0),
            currency_id=self.currency_id,
        )
        taxes._add_tax_details_in_base_line(base_line, self.company_id)
        return self.currency_id.round(
            base_line["tax_details"]["total_excluded_currency"]
        )
