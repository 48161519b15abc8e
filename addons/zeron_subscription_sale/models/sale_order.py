from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    zeron_commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        string="Commercial Entity of the Customer",
    )
    zeron_contract_id = fields.Many2one(
        comodel_name="zeron.contract",
        string="Add to Contract",
        copy=False,
        check_company=True,
        domain="[('commercial_partner_id', '=', zeron_commercial_partner_id),"
        " ('state', 'in', ('draft', 'running', 'to_renew'))]",
        help="Add the subscription lines of this order to this running contract; "
        "empty: confirming the order creates a new contract.",
    )
    zeron_contract_ids = fields.Many2many(
        comodel_name="zeron.contract",
        string="Subscription Contracts",
        compute="_compute_zeron_contract_ids",
    )
    zeron_contract_count = fields.Integer(compute="_compute_zeron_contract_ids")
    zeron_renewal_contract_id = fields.Many2one(
        comodel_name="zeron.contract",
        string="Renews Contract",
        copy=False,
        readonly=True,
        index="btree_not_null",
        check_company=True,
        help="Renewal quotation: confirming it renews this contract for a term, "
        "with the quotation's lines, instead of creating a contract.",
    )
    zeron_renewal_term_end = fields.Date(
        string="Renews Term Ending On",
        copy=False,
        readonly=True,
        help="Last day of the contract term this quotation offers to renew.",
    )
    zeron_renewal_line_ids = fields.Many2many(
        comodel_name="zeron.contract.line",
        string="Offered Contract Lines",
        copy=False,
        readonly=True,
        help="The contract lines the renewal quotation offered to continue; those "
        "removed from the quotation end with the current term.",
    )

    _sql_constraints = [
        (
            "zeron_renewal_term_uniq",
            "unique(zeron_renewal_contract_id, zeron_renewal_term_end)",
            "A contract term gets only one renewal quotation.",
        ),
    ]

    @api.depends("order_line.zeron_contract_line_id", "zeron_renewal_contract_id")
    def _compute_zeron_contract_ids(self):
        for order in self:
            order.zeron_contract_ids = (
                order.order_line.zeron_contract_line_id.contract_id
                | order.zeron_renewal_contract_id
            )
            order.zeron_contract_count = len(order.zeron_contract_ids)

    def _confirmation_error_message(self):
        error = super()._confirmation_error_message()
        if error or not self.zeron_renewal_contract_id:
            return error
        return self._zeron_get_renewal_error()

    def _action_confirm(self):
        result = super()._action_confirm()
        for order in self:
            if order.zeron_renewal_contract_id:
                # a renewal extends its contract; it never makes a new one
                order._zeron_renew_contract()
                continue
            lines = order.order_line.filtered(
                lambda line: (
                    line.product_id.zeron_is_subscription
                    or line.product_id.zeron_one_time
                )
                and not line.zeron_contract_line_id
                and not line.display_type
            )
            # a one-time fee goes with the contract's first (or next) invoice,
            # but makes no contract of its own
            if lines.product_id.filtered("zeron_is_subscription") or (
                lines and order.zeron_contract_id
            ):
                order._zeron_create_contract_lines(lines)
        return result

    def _zeron_get_start_date(self):
        """Return the first day the order's subscriptions are billed."""
        self.ensure_one()
        moment = self.commitment_date or self.date_order
        return fields.Date.context_today(self, moment)

    def _prepare_zeron_contract_values(self):
        """Return the values of the contract a confirmed order creates."""
        self.ensure_one()
        return {
            "partner_id": self.partner_id.id,
            "partner_invoice_id": self.partner_invoice_id.id,
            "company_id": self.company_id.id,
            "user_id": self.user_id.id or self.env.user.id,
            "pricelist_id": self.pricelist_id.id,
            "payment_term_id": self.payment_term_id.id,
            "fiscal_position_id": self.fiscal_position_id.id,
            "date_start": self._zeron_get_start_date(),
            "origin": self.name,
        }

    def _zeron_create_contract_lines(self, sale_lines):
        """Bill ``sale_lines`` through a contract: the chosen one or a new one.

        Side effects: creates (and starts) the contract or its lines, and
        links each sale line to its contract line.
        """
        self.ensure_one()
        contract = self.zeron_contract_id
        if contract and (
            contract.commercial_partner_id != self.partner_id.commercial_partner_id
        ):
            raise UserError(
                self.env._(
                    "Order %(order)s is for %(customer)s but contract %(contract)s "
                    "(field Add to Contract) belongs to %(other)s.",
                    order=self.name,
                    customer=self.partner_id.display_name,
                    contract=contract.display_name,
                    other=contract.partner_id.display_name,
                )
            )
        if contract and contract.currency_id != self.currency_id:
            raise UserError(
                self.env._(
                    "Order %(order)s is in %(order_currency)s but contract "
                    "%(contract)s (field Add to Contract) bills in %(currency)s.",
                    order=self.name,
                    order_currency=self.currency_id.name,
                    contract=contract.display_name,
                    currency=contract.currency_id.name,
                )
            )
        if not contract:
            contract = self.env["zeron.contract"].create(
                self._prepare_zeron_contract_values()
            )
        start = max(self._zeron_get_start_date(), contract.date_start)
        for sale_line in sale_lines:
            contract_line = self.env["zeron.contract.line"].create(
                sale_line._prepare_zeron_contract_line_values(contract, start)
            )
            sale_line.zeron_contract_line_id = contract_line
        if contract.state == "draft":
            contract.action_start()
        contract.message_post(
            body=self.env._("Lines added by sale order %(order)s.", order=self.name)
        )
        return contract

    def _has_to_be_signed(self):
        # the portal offers to sign a renewal only while it can still renew
        return super()._has_to_be_signed() and not (
            self.zeron_renewal_contract_id and self._zeron_get_renewal_error()
        )

    def _zeron_get_renewal_error(self):
        """Return why this renewal quotation cannot renew its contract now.

        :return: a translated message, or ``False`` when it can
        """
        self.ensure_one()
        # checked for portal customers and salespeople alike
        contract = self.zeron_renewal_contract_id.sudo()
        # as is_expired, which is not recomputed within a transaction
        if self.validity_date and self.validity_date < fields.Date.today():
            return self.env._(
                "Renewal quotation %(order)s expired on %(date)s (field Expiration): "
                "contract %(contract)s is not renewed.",
                order=self.name,
                date=self.validity_date,
                contract=contract.display_name,
            )
        if contract.renewal_type != "offer" or contract.state not in (
            "running",
            "to_renew",
            "expired",
        ):
            states = dict(contract._fields["state"]._description_selection(self.env))
            return self.env._(
                "Contract %(contract)s (field Renews Contract of %(order)s) can no "
                "longer be renewed by offer; it is %(state)s.",
                contract=contract.display_name,
                order=self.name,
                state=states[contract.state],
            )
        if contract._get_billing_end() != self.zeron_renewal_term_end:
            return self.env._(
                "Renewal quotation %(order)s renews the term of contract "
                "%(contract)s ending on %(date)s (field Renews Term Ending On), but "
                "the contract now ends on %(end)s: it was renewed or changed "
                "meanwhile.",
                order=self.name,
                contract=contract.display_name,
                date=self.zeron_renewal_term_end,
                end=contract._get_billing_end() or self.env._("no end date"),
            )
        if contract.currency_id != self.currency_id:
            return self.env._(
                "Renewal quotation %(order)s is in %(order_currency)s but contract "
                "%(contract)s bills in %(currency)s.",
                order=self.name,
                order_currency=self.currency_id.name,
                contract=contract.display_name,
                currency=contract.currency_id.name,
            )
        return False

    def _zeron_renew_contract(self):
        """Renew the contract this quotation offers to renew, for one term.

        Side effects: the contract gets one more accepted renewal (see
        ``zeron.contract.action_renew``) and the quotation's lines apply from
        the new term's first day (:meth:`_zeron_apply_renewal_lines`).

        :return: the renewed ``zeron.contract``
        """
        self.ensure_one()
        contract = self.zeron_renewal_contract_id
        term_start = self.zeron_renewal_term_end + timedelta(days=1)
        contract.action_renew()
        self._zeron_apply_renewal_lines(contract, term_start)
        contract.message_post(
            body=Markup("<p>%s</p>")
            % self.env._(
                "Renewal accepted with sale order %(order)s.",
                order=self._get_html_link(),
            )
        )
        return contract

    def _zeron_apply_renewal_lines(self, contract, term_start):
        """Bill this renewal quotation's lines through ``contract`` from ``term_start``.

        An offered contract line kept as it was runs on. One whose quantity,
        price, discount or unit changed continues as a successor line from
        ``term_start``. One removed from the quotation, set to quantity 0 or
        to another product ends the day before. A subscription product added
        to the quotation starts a new contract line on ``term_start``; other
        products are invoiced by the order as usual.

        Side effects: writes, splits and creates contract lines and links the
        order lines to them.
        """
        self.ensure_one()
        offered = self.zeron_renewal_line_ids
        kept = self.env["zeron.contract.line"]
        new_lines = self.env["sale.order.line"]
        for sale_line in self.order_line.filtered(lambda line: not line.display_type):
            contract_line = sale_line.zeron_contract_line_id & offered
            quantity = sale_line.product_uom_qty
            if (
                contract_line
                and sale_line.product_id == contract_line.product_id
                and quantity
            ):
                kept |= contract_line
                changes = sale_line._prepare_zeron_renewal_changes(contract_line)
                if not changes:
                    continue
                if contract_line.date_start >= term_start:
                    contract_line.write(changes)
                else:
                    sale_line.zeron_contract_line_id = contract_line._split_at(
                        term_start, changes
                    )
                continue
            if contract_line and quantity:
                # another product now: billed anew below, or by the order
                sale_line.zeron_contract_line_id = False
            if sale_line.product_id.zeron_is_subscription and quantity:
                new_lines |= sale_line
        term_end = term_start - timedelta(days=1)
        (offered - kept).filtered(
            lambda line: not line.date_end or line.date_end > term_end
        ).date_end = term_end
        for sale_line in new_lines:
            sale_line.zeron_contract_line_id = self.env["zeron.contract.line"].create(
                sale_line._prepare_zeron_contract_line_values(contract, term_start)
            )

    def action_view_zeron_contracts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "zeron_subscription.zeron_contract_action"
        )
        action["domain"] = [("id", "in", self.zeron_contract_ids.ids)]
        action["context"] = {}
        return action
