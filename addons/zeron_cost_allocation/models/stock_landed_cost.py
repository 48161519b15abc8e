import logging

from odoo import Command, fields, models
from odoo.exceptions import UserError

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
            # TODO: allocate goods core refuses (non-stored, standard cost, manual
            # valuation) with an own journal entry, because get_valuation_lines
            # skips them and raises when nothing is left; remove when that route
            # exists (see ROADMAP).
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
        weights = self._zeron_get_split_weights(cost_line, basis_lines)
        digits = self.currency_id.decimal_places
        try:
            return split_largest_remainder(cost_line.price_unit, weights, digits)
        except ZeroBasisError:
            if self.company_id.zeron_landed_cost_zero_basis == "equal":
                _logger.info(
                    "Landed cost %s: zero basis for cost line %s, split equally",
                    self.id,
                    cost_line.id,
                )
                return split_largest_remainder(
                    cost_line.price_unit, [1] * len(basis_lines), digits
                )
            raise UserError(
                self._zeron_zero_basis_message(cost_line, basis_lines)
            ) from None

    def _zeron_get_split_weights(self, cost_line, basis_lines):
        """Return the basis value of each valuation line for ``cost_line``.

        :param cost_line: a ``stock.landed.cost.lines`` record of ``self``
        :param basis_lines: list of valuation line values
        :return: list of non-negative numbers, one per valuation line
        :raise UserError: when a basis value is negative
        """
        key = SPLIT_BASIS_KEYS.get(cost_line.split_method)
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
                    "Landed cost %(landed_cost)s cannot split %(service)s: these "
                    "products have a negative basis: %(products)s.",
                    landed_cost=self.name,
                    service=cost_line.name or cost_line.product_id.display_name,
                    products=", ".join(
                        self.env["product.product"]
                        .browse(negative)
                        .mapped("display_name")
                    ),
                )
            )
        return weights

    def _zeron_zero_basis_message(self, cost_line, basis_lines):
        key = SPLIT_BASIS_KEYS[cost_line.split_method]
        basis_labels = {
            "quantity": self.env._("a quantity"),
            "weight": self.env._("a weight"),
            "volume": self.env._("a volume"),
            "former_cost": self.env._("a current value"),
        }
        product_ids = list(dict.fromkeys(vals["product_id"] for vals in basis_lines))
        products = self.env["product.product"].browse(product_ids)
        return self.env._(
            "Landed cost %(landed_cost)s cannot split %(service)s (%(method)s): the "
            "basis sums to zero. Products without %(basis)s: %(products)s. Set it "
            "on the products, choose another split method, or allow an equal split "
            "in the settings.",
            landed_cost=self.name,
            service=cost_line.name or cost_line.product_id.display_name,
            method=dict(
                cost_line._fields["split_method"]._description_selection(self.env)
            )[cost_line.split_method],
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
