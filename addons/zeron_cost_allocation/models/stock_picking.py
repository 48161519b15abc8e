from odoo import api, fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    zeron_landed_cost_ids = fields.Many2many(
        comodel_name="stock.landed.cost",
        string="Landed Costs",
        compute="_compute_zeron_landed_cost_ids",
        groups="stock.group_stock_manager",
    )
    zeron_landed_cost_count = fields.Integer(
        string="Landed Cost Count",
        compute="_compute_zeron_landed_cost_ids",
        groups="stock.group_stock_manager",
    )
    zeron_adjustment_line_ids = fields.Many2many(
        comodel_name="stock.valuation.adjustment.lines",
        string="Allocated Landed Costs",
        compute="_compute_zeron_landed_cost_ids",
        groups="stock.group_stock_manager",
        help="The validated landed-cost shares booked on the goods of this receipt.",
    )
    zeron_allocation_ids = fields.Many2many(
        comodel_name="zeron.cost.allocation",
        string="Cost Allocations",
        compute="_compute_zeron_allocation_ids",
        groups="stock.group_stock_manager",
        help="The posted shares of services booked on goods of this receipt that "
        "landed costs cannot value (standard cost, manual valuation, "
        "non-stored), by cost allocation entries.",
    )

    # === COMPUTE METHODS === #

    @api.depends("move_ids")
    def _compute_zeron_landed_cost_ids(self):
        adjustments = self.env["stock.valuation.adjustment.lines"].search(
            self._get_zeron_adjustment_line_domain()
        )
        by_picking = adjustments.grouped(lambda line: line.move_id.picking_id)
        for picking in self:
            picking_adjustments = by_picking.get(
                picking._origin, self.env["stock.valuation.adjustment.lines"]
            )
            picking.zeron_adjustment_line_ids = picking_adjustments
            picking.zeron_landed_cost_ids = picking_adjustments.cost_id
            picking.zeron_landed_cost_count = len(picking_adjustments.cost_id)

    @api.depends("move_ids")
    def _compute_zeron_allocation_ids(self):
        allocations = self.env["zeron.cost.allocation"].search(
            self._get_zeron_allocation_domain()
        )
        by_picking = allocations.grouped("picking_id")
        for picking in self:
            picking.zeron_allocation_ids = by_picking.get(
                picking._origin, self.env["zeron.cost.allocation"]
            )

    # === ACTIONS === #

    def action_zeron_view_landed_costs(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "stock_landed_costs.action_stock_landed_cost"
        )
        return dict(
            action,
            domain=[("id", "in", self.zeron_landed_cost_ids.ids)],
            context=dict(self.env.context, create=False),
        )

    # === BUSINESS METHODS === #

    def _get_zeron_adjustment_line_domain(self):
        """Return the domain of the landed-cost shares shown on receipts.

        :return: domain list on ``stock.valuation.adjustment.lines``
        """
        return [
            ("move_id.picking_id", "in", self._origin.ids),
            ("cost_id.state", "=", "done"),
        ]

    def _get_zeron_allocation_domain(self):
        """Return the domain of the cost allocations shown on receipts.

        :return: domain list on ``zeron.cost.allocation``
        """
        return [
            ("picking_id", "in", self._origin.ids),
            ("state", "=", "posted"),
        ]
