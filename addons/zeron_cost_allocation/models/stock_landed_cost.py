import logging
from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_is_zero, frozendict

from ..tools.allocation import ZeroBasisError, split_largest_remainder

_logger = logging.getLogger(__name__)

# Key of the valuation line values (see ``get_valuation_lines``) that holds the basis
# of each split method; "equal" has no key, every line weighs one.
SPLIT_BASIS_KEYS = {
    "by_quantity": "quantity",
    "by_weight": "weight",
    "by_volume": "volume",
    "by_current_cost_price": "former_cost",
}


class StockLandedCost(models.Model):
    _inherit = "stock.landed.cost"

    zeron_reversed_cost_id = fields.Many2one(
        comodel_name="stock.landed.cost",
        string="Reversal Of",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
        help="The landed cost this one cancels out.",
    )
    zeron_reversal_cost_id = fields.Many2one(
        comodel_name="stock.landed.cost",
        string="Reversed By",
        readonly=True,
        copy=False,
        check_company=True,
        help="The landed cost that cancels this one out.",
    )

    # === ACTIONS === #

    def button_validate(self):
        """Validate the landed costs of this module's bills in batch (see
        ``_zeron_validate_in_batch``); leave any other landed cost to core.

        Core books and reconciles one credit line per goods line and creates
        the valuation layers one goods line at a time, which grows slow past a
        few hundred goods lines; the batched validation books the same values
        with one credit line per cost line.
        """
        batched = self.filtered(lambda cost: cost._zeron_can_validate_in_batch())
        if not batched:
            return super().button_validate()
        self._check_can_validate()
        others = self - batched
        if others:
            super(StockLandedCost, others).button_validate()
        batched._zeron_validate_in_batch()
        return True

    # === BUSINESS METHODS === #

    def compute_landed_cost(self):
        """Split each cost line over the valuation lines, exactly to the cent.

        Replaces core's split, which rounds every share up and clamps the last ones
        (so shares can drift or reach zero) and falls back silently to an equal
        split when the basis sums to zero. Here each cost line is split by the
        largest-remainder method at the company currency's precision, and a zero
        basis either raises an error naming the products or follows the company's
        configured fallback.
        """
        adjustment_model = self.env["stock.valuation.adjustment.lines"]
        self.valuation_adjustment_lines.unlink()
        vals_list = []
        for cost in self:
            cost = cost.with_company(cost.company_id)
            if not cost._get_targeted_move_ids():
                continue
            basis_lines = cost.get_valuation_lines()
            for cost_line in cost.cost_lines:
                amounts = cost._zeron_split_cost_line(cost_line, basis_lines)
                for basis_vals, amount in zip(basis_lines, amounts, strict=True):
                    vals_list.append(
                        dict(
                            basis_vals,
                            cost_id=cost.id,
                            cost_line_id=cost_line.id,
                            additional_landed_cost=amount,
                        )
                    )
        adjustment_model.create(vals_list)
        return True

    def get_valuation_lines(self):
        """Leave out, on the landed costs of bills, the goods this module
        allocates by its own journal entry (see
        ``stock.move._zeron_accepts_landed_cost``), so that recomputing such a
        landed cost never books their share a second time. Core keeps FIFO and
        average goods with manual valuation; this module does not."""
        lines = super().get_valuation_lines()
        if not self.cost_lines.zeron_move_line_id:
            return lines
        moves = self.env["stock.move"].browse([vals["move_id"] for vals in lines])
        accepted = {move.id for move in moves if move._zeron_accepts_landed_cost()}
        lines = [vals for vals in lines if vals["move_id"] in accepted]
        if not lines:
            raise UserError(
                self.env._(
                    "Landed cost %(name)s has no goods left that a landed cost can "
                    "value (stored, FIFO or average cost, automated valuation): "
                    "their share is booked by the bill's cost allocation entry.",
                    name=self.name,
                )
            )
        return lines

    def _zeron_split_cost_line(self, cost_line, basis_lines):
        """Return the share of ``cost_line`` for each of ``basis_lines``.

        :param cost_line: a ``stock.landed.cost.lines`` record of ``self``
        :param basis_lines: list of valuation line values, as returned by
            ``get_valuation_lines``
        :return: list of amounts in company currency, summing to the cost line
        :raise UserError: when the split basis sums to zero and the company asks
            for an error, or when a basis value is negative
        """
        self.ensure_one()
        return self._zeron_split_amount(
            cost_line.price_unit,
            cost_line.split_method,
            basis_lines,
            self.company_id,
            document=self.env._("Landed cost %(name)s", name=self.name),
            service=cost_line.name or cost_line.product_id.display_name,
        )

    @api.model
    def _zeron_split_amount(
        self, amount, split_method, basis_lines, company, document, service
    ):
        """Split ``amount`` over ``basis_lines`` by ``split_method``, exactly to
        the cent of ``company``'s currency (largest-remainder method).

        Shared by the landed costs and this module's own allocation entries.

        :param amount: the amount to split, in company currency
        :param split_method: a ``SPLIT_METHOD`` key
        :param basis_lines: list of dicts with the keys of ``SPLIT_BASIS_KEYS``
            and ``product_id``
        :param company: ``res.company`` record, whose currency and zero-basis
            setting apply
        :param document: label of the record splitting, for error messages
        :param service: label of the service split, for error messages
        :return: list of amounts, one per basis line, summing to ``amount``
        :raise UserError: when the basis sums to zero and the company asks for an
            error, or when a basis value is negative
        """
        weights = self._zeron_get_split_weights(
            split_method, basis_lines, document, service
        )
        digits = company.currency_id.decimal_places
        try:
            return split_largest_remainder(amount, weights, digits)
        except ZeroBasisError:
            if company.zeron_landed_cost_zero_basis == "equal":
                _logger.info("%s: zero basis for %s, split equally", document, service)
                return split_largest_remainder(amount, [1] * len(basis_lines), digits)
            raise UserError(
                self._zeron_zero_basis_message(
                    split_method, basis_lines, document, service
                )
            ) from None

    @api.model
    def _zeron_get_split_weights(self, split_method, basis_lines, document, service):
        """Return the basis value of each line for ``split_method``.

        :param split_method: a ``SPLIT_METHOD`` key
        :param basis_lines: list of valuation line values
        :param document: label of the record splitting, for error messages
        :param service: label of the service split, for error messages
        :return: list of non-negative numbers, one per basis line
        :raise UserError: when a basis value is negative
        """
        key = SPLIT_BASIS_KEYS.get(split_method)
        if not key:
            return [1] * len(basis_lines)
        weights = [vals.get(key) or 0.0 for vals in basis_lines]
        negative = [
            vals["product_id"]
            for vals, weight in zip(basis_lines, weights, strict=True)
            if weight < 0
        ]
        if negative:
            raise UserError(
                self.env._(
                    "%(document)s cannot split %(service)s: these products have a "
                    "negative basis: %(products)s.",
                    document=document,
                    service=service,
                    products=", ".join(
                        self.env["product.product"]
                        .browse(negative)
                        .mapped("display_name")
                    ),
                )
            )
        return weights

    @api.model
    def _zeron_zero_basis_message(self, split_method, basis_lines, document, service):
        key = SPLIT_BASIS_KEYS[split_method]
        basis_labels = {
            "quantity": self.env._("a quantity"),
            "weight": self.env._("a weight"),
            "volume": self.env._("a volume"),
            "former_cost": self.env._("a current value"),
        }
        product_ids = list(dict.fromkeys(vals["product_id"] for vals in basis_lines))
        products = self.env["product.product"].browse(product_ids)
        return self.env._(
            "%(document)s cannot split %(service)s (%(method)s): the basis sums to "
            "zero. Products without %(basis)s: %(products)s. Set it on the "
            "products, choose another split method, or allow an equal split in the "
            "settings.",
            document=document,
            service=service,
            method=dict(
                self.env["stock.landed.cost.lines"]
                ._fields["split_method"]
                ._description_selection(self.env)
            )[split_method],
            basis=basis_labels[key],
            products=", ".join(products.mapped("display_name")),
        )

    def _zeron_is_active_allocation(self):
        """Tell whether ``self`` currently counts as the allocation of its bill
        lines: it is draft or done, and neither reversed nor a reversal."""
        self.ensure_one()
        return (
            self.state in ("draft", "done")
            and not self.zeron_reversal_cost_id
            and not self.zeron_reversed_cost_id
        )

    def _prepare_zeron_reversal_values(self):
        """Return the values of the landed cost that cancels ``self`` out.

        :return: vals dict for ``stock.landed.cost.create``, cost lines included
            (negated), adjustment lines excluded
        """
        self.ensure_one()
        return {
            "date": fields.Date.context_today(self),
            "company_id": self.company_id.id,
            "account_journal_id": self.account_journal_id.id,
            "vendor_bill_id": self.vendor_bill_id.id,
            "picking_ids": [Command.set(self.picking_ids.ids)],
            "zeron_reversed_cost_id": self.id,
            "description": self.env._("Reversal of %(name)s", name=self.name),
            "cost_lines": [
                Command.create(
                    {
                        "name": line.name,
                        "product_id": line.product_id.id,
                        "account_id": line.account_id.id,
                        "split_method": line.split_method,
                        "price_unit": -line.price_unit,
                        "zeron_move_line_id": line.zeron_move_line_id.id,
                    }
                )
                for line in self.cost_lines
            ],
        }

    def _zeron_reverse(self):
        """Cancel out validated landed costs with validated negative ones.

        The reversal repeats each adjustment line with the opposite amount instead
        of splitting again, so it undoes exactly what was booked even when the
        goods' quantities or values changed since. Core's validation then books
        the share of goods delivered in the meantime to their output accounts.

        :return: the reversal landed costs
        """
        reversals = self.browse()
        for cost in self.filtered(lambda c: c.state == "done"):
            cost = cost.with_company(cost.company_id)
            reversal = cost.create(cost._prepare_zeron_reversal_values())
            line_map = dict(zip(cost.cost_lines, reversal.cost_lines, strict=True))
            self.env["stock.valuation.adjustment.lines"].create(
                [
                    {
                        "cost_id": reversal.id,
                        "cost_line_id": line_map[adjustment.cost_line_id].id,
                        "move_id": adjustment.move_id.id,
                        "product_id": adjustment.product_id.id,
                        "quantity": adjustment.quantity,
                        "weight": adjustment.weight,
                        "volume": adjustment.volume,
                        "former_cost": adjustment.former_cost,
                        "additional_landed_cost": -adjustment.additional_landed_cost,
                    }
                    for adjustment in cost.valuation_adjustment_lines
                ]
            )
            reversal.button_validate()
            cost.zeron_reversal_cost_id = reversal
            cost._zeron_reconcile_with(reversal)
            reversals |= reversal
        return reversals

    def _zeron_reconcile_with(self, reversal):
        """Reconcile the cost accounts of ``self`` and its reversal entry, so the
        interim account does not keep both open."""
        self.ensure_one()
        lines = (self.account_move_id | reversal.account_move_id).line_ids
        for account in self.cost_lines.account_id.filtered("reconcile"):
            to_reconcile = lines.filtered(
                lambda line, account=account: line.account_id == account
                and not line.reconciled
            )
            if to_reconcile:
                to_reconcile.reconcile()

    # === BATCHED VALIDATION === #

    def _zeron_can_validate_in_batch(self):
        """Tell whether ``self`` is validated by ``_zeron_validate_in_batch``
        rather than by core: a draft landed cost of this module (each cost line
        allocates a bill line, reversals included) on transfers, already split,
        whose shares all go to stock moves of goods not valued by lot.

        Landed costs entered by hand keep core's validation and journal items.
        """
        self.ensure_one()
        adjustments = self.valuation_adjustment_lines
        return bool(
            self.state == "draft"
            and self.target_model == "picking"
            and self.cost_lines
            and all(
                line.zeron_move_line_id and line.product_id for line in self.cost_lines
            )
            and adjustments
            and all(line.move_id for line in adjustments)
            and not any(adjustments.move_id.product_id.mapped("lot_valuated"))
        )

    def _zeron_validate_in_batch(self):
        """Validate ``self`` like core's ``button_validate``, in batch.

        The amounts are core's, computed the same way for each adjustment line:
        the share of the goods still in stock goes to a valuation layer (and
        their cost, for FIFO and average cost), and with automated valuation
        the share of the goods already out goes on to their output (and, with
        anglo-saxon accounting, expense) accounts, by core's own
        ``_create_accounting_entries``. What differs:

        - the valuation layers of a landed cost are created in one call;
        - the journal entry has, per cost line, one credit line on the cost
          line's account (per analytic distribution) instead of one per goods
          line, so the bill's line is reconciled with one line, not one per
          goods line;
        - with the company's journal items per account (the default), the
          debits of the goods' shares are summed per goods account and
          analytic distribution too (see ``_zeron_get_merge_key``); per
          product, there is one per goods line, as in core.

        Callers make sure ``_zeron_can_validate_in_batch`` holds for each
        landed cost of ``self``.

        :raise UserError: when the adjustment lines do not add up to the cost
            lines
        """
        if not self._check_sum():
            raise UserError(
                self.env._(
                    "Cost and adjustments lines do not match. You should maybe "
                    "recompute the landed costs."
                )
            )
        # Without any analytic distribution model, the journal items would
        # search them once per product to find none (their compute runs as
        # superuser, hence sudo here): leave them without distribution.
        has_distribution_models = bool(
            self.env["account.analytic.distribution.model"]
            .sudo()
            .search_count([], limit=1)
        )
        for cost in self:
            cost = cost.with_company(cost.company_id)
            summarise = cost.company_id.zeron_landed_cost_entry_detail == "account"
            adjustments = cost.valuation_adjustment_lines
            # Read the goods' layers for all moves at once, not move by move.
            adjustments.move_id.stock_valuation_layer_ids.mapped("remaining_qty")
            layer_vals_list = []
            cost_by_product = defaultdict(float)
            # {cost line: journal items kept as prepared}, and {cost line:
            # {merge key: journal items to sum into one}}
            line_vals_by_cost_line = defaultdict(list)
            merged_by_cost_line = defaultdict(lambda: defaultdict(list))
            distributions = {}
            for adjustment in adjustments:
                cost_to_add, qty_out = cost._zeron_prepare_adjustment_share(
                    adjustment, layer_vals_list
                )
                product = adjustment.move_id.product_id
                if product.cost_method in ("average", "fifo"):
                    cost_by_product[product] += cost_to_add
                # Goods valued manually take no journal items (as in core).
                if product.valuation != "real_time":
                    continue
                vals_list, credit_vals = cost._zeron_split_credit_line(
                    adjustment,
                    [
                        command[2]
                        for command in adjustment._create_accounting_entries(
                            cost.env["account.move"], qty_out
                        )
                    ],
                )
                merged = merged_by_cost_line[adjustment.cost_line_id]
                if credit_vals:
                    merged[cost._zeron_get_merge_key(credit_vals, "cost")].append(
                        credit_vals
                    )
                    if summarise:
                        # the first item is the debit of the share on the goods
                        share_vals, *vals_list = vals_list
                        if has_distribution_models:
                            cost._zeron_set_model_distribution(
                                share_vals, distributions
                            )
                        merged[cost._zeron_get_merge_key(share_vals, "goods")].append(
                            share_vals
                        )
                line_vals_by_cost_line[adjustment.cost_line_id] += vals_list
            layers = cost.env["stock.valuation.layer"].create(layer_vals_list)
            cost._zeron_update_standard_prices(cost_by_product)
            line_vals_list = []
            for cost_line in dict.fromkeys(
                [*line_vals_by_cost_line, *merged_by_cost_line]
            ):
                merged = merged_by_cost_line[cost_line]
                line_vals_list += [
                    cost._prepare_zeron_merged_values(cost_line, vals_list)
                    for key, vals_list in merged.items()
                    if key[0] == "goods"
                ]
                line_vals_list += line_vals_by_cost_line[cost_line]
                line_vals_list += [
                    cost._prepare_zeron_merged_values(cost_line, vals_list)
                    for key, vals_list in merged.items()
                    if key[0] == "cost"
                ]
            if not has_distribution_models:
                for vals in line_vals_list:
                    vals.setdefault("analytic_distribution", False)
            cost._zeron_complete_entry_line_values(line_vals_list)
            cost_vals = {"state": "done"}
            entry = cost.env["account.move"]
            if line_vals_list:
                entry = entry.create(
                    dict(
                        cost._prepare_zeron_entry_values(),
                        line_ids=[Command.create(vals) for vals in line_vals_list],
                        stock_valuation_layer_ids=[Command.set(layers.ids)],
                    )
                )
                cost_vals["account_move_id"] = entry.id
            cost.write(cost_vals)
            if entry:
                entry._post()
            cost.reconcile_landed_cost()

    def _zeron_prepare_adjustment_share(self, adjustment, layer_vals_list):
        """Compute, as core does, the part of ``adjustment`` that goes to the
        goods still in stock, and append the values of its valuation layer to
        ``layer_vals_list`` (the goods' first layer takes the value too).

        :param adjustment: a ``stock.valuation.adjustment.lines`` of ``self``
        :param layer_vals_list: list the layer values are appended to
        :return: tuple (the value added to the goods in stock, the quantity of
            the move's goods already out)
        """
        self.ensure_one()
        move = adjustment.move_id
        product = move.product_id
        linked_layers = move._get_stock_valuation_layer_ids()
        remaining_qty = sum(linked_layers.mapped("remaining_qty"))
        move_qty = move.product_uom._compute_quantity(move.quantity, product.uom_id)
        cost_to_add = (remaining_qty / move_qty) * adjustment.additional_landed_cost
        if not self.company_id.currency_id.is_zero(cost_to_add):
            layer_vals_list.append(
                {
                    "value": cost_to_add,
                    "unit_cost": 0,
                    "quantity": 0,
                    "remaining_qty": 0,
                    "stock_valuation_layer_id": linked_layers[:1].id,
                    "description": self.name,
                    "stock_move_id": move.id,
                    "product_id": product.id,
                    "stock_landed_cost_id": self.id,
                    "company_id": self.company_id.id,
                }
            )
            linked_layers[:1].remaining_value += cost_to_add
        # remaining_qty is negative for goods delivered before they were in
        # stock; the quantities mix units as core's do.
        qty_out = 0
        if move._is_in():
            qty_out = move.quantity - remaining_qty
        elif move._is_out():
            qty_out = move.quantity
        return cost_to_add, qty_out

    def _zeron_update_standard_prices(self, cost_by_product):
        """Add to the cost of FIFO and average-cost goods the value added to
        them, per unit valued, as core does.

        :param cost_by_product: dict {``product.product``: value added}
        """
        self.ensure_one()
        products = (
            self.env["product.product"]
            .browse(product.id for product in cost_by_product)
            .with_company(self.company_id)
        )
        # Iterate on the recordset, so quantity_svl is computed for all at once.
        for product in products:
            if float_is_zero(
                product.quantity_svl, precision_rounding=product.uom_id.rounding
            ):
                continue
            product.sudo().with_context(disable_auto_svl=True).standard_price += (
                cost_by_product[product] / product.quantity_svl
            )

    def _prepare_zeron_entry_values(self):
        """Return the header values of the journal entry of ``self``, as core's.

        :return: vals dict for ``account.move.create``, without lines
        """
        self.ensure_one()
        return {
            "journal_id": self.account_journal_id.id,
            "date": self.date,
            "ref": self.name,
            "move_type": "entry",
        }

    def _zeron_split_credit_line(self, adjustment, vals_list):
        """Tell apart, in the journal items core prepares for ``adjustment``,
        the credit of its share on the cost line's account.

        Core's ``_create_account_move_line`` starts with the debit of the share
        on the goods' account, then its credit on the cost line's account, then
        the lines moving the part of goods already out. Should an override
        prepare something else, nothing is told apart.

        :param adjustment: a ``stock.valuation.adjustment.lines`` of ``self``
        :param vals_list: the journal item values core prepares for it
        :return: tuple (values of the other journal items, values of the
            credit or None)
        """
        self.ensure_one()
        cost_line = adjustment.cost_line_id
        credit_account_id = (
            cost_line.account_id.id
            or cost_line.product_id.categ_id.property_stock_account_input_categ_id.id
        )
        if len(vals_list) < 2 or vals_list[1].get("account_id") != credit_account_id:
            return vals_list, None
        return [vals_list[0], *vals_list[2:]], vals_list[1]

    @api.model
    def _zeron_get_merge_key(self, vals, side):
        """Return the key under which the journal item ``vals`` is summed with
        others of its cost line into one item.

        :param vals: journal item values, as core prepares them
        :param side: ``"goods"`` for the debit of a share on the goods' account,
            ``"cost"`` for its credit on the cost line's account
        :return: hashable tuple, starting with ``side``
        """
        distribution = vals.get("analytic_distribution") or {}
        return side, vals["account_id"], tuple(sorted(distribution.items()))

    def _zeron_set_model_distribution(self, vals, cache):
        """Give the journal item ``vals``, when it has no analytic distribution,
        the one the distribution models give it, as Odoo would at its
        creation: once summed with others, it no longer names its product.
        It reads the models as superuser, as that compute does, so record
        rules on them apply no more here than there.

        :param vals: journal item values, changed in place
        :param cache: dict of the distributions found, by their arguments
        """
        self.ensure_one()
        if vals.get("analytic_distribution"):
            return
        env = self.sudo().env
        product = env["product.product"].browse(vals.get("product_id"))
        arguments = frozendict(
            product_id=product.id,
            product_categ_id=product.categ_id.id,
            partner_id=False,
            partner_category_id=[],
            account_prefix=env["account.account"].browse(vals["account_id"]).code,
            company_id=self.company_id.id,
        )
        if arguments not in cache:
            cache[arguments] = env[
                "account.analytic.distribution.model"
            ]._get_distribution(arguments)
        vals["analytic_distribution"] = cache[arguments] or False

    def _prepare_zeron_merged_values(self, cost_line, vals_list):
        """Return the journal item that takes the place of the items of
        ``vals_list``, all of ``cost_line`` and on one account and analytic
        distribution: their sum, named after the cost line.

        :param cost_line: ``stock.landed.cost.lines`` record of ``self``
        :param vals_list: journal item values as core prepares them
        :return: vals dict for ``account.move.line``
        """
        self.ensure_one()
        balance = self.company_id.currency_id.round(
            sum(vals.get("debit", 0.0) - vals.get("credit", 0.0) for vals in vals_list)
        )
        vals = {
            key: value
            for key, value in vals_list[0].items()
            if key not in ("debit", "credit", "balance")
        }
        vals.update(
            name=cost_line.name or cost_line.product_id.display_name,
            product_id=cost_line.product_id.id,
            debit=max(balance, 0.0),
            credit=max(-balance, 0.0),
        )
        return vals

    def _zeron_complete_entry_line_values(self, vals_list):
        """Add to the journal items of ``self``'s entry the values Odoo would
        compute for each of them, in place, so creating a thousand of them
        skips those computes.

        The values are those of core's computes for a line of a journal entry
        (not an invoice) in company currency; values already present are kept.

        :param vals_list: journal item values, as core prepares them
        """
        self.ensure_one()
        company = self.company_id
        currency = company.currency_id
        products = self.env["product.product"].browse(
            {vals["product_id"] for vals in vals_list if vals.get("product_id")}
        )
        uom_by_product = {product.id: product.uom_id.id for product in products}
        accounts = self.env["account.account"].browse(
            {vals["account_id"] for vals in vals_list}
        )
        untaxed_accounts = {account.id for account in accounts if not account.tax_ids}
        for vals in vals_list:
            balance = currency.round(vals.get("debit", 0.0) - vals.get("credit", 0.0))
            vals.setdefault("display_type", "product")
            vals.setdefault("sequence", 100)
            vals.setdefault("currency_id", currency.id)
            if vals["currency_id"] == currency.id:
                vals.setdefault("amount_currency", balance)
            if vals.get("product_id"):
                vals.setdefault("product_uom_id", uom_by_product[vals["product_id"]])
            vals.setdefault("price_unit", 0.0)
            if vals["account_id"] in untaxed_accounts:
                vals.setdefault("tax_ids", [])
