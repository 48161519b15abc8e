from odoo import api, fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    zeron_landed_cost_line_ids = fields.One2many(
        comodel_name="stock.landed.cost.lines",
        inverse_name="zeron_move_line_id",
        string="Landed Cost Lines",
        readonly=True,
    )
    zeron_allocation_ids = fields.One2many(
        comodel_name="zeron.cost.allocation",
        inverse_name="bill_line_id",
        string="Cost Allocations",
        readonly=True,
        help="Shares of this landed-cost line booked onto goods that landed costs "
        "cannot value, by the module's own journal entry.",
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
        "landed costs and posted cost allocation entries, in company currency.",
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
        "zeron_allocation_ids.amount",
        "zeron_allocation_ids.state",
    )
    def _compute_zeron_allocated_amount(self):
        for line in self:
            allocated = line.company_currency_id.round(
                sum(
                    line.zeron_landed_cost_line_ids.filtered(
                        lambda cost_line: cost_line.cost_id.state == "done"
                    ).mapped("price_unit")
                )
                + sum(
                    line.zeron_allocation_ids.filtered(
                        lambda allocation: allocation.state == "posted"
                    ).mapped("amount")
                )
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
        """Tell whether a draft or validated landed cost, or a draft or posted
        cost allocation entry, already allocates this line (one that was
        reversed or cancelled does not count)."""
        self.ensure_one()
        line = self.sudo()
        return any(
            cost_line.cost_id._zeron_is_active_allocation()
            for cost_line in line.zeron_landed_cost_line_ids
        ) or any(
            allocation._zeron_is_active() for allocation in line.zeron_allocation_ids
        )

    def _get_zeron_split_method(self):
        """Return the split method of this landed-cost line: its product's."""
        self.ensure_one()
        return self.product_id.split_method_landed_cost or "equal"

    def _zeron_split_over(self, goods):
        """Split this line's company-currency amount over ``goods`` by its split
        method, exactly to the cent.

        :param goods: list of goods basis dicts, see
            ``account.move._zeron_get_goods_basis``
        :return: list of amounts, one per goods dict, summing to ``balance``
        """
        self.ensure_one()
        return self.env["stock.landed.cost"]._zeron_split_amount(
            self.balance,
            self._get_zeron_split_method(),
            goods,
            self.company_id,
            document=self.move_id.display_name,
            service=self.name or self.product_id.display_name,
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

    def _zeron_get_allocation_targets(self):
        """Return the goods this landed-cost line is allocated on.

        :return: tuple (``stock.picking`` recordset of receipts,
            ``account.move.line`` recordset of goods bill lines without purchase
            order)
        """
        self.ensure_one()
        return self._zeron_get_target_pickings(), self._zeron_get_target_goods_lines()

    def _zeron_get_target_goods_lines(self):
        """Return the goods bill lines without purchase order this landed-cost
        line is allocated on: those of the goods bills chosen on the line; when
        no receipt nor goods bill is chosen, those of the line's own bill.

        Only non-stored goods count: goods bought on a purchase order, and stored
        goods, are reached through their receipts.

        :return: ``account.move.line`` recordset
        """
        self.ensure_one()
        line = self.sudo()
        bills = line.zeron_target_bill_ids
        if not bills and not line.zeron_target_picking_ids:
            bills = line.move_id
        return bills.invoice_line_ids.filtered(
            lambda goods_line: goods_line._zeron_is_target_goods_line()
        )

    def _zeron_is_target_goods_line(self):
        """Tell whether this bill line is goods a landed cost can be allocated
        on without a receipt: a posted vendor bill line of a non-stored product
        bought without purchase order."""
        self.ensure_one()
        return bool(
            self.display_type == "product"
            and self.parent_state == "posted"
            and self.move_id.move_type == "in_invoice"
            and not self.purchase_line_id
            and not self.is_landed_costs_line
            and self.product_id.type == "consu"
            and not self.product_id.is_storable
        )

    def _prepare_zeron_landed_cost_line_values(self, amount=None):
        """Return the values of the landed cost line allocating this bill line.

        The amount is the line's own company-currency balance (negative for a
        credit note), so the allocation matches what the bill booked, whatever
        rate applies on other dates. The counterpart account is the one the bill
        line was booked on.

        :param amount: the part of the balance the landed cost allocates, when
            the rest goes to goods it cannot value; default: the whole balance
        :return: vals dict for ``stock.landed.cost.lines``
        """
        self.ensure_one()
        return {
            "name": self.name or self.product_id.display_name,
            "product_id": self.product_id.id,
            "account_id": self.account_id.id,
            "price_unit": self.balance if amount is None else amount,
            "split_method": self._get_zeron_split_method(),
            "zeron_move_line_id": self.id,
        }
