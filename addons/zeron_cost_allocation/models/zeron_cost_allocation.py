from collections import defaultdict

from odoo import api, fields, models

from odoo.addons.stock_landed_costs.models.stock_landed_cost import SPLIT_METHOD


class ZeronCostAllocation(models.Model):
    """Share of a landed-cost service booked onto one goods line by this module's
    own journal entry.

    Used for the goods core's landed costs refuse (non-stored products, standard
    cost, manual valuation): the entry credits the service's account and debits
    the goods line's account with its analytic distribution. One record per
    service bill line and goods line; the goods line is a received stock move, or
    a goods bill line without purchase order.
    """

    _name = "zeron.cost.allocation"
    _description = "Service Cost Allocated onto Goods"
    _inherit = ["analytic.mixin"]
    _order = "id"
    _check_company_auto = True

    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        related="company_id.currency_id",
        string="Company Currency",
    )
    bill_id = fields.Many2one(
        comodel_name="account.move",
        readonly=True,
        index=True,
        check_company=True,
        ondelete="cascade",
        help="The vendor bill or credit note of the service.",
    )
    bill_line_id = fields.Many2one(
        comodel_name="account.move.line",
        string="Service Bill Line",
        readonly=True,
        index="btree_not_null",
        check_company=True,
        ondelete="set null",
    )
    service_product_id = fields.Many2one(
        comodel_name="product.product",
        string="Service",
        readonly=True,
        check_company=True,
    )
    split_method = fields.Selection(selection=SPLIT_METHOD, readonly=True)
    entry_id = fields.Many2one(
        comodel_name="account.move",
        string="Journal Entry",
        required=True,
        readonly=True,
        index=True,
        check_company=True,
        ondelete="cascade",
        help="The journal entry of this module that books the allocation.",
    )
    entry_line_id = fields.Many2one(
        comodel_name="account.move.line",
        string="Journal Item",
        readonly=True,
        ondelete="set null",
        help="The journal item debiting the goods line's account.",
    )
    counterpart_line_id = fields.Many2one(
        comodel_name="account.move.line",
        string="Counterpart Item",
        readonly=True,
        ondelete="set null",
        help="The journal item crediting the service's account.",
    )
    date = fields.Date(related="entry_id.date", store=True)
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("posted", "Posted"),
            ("reversed", "Reversed"),
            ("cancel", "Cancelled"),
        ],
        compute="_compute_state",
        store=True,
        index=True,
        help="Posted allocations count; draft ones await the posting of their "
        "journal entry; reversed and cancelled ones no longer count.",
    )
    product_id = fields.Many2one(
        comodel_name="product.product",
        string="Goods",
        required=True,
        readonly=True,
        check_company=True,
    )
    stock_move_id = fields.Many2one(
        comodel_name="stock.move",
        readonly=True,
        index="btree_not_null",
        check_company=True,
    )
    picking_id = fields.Many2one(
        comodel_name="stock.picking",
        string="Receipt",
        readonly=True,
        index="btree_not_null",
        check_company=True,
    )
    purchase_line_id = fields.Many2one(
        comodel_name="purchase.order.line",
        string="Purchase Order Line",
        readonly=True,
        check_company=True,
    )
    goods_line_id = fields.Many2one(
        comodel_name="account.move.line",
        string="Goods Bill Line",
        readonly=True,
        index="btree_not_null",
        check_company=True,
        help="The goods' own bill line: its account and analytic distribution "
        "receive the share.",
    )
    account_id = fields.Many2one(
        comodel_name="account.account",
        string="Goods Account",
        readonly=True,
        check_company=True,
    )
    quantity = fields.Float(digits="Product Unit of Measure", readonly=True)
    product_uom_id = fields.Many2one(
        comodel_name="uom.uom",
        related="product_id.uom_id",
        string="Unit",
    )
    goods_value = fields.Monetary(
        currency_field="currency_id",
        readonly=True,
        help="Value of the goods line before landed costs, in company currency.",
    )
    amount = fields.Monetary(
        string="Allocated",
        currency_field="currency_id",
        readonly=True,
    )
    landed_unit_cost = fields.Float(
        digits="Product Price",
        compute="_compute_landed_unit_cost",
        help="Goods value plus every posted allocation onto this goods line, per unit.",
    )

    # === COMPUTE METHODS === #

    @api.depends("entry_id.state", "entry_id.reversal_move_ids.state")
    def _compute_state(self):
        for allocation in self:
            entry = allocation.entry_id
            if any(move.state == "posted" for move in entry.reversal_move_ids):
                allocation.state = "reversed"
            else:
                allocation.state = entry.state or "draft"

    @api.depends("goods_value", "quantity", "amount", "state")
    def _compute_landed_unit_cost(self):
        posted = self.search(self._get_zeron_same_goods_domain()) if self else self
        allocated = defaultdict(float)
        for allocation in posted:
            allocated[allocation._zeron_goods_key()] += allocation.amount
        for allocation in self:
            allocation.landed_unit_cost = (
                (allocation.goods_value + allocated[allocation._zeron_goods_key()])
                / allocation.quantity
                if allocation.quantity
                else 0.0
            )

    @api.depends("service_product_id", "product_id")
    def _compute_display_name(self):
        for allocation in self:
            allocation.display_name = self.env._(
                "%(service)s on %(goods)s",
                service=allocation.service_product_id.display_name or "",
                goods=allocation.product_id.display_name or "",
            )

    # === BUSINESS METHODS === #

    def _zeron_goods_key(self):
        """Return what identifies the goods line of ``self``: its stock move, or
        else its goods bill line."""
        self.ensure_one()
        if self.stock_move_id:
            return ("stock.move", self.stock_move_id.id)
        return ("account.move.line", self.goods_line_id.id)

    def _get_zeron_same_goods_domain(self):
        """Return the domain of the posted allocations onto the goods lines of
        ``self`` (the landed unit cost sums them).

        :return: domain list on ``zeron.cost.allocation``
        """
        return [
            ("state", "=", "posted"),
            "|",
            ("stock_move_id", "in", self.stock_move_id.ids),
            "&",
            ("stock_move_id", "=", False),
            ("goods_line_id", "in", self.goods_line_id.ids),
        ]

    def _zeron_is_active(self):
        """Tell whether ``self`` counts as allocating its service line: its entry
        is draft or posted and not reversed."""
        self.ensure_one()
        return self.state in ("draft", "posted")
