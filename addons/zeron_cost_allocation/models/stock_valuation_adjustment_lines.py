from odoo import models


class StockValuationAdjustmentLines(models.Model):
    _inherit = "stock.valuation.adjustment.lines"

    def _prepare_account_move_line_values(self):
        """Leave out an empty analytic distribution, so the journal items'
        own compute applies the analytic distribution models.

        ``project_stock_landed_costs`` (installed with project and stock
        accounting) gives every item the distribution of the receipt's
        project, an empty one when the receipt has none; given explicitly,
        even empty, it stops the compute. A project's distribution is kept.
        """
        vals = super()._prepare_account_move_line_values()
        if "analytic_distribution" in vals and not vals["analytic_distribution"]:
            del vals["analytic_distribution"]
        return vals
