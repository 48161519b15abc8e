from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _zeron_accepts_landed_cost(self):
        """Tell whether core's landed cost can value the goods of this move:
        a stored product, costed in FIFO or average cost, with automated
        (real-time) valuation, in the move's company.

        Other goods (non-stored products, standard cost, manual valuation) are
        allocated by this module's own journal entry instead.
        """
        self.ensure_one()
        product = self.product_id.with_company(self.company_id)
        return bool(
            product.is_storable
            and product.cost_method in ("fifo", "average")
            and product.valuation == "real_time"
        )

    def _zeron_is_allocation_target(self):
        """Tell whether a landed cost of a bill is allocated on this move of one
        of its receipts: goods received, in a quantity."""
        self.ensure_one()
        return bool(
            self.state == "done" and self.quantity and self.product_id.type == "consu"
        )
