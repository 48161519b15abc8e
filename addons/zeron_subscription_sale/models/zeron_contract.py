import logging
from datetime import date, timedelta

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.tools import format_date, formatLang

_logger = logging.getLogger(__name__)


class ZeronContract(models.Model):
    _inherit = "zeron.contract"

    renewal_order_ids = fields.One2many(
        comodel_name="sale.order",
        inverse_name="zeron_renewal_contract_id",
        string="Renewal Quotations",
        readonly=True,
        groups="sales_team.group_sale_salesman",
    )
    renewal_order_count = fields.Integer(
        compute="_compute_renewal_order_count",
        groups="sales_team.group_sale_salesman",
    )

    # === COMPUTE METHODS === #

    @api.depends("renewal_order_ids")
    def _compute_renewal_order_count(self):
        for contract in self:
            contract.renewal_order_count = len(contract.renewal_order_ids)

    # === ACTION METHODS === #

    def action_view_renewal_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_quotations")
        action["domain"] = [("zeron_renewal_contract_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    # === BUSINESS METHODS: RENEWAL QUOTATIONS === #

    def _can_offer_renewal(self):
        """Tell whether this contract may be offered a renewal by quotation.

        Only a running contract renewed by offer, with a term and no fixed
        end date: accepting the offer adds a renewal term.
        """
        self.ensure_one()
        return (
            self.renewal_type == "offer"
            and self.state == "running"
            and bool(self.term_months)
            and not self.date_end
        )

    def _get_next_term(self):
        """Return the first and last day of the term an accepted renewal adds.

        The contract's own term maths run on a copy in memory that has one
        more accepted renewal, so month ends follow the same rule.

        :return: tuple of dates (start, end)
        """
        self.ensure_one()
        term_end = self._get_billing_end()
        renewed = self.new(
            {
                "date_start": self.date_start,
                "term_months": self.term_months,
                "renewal_type": self.renewal_type,
                "renewal_term_months": self.renewal_term_months,
                "renewals_accepted": self.renewals_accepted + 1,
            }
        )
        return term_end + timedelta(days=1), renewed._get_term_end(date.max)

    def _get_renewal_order(self, term_end):
        """Return the renewal quotation of the term ending on ``term_end``.

        Read as superuser: the contract's users need no sales rights for the
        warnings to go out.

        :return: a ``sale.order`` in any state, or an empty recordset
        """
        self.ensure_one()
        return (
            self.env["sale.order"]
            .sudo()
            .search(
                [
                    ("zeron_renewal_contract_id", "=", self.id),
                    ("zeron_renewal_term_end", "=", term_end),
                ],
                limit=1,
            )
        )

    def _get_renewal_lines(self, term_start):
        """Return the lines a renewal from ``term_start`` offers to continue.

        The lines in force on the new term's first day; those that end with
        the current term (ended or replaced lines) and one-time lines (billed
        once, a setup fee) are left out.

        :param date term_start: the first day of the new term
        :return: ``zeron.contract.line`` records
        """
        self.ensure_one()
        return self.line_ids.filtered(
            lambda line: not line.one_time
            and line.date_start <= term_start
            and (not line.date_end or line.date_end >= term_start)
        )

    def _prepare_renewal_order_values(self, term_end):
        """Return the values of the quotation renewing the term ending on ``term_end``.

        The customer, the running lines at their current price and quantity,
        valid until the term ends, to be signed in the portal.

        :param date term_end: the last day of the term to renew
        :return: vals dict for ``sale.order``
        """
        self.ensure_one()
        term_start, next_end = self._get_next_term()
        lines = self._get_renewal_lines(term_start)
        lang_env = self.with_context(lang=self.partner_id.lang or self.env.lang).env
        section = {
            "display_type": "line_section",
            "name": lang_env._(
                "Renewal of contract %(contract)s: %(start)s to %(end)s",
                contract=self.name,
                start=format_date(lang_env, term_start),
                end=format_date(lang_env, next_end),
            ),
        }
        return {
            "partner_id": self.partner_id.id,
            "partner_invoice_id": self.partner_invoice_id.id,
            "company_id": self.company_id.id,
            "user_id": self.user_id.id,
            "pricelist_id": self.pricelist_id.id,
            "payment_term_id": self.payment_term_id.id,
            "fiscal_position_id": self.fiscal_position_id.id,
            "origin": self.name,
            "validity_date": self._get_renewal_validity_date(term_end),
            "require_signature": True,
            # billed by the contract, period by period: nothing to prepay
            "require_payment": False,
            "zeron_renewal_contract_id": self.id,
            "zeron_renewal_term_end": term_end,
            "zeron_renewal_line_ids": [Command.set(lines.ids)],
            "order_line": [Command.create(section)]
            + [
                Command.create(line._prepare_renewal_order_line_values())
                for line in lines
            ],
        }

    def _get_renewal_validity_date(self, term_end):
        """Return the last day the customer may accept the renewal quotation.

        :param date term_end: the last day of the term to renew
        :return: a date (default: the term's last day)
        """
        self.ensure_one()
        return term_end

    def _create_renewal_order(self, term_end):
        """Create the renewal quotation of the term ending on ``term_end``.

        Side effects: creates the ``sale.order`` (as superuser, so a warning
        sent by a user without sales rights still makes it) and logs it on the
        contract.

        :return: the ``sale.order``
        """
        self.ensure_one()
        order = (
            self.env["sale.order"]
            .with_company(self.company_id)
            .sudo()
            .create(self._prepare_renewal_order_values(term_end))
        )
        self.message_post(
            body=Markup("<p>%s</p>")
            % self.env._(
                "Renewal quotation %(order)s created for the term after %(date)s.",
                order=order._get_html_link(),
                date=format_date(self.env, term_end),
            )
        )
        return order

    def _get_or_create_renewal_order(self, term_end):
        """Return the renewal quotation of this term, created if missing.

        A failure to create it is logged on the contract and does not stop the
        warning: the next stage with the option tries again.

        :return: a ``sale.order``, or an empty recordset
        """
        self.ensure_one()
        order = self._get_renewal_order(term_end)
        if order:
            return order
        try:
            with self.env.cr.savepoint():
                return self._create_renewal_order(term_end)
        except Exception as error:  # noqa: BLE001 - logged on the contract
            _logger.exception("Renewal quotation of contract %s failed", self.id)
            self.message_post(
                body=self.env._(
                    "The renewal quotation could not be created: %(error)s",
                    error=error,
                )
            )
            return self.env["sale.order"]

    def _send_notice(self, kind, key, reference_date, stage=None):
        # a stage with the option creates the quotation first, so the warning
        # email can link to it; every expiry warning of that term shows it
        order = self.env["sale.order"]
        if kind == "expiry" and self._can_offer_renewal():
            term_end = self._get_term_end(reference_date)
            if stage and stage.create_renewal_quotation:
                order = self._get_or_create_renewal_order(term_end)
            else:
                order = self._get_renewal_order(term_end)
        notice = super()._send_notice(kind, key, reference_date, stage=stage)
        if (
            order.state == "draft"
            and "email" in (notice.channels or "").split(",")
            and not order.is_expired
        ):
            # sent with the warning: the customer follows it, which opens it
            # to their portal users
            order.action_quotation_sent()
        return notice

    def _get_notice_offer_values(self):
        values = super()._get_notice_offer_values()
        if self.notice_kind != "expiry" or not self.notice_term_end:
            return values
        order = self._get_renewal_order(self.notice_term_end)
        if order.state not in ("draft", "sent") or order.is_expired:
            return values
        return {
            **values,
            "name": order.name,
            "url": order.get_base_url() + order.get_portal_url(),
            "amount": formatLang(
                self.env, order.amount_total, currency_obj=order.currency_id
            ),
            "date": format_date(self.env, order.validity_date),
        }
