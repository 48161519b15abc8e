import logging
from collections import defaultdict

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)

# Keys of a goods basis dict (see ``_zeron_get_goods_basis``) that a valuation
# adjustment line of a landed cost takes over.
VALUATION_KEYS = (
    "product_id",
    "move_id",
    "quantity",
    "former_cost",
    "weight",
    "volume",
)


class AccountMove(models.Model):
    _inherit = "account.move"

    zeron_has_unallocated_landed_cost = fields.Boolean(
        compute="_compute_zeron_has_unallocated_landed_cost",
        compute_sudo=True,
        string="Has Unallocated Landed Costs",
    )
    zeron_allocation_ids = fields.One2many(
        comodel_name="zeron.cost.allocation",
        inverse_name="bill_id",
        string="Cost Allocations",
        readonly=True,
        help="Shares of this bill's landed-cost services booked onto goods that "
        "landed costs cannot value.",
    )
    zeron_entry_allocation_ids = fields.One2many(
        comodel_name="zeron.cost.allocation",
        inverse_name="entry_id",
        string="Allocations Booked",
        readonly=True,
        help="The cost allocations this journal entry books.",
    )

    # === COMPUTE METHODS === #

    @api.depends(
        "state",
        "invoice_line_ids.is_landed_costs_line",
        "invoice_line_ids.zeron_landed_cost_line_ids.cost_id.state",
        "invoice_line_ids.zeron_allocation_ids.state",
    )
    def _compute_zeron_has_unallocated_landed_cost(self):
        for move in self:
            move.zeron_has_unallocated_landed_cost = bool(
                move.state == "posted" and move._zeron_get_lines_to_allocate()
            )

    # === CRUD / STATE OVERRIDES === #

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._zeron_allocate_landed_costs()
        posted._zeron_reconcile_allocation_entries()
        return posted

    def button_draft(self):
        # button_cancel goes through button_draft for posted moves, so a cancelled
        # bill is reversed here as well.
        res = super().button_draft()
        self._zeron_reverse_landed_costs()
        return res

    # === ACTIONS === #

    def action_zeron_allocate_landed_costs(self):
        """Allocate the landed-cost lines of posted bills that are not allocated
        yet, for example because their goods were received after posting."""
        self._zeron_allocate_landed_costs()
        return True

    # === BUSINESS METHODS === #

    def _zeron_get_lines_to_allocate(self):
        """Return the bill lines of ``self`` that still need an allocation.

        :return: ``account.move.line`` recordset
        """
        return self.invoice_line_ids.filtered(
            lambda line: line._zeron_is_allocable() and not line._zeron_is_allocated()
        )

    def _zeron_allocate_landed_costs(self):
        """Allocate the landed-cost lines of posted vendor bills and credit notes
        in ``self`` onto the goods they accompanied.

        Each line is split once over all its goods. The shares of goods a landed
        cost can value (stored, FIFO or average cost, automated valuation) go to
        a landed cost, created and, per the company setting, validated; the
        shares of the other goods (non-stored, standard cost, manual valuation)
        are booked by one journal entry of this module per bill, posted per the
        same setting.

        Lines already allocated are skipped, so calling it again allocates nothing
        twice. Lines whose goods cannot be found are left unallocated and noted on
        the bill.

        Runs as superuser: posting a bill is enough right to book its landed cost,
        and an accountant usually has no inventory manager rights.

        :return: the landed costs created
        """
        landed_costs = self.env["stock.landed.cost"]
        bills = self.filtered(
            lambda move: move.state == "posted" and move.is_purchase_document()
        )
        for bill in bills:
            bill = bill.with_company(bill.company_id)
            lines = bill._zeron_get_lines_to_allocate()
            if not lines:
                continue
            lines_by_targets = defaultdict(lambda: self.env["account.move.line"])
            for line in lines:
                lines_by_targets[line._zeron_get_allocation_targets()] |= line
            allocation_vals_list = []
            for (pickings, goods_lines), target_lines in lines_by_targets.items():
                goods = bill.sudo()._zeron_get_goods_basis(pickings, goods_lines)
                if not goods:
                    bill._zeron_notify_missing_goods(target_lines)
                    continue
                shares = {line: line._zeron_split_over(goods) for line in target_lines}
                landed_costs |= bill._zeron_create_landed_cost(goods, shares)
                allocation_vals_list += bill._prepare_zeron_allocation_values(
                    goods, shares
                )
            if allocation_vals_list:
                bill._zeron_book_allocation_entry(allocation_vals_list)
        return landed_costs

    def _zeron_get_goods_basis(self, pickings, goods_lines):
        """Return the goods to split landed costs over: the received goods of
        ``pickings``, then ``goods_lines``.

        Each goods line is a dict with the keys of core's valuation lines
        (``product_id``, ``move_id``, ``quantity`` in the product's unit,
        ``former_cost`` in company currency, ``weight``, ``volume``) and
        ``zeron_refused``, true for goods a landed cost cannot value; for those
        also ``zeron_picking_id``, ``zeron_purchase_line_id``,
        ``zeron_goods_line_id``, ``zeron_account_id`` and
        ``zeron_analytic_distribution``.

        :param pickings: ``stock.picking`` recordset of done receipts
        :param goods_lines: ``account.move.line`` recordset of goods bill lines
            without purchase order
        :return: list of dicts, in receipt move order, then bill line order
        """
        self.ensure_one()
        moves = pickings.move_ids.filtered(
            lambda move: move._zeron_is_allocation_target()
        )
        return [self._zeron_prepare_move_basis(move) for move in moves] + [
            self._zeron_prepare_goods_line_basis(line) for line in goods_lines
        ]

    def _zeron_prepare_move_basis(self, move):
        """Return the goods basis dict of a received stock move.

        Stored goods are valued by their valuation layers (as core does); goods
        without layers (non-stored) by their purchase price, see
        ``_zeron_get_unvalued_move_value``. Goods a landed cost refuses take the
        account and analytic distribution of their own bill line, or of their
        purchase order line when not billed yet.

        :param move: a done ``stock.move`` of a receipt
        :return: goods basis dict
        """
        self.ensure_one()
        product = move.product_id.with_company(move.company_id)
        quantity = move.product_uom._compute_quantity(move.quantity, product.uom_id)
        if product.is_storable:
            former_cost = sum(move._get_stock_valuation_layer_ids().mapped("value"))
        else:
            former_cost = self._zeron_get_unvalued_move_value(move, quantity)
        vals = {
            "product_id": product.id,
            "move_id": move.id,
            "quantity": quantity,
            "former_cost": former_cost,
            "weight": product.weight * quantity,
            "volume": product.volume * quantity,
            "zeron_refused": not move._zeron_accepts_landed_cost(),
        }
        if vals["zeron_refused"]:
            purchase_line = move.purchase_line_id
            goods_line = purchase_line.invoice_lines.filtered(
                lambda line: line.parent_state == "posted"
                and line.move_id.move_type == "in_invoice"
            ).sorted("id")[:1]
            vals.update(
                zeron_picking_id=move.picking_id.id,
                zeron_purchase_line_id=purchase_line.id,
                zeron_goods_line_id=goods_line.id,
                zeron_account_id=self._get_zeron_goods_account(product, goods_line).id,
                zeron_analytic_distribution=goods_line.analytic_distribution
                or purchase_line.analytic_distribution
                or False,
            )
        return vals

    def _zeron_prepare_goods_line_basis(self, goods_line):
        """Return the goods basis dict of a goods bill line without purchase
        order: its quantity, its company-currency amount as value, its account
        and analytic distribution.

        :param goods_line: ``account.move.line`` of non-stored goods
        :return: goods basis dict
        """
        self.ensure_one()
        product = goods_line.product_id.with_company(goods_line.company_id)
        quantity = goods_line.product_uom_id._compute_quantity(
            goods_line.quantity, product.uom_id
        )
        return {
            "product_id": product.id,
            "move_id": False,
            "quantity": quantity,
            "former_cost": goods_line.balance,
            "weight": product.weight * quantity,
            "volume": product.volume * quantity,
            "zeron_refused": True,
            "zeron_picking_id": False,
            "zeron_purchase_line_id": False,
            "zeron_goods_line_id": goods_line.id,
            "zeron_account_id": self._get_zeron_goods_account(product, goods_line).id,
            "zeron_analytic_distribution": goods_line.analytic_distribution or False,
        }

    def _zeron_get_unvalued_move_value(self, move, quantity):
        """Return the company-currency value of goods received without valuation
        layers: their purchase order price (after discount, without taxes),
        converted at the receipt's date, or else the product's cost.

        :param move: a done ``stock.move``
        :param quantity: its quantity in the product's unit
        :return: float, rounded to the company currency
        """
        company = move.company_id
        purchase_line = move.purchase_line_id
        if purchase_line:
            value = purchase_line.currency_id._convert(
                purchase_line._get_gross_price_unit() * quantity,
                company.currency_id,
                company,
                move.date or fields.Date.context_today(self),
            )
        else:
            value = move.product_id.with_company(company).standard_price * quantity
        return company.currency_id.round(value)

    def _get_zeron_goods_account(self, product, goods_line):
        """Return the account that receives the share of goods a landed cost
        cannot value.

        It is the account of the goods' own bill line, or the product's expense
        account when the goods are not billed yet. When that account is the
        goods' stock input account (automated valuation with anglo-saxon
        accounting), which receipts and bills clear against each other and on
        which the service itself was booked, the share goes instead to the
        product's price difference account, where core books the bill price
        above the standard cost, or else to its expense account.

        :param product: ``product.product`` of the goods
        :param goods_line: ``account.move.line`` of the goods' bill, or empty
        :return: ``account.account`` record, possibly empty
        """
        self.ensure_one()
        fiscal_position = goods_line.move_id.fiscal_position_id or (
            self.fiscal_position_id
        )
        accounts = product.product_tmpl_id.get_product_accounts(
            fiscal_pos=fiscal_position
        )
        account = goods_line.account_id or accounts["expense"]
        if account and account == accounts.get("stock_input"):
            price_difference = (
                product.property_account_creditor_price_difference
                or product.categ_id.property_account_creditor_price_difference_categ
            )
            account = (
                fiscal_position.map_account(price_difference)
                if price_difference
                else accounts["expense"]
            )
        return account

    def _zeron_create_landed_cost(self, goods, shares):
        """Create the landed cost of the shares of ``goods`` it can value, and
        validate it per the company setting.

        The valuation adjustment lines take the shares as split over all goods,
        so both halves of an allocation add up to each bill line to the cent.

        :param goods: list of goods basis dicts
        :param shares: dict {bill line: list of amounts, one per goods dict}
        :return: the ``stock.landed.cost`` created, or an empty recordset when
            no goods can be valued by a landed cost
        """
        self.ensure_one()
        accepted = [
            index for index, vals in enumerate(goods) if not vals["zeron_refused"]
        ]
        if not accepted:
            return self.env["stock.landed.cost"]
        currency = self.company_id.currency_id
        lines = self.env["account.move.line"].concat(*shares)
        amounts = {
            line: currency.round(sum(line_shares[index] for index in accepted))
            for line, line_shares in shares.items()
        }
        pickings = (
            self.env["stock.move"]
            .sudo()
            .browse([goods[index]["move_id"] for index in accepted])
            .picking_id
        )
        # Created in the bill's company, which gives the default journal.
        landed_cost = (
            self.env["stock.landed.cost"]
            .sudo()
            .create(self._prepare_zeron_landed_cost_values(pickings, lines, amounts))
        )
        self.env["stock.valuation.adjustment.lines"].sudo().create(
            [
                dict(
                    {key: goods[index][key] for key in VALUATION_KEYS},
                    cost_id=landed_cost.id,
                    cost_line_id=cost_line.id,
                    additional_landed_cost=shares[cost_line.zeron_move_line_id][index],
                )
                for cost_line in landed_cost.cost_lines
                for index in accepted
            ]
        )
        if self.company_id.zeron_landed_cost_auto_validate:
            # Validated in batch, see stock.landed.cost._zeron_validate_in_batch.
            landed_cost.button_validate()
        self.message_post(
            body=Markup(self.env._("Landed cost %(link)s created from this bill."))
            % {"link": landed_cost._get_html_link()}
        )
        _logger.debug(
            "Bill %s: landed cost %s created for lines %s",
            self.id,
            landed_cost.id,
            lines.ids,
        )
        return landed_cost

    def _prepare_zeron_allocation_values(self, goods, shares):
        """Return the values of the cost allocations of the shares of ``goods``
        a landed cost cannot value (shares of zero are left out).

        :param goods: list of goods basis dicts
        :param shares: dict {bill line: list of amounts, one per goods dict}
        :return: list of vals dicts for ``zeron.cost.allocation``, grouped by
            bill line
        """
        self.ensure_one()
        currency = self.company_id.currency_id
        vals_list = []
        for line, line_shares in shares.items():
            for vals, amount in zip(goods, line_shares, strict=True):
                if not vals["zeron_refused"] or currency.is_zero(amount):
                    continue
                vals_list.append(
                    {
                        "company_id": self.company_id.id,
                        "bill_id": self.id,
                        "bill_line_id": line.id,
                        "service_product_id": line.product_id.id,
                        "split_method": line._get_zeron_split_method(),
                        "product_id": vals["product_id"],
                        "stock_move_id": vals["move_id"],
                        "picking_id": vals["zeron_picking_id"],
                        "purchase_line_id": vals["zeron_purchase_line_id"],
                        "goods_line_id": vals["zeron_goods_line_id"],
                        "account_id": vals["zeron_account_id"],
                        "analytic_distribution": vals["zeron_analytic_distribution"],
                        "quantity": vals["quantity"],
                        "goods_value": vals["former_cost"],
                        "amount": amount,
                    }
                )
        return vals_list

    def _get_zeron_allocation_journal(self):
        """Return the journal of this bill's cost allocation entry: the
        company's cost allocation journal, or else the journal its landed costs
        use (the company's landed cost journal, or the stock journal), or else
        the bill's own journal.

        :return: ``account.journal`` record
        """
        self.ensure_one()
        company = self.company_id
        return (
            company.zeron_allocation_journal_id
            or self.env["stock.landed.cost"]
            .sudo()
            .with_company(company)
            ._default_account_journal_id()
            .filtered(lambda journal: journal.company_id == company)
            or self.journal_id
        )

    def _prepare_zeron_allocation_entry_values(self):
        """Return the header values of this bill's cost allocation entry: in
        company currency, at the bill's accounting date.

        :return: vals dict for ``account.move.create``, without lines
        """
        self.ensure_one()
        return {
            "move_type": "entry",
            "company_id": self.company_id.id,
            "journal_id": self._get_zeron_allocation_journal().id,
            "date": self.date,
            "currency_id": self.company_id.currency_id.id,
            "ref": self.env._(
                "Cost allocation of %(bill)s", bill=self.name or self.display_name
            ),
        }

    def _prepare_zeron_allocation_debit_values(self, service_line, allocation_vals):
        """Return the journal item moving one share onto its goods line's account
        and analytic distribution.

        :param service_line: the landed-cost ``account.move.line`` of ``self``
        :param allocation_vals: vals dict of the allocation
        :return: vals dict for ``account.move.line``
        :raise UserError: when the goods have no account to receive the share
        """
        self.ensure_one()
        product = self.env["product.product"].browse(allocation_vals["product_id"])
        if not allocation_vals["account_id"]:
            raise UserError(
                self.env._(
                    "%(bill)s cannot book %(service)s onto %(product)s: the product "
                    "has no expense account. Set one on the product or its "
                    "category.",
                    bill=self.display_name,
                    service=service_line.name or service_line.product_id.display_name,
                    product=product.display_name,
                )
            )
        return {
            "name": self.env._(
                "%(service)s: %(product)s",
                service=service_line.product_id.display_name,
                product=product.display_name,
            ),
            "account_id": allocation_vals["account_id"],
            "partner_id": service_line.partner_id.id,
            "product_id": product.id,
            "balance": allocation_vals["amount"],
            "analytic_distribution": allocation_vals["analytic_distribution"],
        }

    def _prepare_zeron_allocation_credit_values(self, service_line, vals_list):
        """Return the journal item taking the shares of ``vals_list`` off the
        account (and analytic distribution) the service was booked on.

        :param service_line: the landed-cost ``account.move.line`` of ``self``
        :param vals_list: vals dicts of its allocations
        :return: vals dict for ``account.move.line``
        """
        self.ensure_one()
        return {
            "name": service_line.name or service_line.product_id.display_name,
            "account_id": service_line.account_id.id,
            "partner_id": service_line.partner_id.id,
            "product_id": service_line.product_id.id,
            "balance": -self.company_id.currency_id.round(
                sum(vals["amount"] for vals in vals_list)
            ),
            "analytic_distribution": service_line.analytic_distribution,
        }

    def _zeron_book_allocation_entry(self, allocation_vals_list):
        """Book the allocations of ``allocation_vals_list`` by one journal entry:
        per service line, one debit per goods line, then one credit on the
        service's account. The entry is posted per the company setting
        (otherwise it stays in draft for review, like the landed cost).

        :param allocation_vals_list: vals dicts, see
            ``_prepare_zeron_allocation_values``
        :return: the ``zeron.cost.allocation`` records created
        """
        self.ensure_one()
        vals_by_line = defaultdict(list)
        for vals in allocation_vals_list:
            vals_by_line[vals["bill_line_id"]].append(vals)
        line_commands = []
        for line_id, vals_list in vals_by_line.items():
            service_line = self.env["account.move.line"].browse(line_id)
            line_commands += [
                Command.create(
                    self._prepare_zeron_allocation_debit_values(service_line, vals)
                )
                for vals in vals_list
            ]
            line_commands.append(
                Command.create(
                    self._prepare_zeron_allocation_credit_values(
                        service_line, vals_list
                    )
                )
            )
        entry = (
            self.env["account.move"]
            .sudo()
            .create(
                dict(
                    self._prepare_zeron_allocation_entry_values(),
                    line_ids=line_commands,
                )
            )
        )
        # The journal items were created in the order of line_commands.
        entry_lines = iter(entry.line_ids.sorted("id"))
        to_create = []
        for vals_list in vals_by_line.values():
            debit_lines = [next(entry_lines) for _vals in vals_list]
            credit_line = next(entry_lines)
            to_create += [
                dict(
                    vals,
                    entry_id=entry.id,
                    entry_line_id=debit_line.id,
                    counterpart_line_id=credit_line.id,
                )
                for vals, debit_line in zip(vals_list, debit_lines, strict=True)
            ]
        allocations = self.env["zeron.cost.allocation"].sudo().create(to_create)
        if self.company_id.zeron_landed_cost_auto_validate:
            entry._post(soft=False)
        self.message_post(
            body=Markup(
                self.env._(
                    "Cost allocation entry %(link)s books the share of goods that "
                    "landed costs cannot value."
                )
            )
            % {"link": entry._get_html_link()}
        )
        _logger.debug(
            "Bill %s: cost allocation entry %s created for lines %s",
            self.id,
            entry.id,
            list(vals_by_line),
        )
        return allocations

    def _zeron_reconcile_allocation_entries(self):
        """Reconcile the credit of each posted cost allocation entry in ``self``
        with the service's bill line, when its account is reconcilable (the
        stock input account with anglo-saxon accounting), as core does for
        landed costs."""
        for entry in self.sudo().filtered(
            lambda move: move.state == "posted" and move.zeron_entry_allocation_ids
        ):
            pairs = {
                (allocation.counterpart_line_id, allocation.bill_line_id)
                for allocation in entry.zeron_entry_allocation_ids
            }
            for counterpart, service_line in pairs:
                lines = (counterpart | service_line).filtered(
                    lambda line, account=counterpart.account_id: line.account_id
                    == account
                    and line.parent_state == "posted"
                    and not line.reconciled
                )
                if len(lines) > 1 and lines.account_id.reconcile:
                    lines.reconcile()

    def _zeron_notify_missing_goods(self, lines):
        self.ensure_one()
        _logger.warning(
            "Bill %s: no received goods found for landed-cost lines %s",
            self.id,
            lines.ids,
        )
        self.message_post(
            body=self.env._(
                "No received goods were found for %(lines)s: the cost stays "
                "unallocated. Choose receipts or goods bills on the line, or "
                "receive the goods, then use Allocate Landed Costs.",
                lines=", ".join(lines.mapped("name")),
            )
        )

    def _prepare_zeron_landed_cost_values(self, pickings, lines, amounts=None):
        """Return the values of the landed cost allocating ``lines`` of ``self``
        over ``pickings``.

        :param pickings: ``stock.picking`` recordset, the receipts to allocate on
        :param lines: ``account.move.line`` recordset of ``self``
        :param amounts: dict {line: amount} of the part of each line the landed
            cost allocates; default: their whole balance
        :return: vals dict for ``stock.landed.cost.create``
        """
        self.ensure_one()
        amounts = amounts or {}
        return {
            # The bill's accounting date, so the allocation lands in its period.
            "date": self.date,
            "company_id": self.company_id.id,
            "vendor_bill_id": self.id,
            "picking_ids": [Command.set(pickings.ids)],
            "cost_lines": [
                Command.create(
                    line._prepare_zeron_landed_cost_line_values(amounts.get(line))
                )
                for line in lines
            ],
        }

    def _zeron_reverse_landed_costs(self):
        """Undo the allocation of the bills in ``self``: cancel the draft and
        reverse the validated landed costs this module created for them, and
        likewise cancel the draft and reverse the posted cost allocation
        entries (see ``_zeron_reverse_allocation_entries``).

        :return: the reversal landed costs
        """
        landed_costs = self.sudo().invoice_line_ids.zeron_landed_cost_line_ids.cost_id
        landed_costs = landed_costs.filtered(
            lambda cost: cost._zeron_is_active_allocation()
        )
        landed_costs.filtered(lambda cost: cost.state == "draft").button_cancel()
        reversals = landed_costs.filtered(
            lambda cost: cost.state == "done"
        )._zeron_reverse()
        self._zeron_reverse_allocation_entries()
        return reversals

    def _zeron_reverse_allocation_entries(self):
        """Cancel the draft and reverse the posted cost allocation entries of
        the bills in ``self``, at today's date like the landed costs' reversal,
        the reversal reconciled with the entry.

        :return: the reversal journal entries
        """
        allocations = self.sudo().invoice_line_ids.zeron_allocation_ids.filtered(
            lambda allocation: allocation._zeron_is_active()
        )
        entries = allocations.entry_id
        entries.filtered(lambda entry: entry.state == "draft").button_cancel()
        to_reverse = entries.filtered(lambda entry: entry.state == "posted")
        if not to_reverse:
            return to_reverse
        today = fields.Date.context_today(self)
        return to_reverse._reverse_moves(
            [
                {
                    "date": today,
                    "ref": self.env._("Reversal of %(entry)s", entry=entry.name),
                }
                for entry in to_reverse
            ],
            cancel=True,
        )
