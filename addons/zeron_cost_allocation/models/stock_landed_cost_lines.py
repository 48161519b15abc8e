from odoo import fields, models


class StockLandedCostLines(models.Model):
    _inherit = "stock.landed.cost.lines"

    zeron_move_line_id = fields.Many2one(
        comodel_name="account.move.line",
        string="Bill Line",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="The vendor bill line whose amount this cost line allocates.",
    )
