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

    @api.depends("order_line.zeron_contract_line_id")
    def _compute_zeron_contract_ids(self):
        for order in self:
            order.zeron_contract_ids = (
                order.order_line.zeron_contract_line_id.contract_id
            )
            order.zeron_contract_count = len(order.zeron_contract_ids)

    def _action_confirm(self):
        result = super()._action_confirm()
        for order in self:
            lines = order.order_line.filtered(
                lambda line: line.product_id.zeron_is_subscription
                and not line.zeron_contract_line_id
                and not line.display_type
            )
            if lines:
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

    def action_view_zeron_contracts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "zeron_subscription.zeron_contract_action"
        )
        action["domain"] = [("id", "in", self.zeron_contract_ids.ids)]
        action["context"] = {}
        return action
