import uuid

from odoo import api, fields, models


class ZeronContractForecast(models.TransientModel):
    """A line of an invoice the invoicing run will make: a forecast.

    Filled on demand by :meth:`_fill` from :meth:`zeron.contract._get_forecast`,
    for the contracts asked for, and shown in list, pivot and graph views.

    Transient on purpose. The forecast is simulated afresh from the contracts
    as they are when it is asked for (a price revised a minute ago shows at
    once), so it is never stale as a copy rebuilt nightly would be, and no
    scheduled action keeps thousands of rows up to date that nobody reads.
    Pivot and graph views group transient rows like any others. Each filling
    is tagged with its own :attr:`forecast_key`, which the action opening it
    filters on, so users and browser tabs do not see each other's rows; Odoo's
    autovacuum deletes them an hour later (``transient_age_limit``).
    """

    _name = "zeron.contract.forecast"
    _description = "Invoicing Forecast"
    _order = "invoice_date, contract_id, invoice_rank, date_start, id"
    _rec_name = "contract_id"

    forecast_key = fields.Char(
        required=True,
        index=True,
        readonly=True,
        help="Tags the rows of one filling of the forecast.",
    )
    invoice_rank = fields.Integer(
        string="Upcoming Invoice",
        aggregator=None,
        readonly=True,
        help="1 for the contract's next invoice, 2 for the one after, and so on.",
    )
    contract_id = fields.Many2one(
        comodel_name="zeron.contract",
        readonly=True,
        ondelete="cascade",
    )
    line_id = fields.Many2one(
        comodel_name="zeron.contract.line",
        string="Contract Line",
        readonly=True,
        ondelete="cascade",
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        readonly=True,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Responsible",
        readonly=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        readonly=True,
        index=True,
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        readonly=True,
    )
    company_currency_id = fields.Many2one(
        comodel_name="res.currency",
        readonly=True,
    )
    product_id = fields.Many2one(
        comodel_name="product.product",
        readonly=True,
    )
    invoice_date = fields.Date(readonly=True)
    date_start = fields.Date(string="Period Start", readonly=True)
    date_end = fields.Date(string="Period End", readonly=True)
    # no decimal precision on the floats: looking it up for every row of a
    # large forecast costs more than the rest of their creation
    quantity = fields.Float(
        aggregator=None,
        readonly=True,
    )
    price_unit = fields.Float(
        string="Unit Price",
        aggregator=None,
        readonly=True,
        help="The unit price of the period, prorated if the period is cut.",
    )
    amount_untaxed = fields.Monetary(
        string="Untaxed Amount",
        currency_field="currency_id",
        readonly=True,
        help="In the contract's currency.",
    )
    amount_untaxed_company = fields.Monetary(
        string="Untaxed Amount (Company Currency)",
        currency_field="company_currency_id",
        readonly=True,
        help="Converted at the rate of the invoice date known today.",
    )

    # === BUSINESS METHODS === #

    @api.model
    def _fill(self, contracts, count=None, date_from=None):
        """Forecast the next invoices of ``contracts`` into new rows.

        :param contracts: the ``zeron.contract`` records to forecast
        :param int count: invoices per contract (see
            :meth:`zeron.contract._get_forecast`)
        :param date date_from: day of the first simulated run
        :return: the :attr:`forecast_key` of the new rows
        """
        key = uuid.uuid4().hex
        vals_list = [
            self._prepare_forecast_values(row, key)
            for row in contracts._get_forecast(count=count, date_from=date_from)
        ]
        self._convert_to_company_currency(vals_list)
        self.create(vals_list)
        return key

    @api.model
    def _prepare_forecast_values(self, row, key):
        """Return the values of the row of a forecast invoice line.

        :param dict row: a row of :meth:`zeron.contract._get_forecast`
        :param str key: the :attr:`forecast_key` of this filling
        :return: vals dict for ``zeron.contract.forecast``
        """
        contract, line = row["contract"], row["line"]
        return {
            "forecast_key": key,
            "invoice_rank": row["rank"],
            "contract_id": contract.id,
            "line_id": line.id,
            "partner_id": contract.partner_id.id,
            "user_id": contract.user_id.id,
            "company_id": contract.company_id.id,
            "currency_id": contract.currency_id.id,
            "company_currency_id": contract.company_id.currency_id.id,
            "product_id": line.product_id.id,
            "invoice_date": row["invoice_date"],
            "date_start": row["date_start"],
            "date_end": row["date_end"],
            "quantity": row["quantity"],
            "price_unit": row["price_unit"],
            "amount_untaxed": row["amount_untaxed"],
        }

    @api.model
    def _convert_to_company_currency(self, vals_list):
        """Set ``amount_untaxed_company`` on these row values, in place.

        Each amount is converted at the rate of its invoice date, as the
        invoice will be; a rate is looked up once per currency, company and day.
        """
        currencies = self.env["res.currency"]
        companies = self.env["res.company"]
        rates = {}
        for vals in vals_list:
            currency_ids = (vals["currency_id"], vals["company_currency_id"])
            if currency_ids[0] == currency_ids[1]:
                vals["amount_untaxed_company"] = vals["amount_untaxed"]
                continue
            rate_key = (*currency_ids, vals["company_id"], vals["invoice_date"])
            if rate_key not in rates:
                rates[rate_key] = currencies._get_conversion_rate(
                    currencies.browse(currency_ids[0]),
                    currencies.browse(currency_ids[1]),
                    companies.browse(vals["company_id"]),
                    vals["invoice_date"],
                )
            vals["amount_untaxed_company"] = currencies.browse(currency_ids[1]).round(
                vals["amount_untaxed"] * rates[rate_key]
            )

    @api.model
    def _get_forecast_action(self, key, single=False):
        """Return the action that shows the rows of one filling.

        :param str key: the :attr:`forecast_key` of the rows
        :param bool single: the rows of one contract: open on the list
        :return: an ``ir.actions.act_window`` dict
        """
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "zeron_subscription.zeron_contract_forecast_action"
        )
        action["domain"] = [("forecast_key", "=", key)]
        if single:
            order = {"list": 0, "pivot": 1, "graph": 2}
            action["views"] = sorted(
                action["views"], key=lambda view: order.get(view[1], 9)
            )
        return action
