from odoo import api, fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    zeron_landed_cost_line_ids = fields.One2many(
        comodel_name="stock.landed.cost.lines",
        inverse_name="zeron_move_line_id",
        string="Landed Cost Lines",
        readonly=True,
    )
    zeron_target_picking_ids = fields.Many2many(
        comodel_name="stock.picking",
        relation="zeron_aml_target_picking_rel",
        column1="move_line_id",
        column2="picking_id",
        string="Allocate on Receipts",
        check_company=True,
        domain=[("picking_type_code", "=", "incoming"), ("state", "=", "done")],
        help="Receipts to allocate this landed cost on. Empty: the receipts of the "
        "goods bills below, or else of the purchase orders of this bill.",
    )
    zeron_target_bill_ids = fields.Many2many(
        comodel_name="account.move",
        relation="zeron_aml_target_bill_rel",
        column1="move_line_id",
        column2="bill_id",
        string="Allocate on Goods Bills",
        check_company=True,
        domain=[("move_type", "=", "in_invoice")],
        help="Goods bills whose purchase order receipts this landed cost is "
        "allocated on.",
    )
    zeron_allocated_amount = fields.Monetary(
        string="Allocated",
        currency_field="company_currency_id",
        compute="_compute_zeron_allocated_amount",
        compute_sudo=True,
        help="Amount of this landed-cost line booked onto goods by validated "
        "landed costs, in company currency.",
    )
    zeron_unallocated_amount = fields.Monetary(
        string="Unallocated",
        currency_field="company_currency_id",
        compute="_compute_zeron_allocated_amount",
        compute_sudo=True,
    )

    # === COMPUTE METHODS === #

    @api.depends(
        "balance",
        "is_landed_costs_line",
        "parent_state",
        "zeron_landed_cost_line_ids.price_unit",
        "zeron_landed_cost_line_ids.cost_id.state",
    )
    def _compute_zeron_allocated_amount(self):
        for line in self:
            allocated = sum(
                line.zeron_landed_cost_line_ids.filtered(
                    lambda cost_line: cost_line.cost_id.state == "done"
                ).mapped("price_unit")
            )
            line.zeron_allocated_amount = allocated
            line.zeron_unallocated_amount = (
                line.company_currency_id.round(line.balance - allocated)
                if line._zeron_is_allocable() and line.parent_state != "cancel"
                else 0.0
            )

    # === BUSINESS METHODS === #

    def _zeron_is_allocable(self):
        """Tell whether this bill line is a landed cost to allocate onto goods."""
        self.ensure_one()
        return bool(
            self.display_type == "product"
            and self.is_landed_costs_line
            and self.product_id.type == "service"
            and self.product_id.landed_cost_ok
            and self.move_id.is_purchase_document()
        )

    def _zeron_is_allocated(self):
        """Tell whether a draft or validated landed cost already allocates this
        line (one that was reversed or cancelled does not count)."""
        self.ensure_one()
        return any(
            cost_line.cost_id._zeron_is_active_allocation()
            for cost_line in self.sudo().zeron_landed_cost_line_ids
        )

    def _get_zeron_target_picking_domain(self):
        """Return the domain the receipts of this line's allocation must match.

        :return: domain list on ``stock.picking``
        """
        self.ensure_one()
        return [
            ("company_id", "=", self.company_id.id),
            ("picking_type_code", "=", "incoming"),
            ("state", "=", "done"),
        ]

    def _zeron_get_target_pickings(self):
        """Return the receipts this landed-cost line is allocated on: those chosen
        on the line, plus the receipts of the purchase orders of the goods bills
        chosen on the line; when nothing is chosen, the receipts of the purchase
        orders of the line's own bill.

        :return: ``stock.picking`` recordset
        """
        self.ensure_one()
        # Read purchase data as superuser: the right to post the bill is enough.
        line = self.sudo()
        pickings = line.zeron_target_picking_ids
        orders = line.zeron_target_bill_ids.line_ids.purchase_line_id.order_id
        if not pickings and not orders:
            orders = line.move_id.line_ids.purchase_line_id.order_id
        pickings |= orders.picking_ids
        return pickings.filtered_domain(self._get_zeron_target_picking_domain())

    def _prepare_zeron_landed_cost_line_values(self):
        """Return the values of the landed cost line allocating this bill line.

        The amount is the line's own company-currency balance (negative for a
        credit note), so the allocation matches what the bill booked, whatever
        rate applies on other dates. The counterpart account is the one the bill
        line was booked on.

        :return: vals dict for ``stock.landed.cost.lines``
        """
        self.ensure_one()
        return {
            "name": self.name or self.product_id.display_name,
            "product_id": self.product_id.id,
            "account_id": self.account_id.id,
            "price_unit": self.balance,
            "split_method": self.product_id.split_method_landed_cost or "equal",
            "zeron_move_line_id": self.id,
        }
