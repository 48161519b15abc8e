from odoo import fields, models, tools
from odoo.tools import SQL


class ZeronLandedCostReport(models.Model):
    """Landed cost per receipt and product.

    Two kinds of rows, so that every measure sums correctly in any grouping: one
    goods row per received stock move that carries validated landed costs (its
    quantity and goods value), and one row per validated landed-cost share (the
    service and its amount). Grouping by receipt and product and splitting columns
    by service shows each service's share beside the goods value.
    """

    _name = "zeron.landed.cost.report"
    _description = "Landed Cost per Receipt and Product"
    _auto = False
    _order = "picking_id desc, product_id, id"
    _rec_name = "product_id"

    picking_id = fields.Many2one(comodel_name="stock.picking", readonly=True)
    move_id = fields.Many2one(comodel_name="stock.move", readonly=True)
    product_id = fields.Many2one(comodel_name="product.product", readonly=True)
    service_product_id = fields.Many2one(
        comodel_name="product.product",
        string="Service",
        readonly=True,
    )
    landed_cost_id = fields.Many2one(
        comodel_name="stock.landed.cost",
        readonly=True,
    )
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    currency_id = fields.Many2one(comodel_name="res.currency", readonly=True)
    date = fields.Date(readonly=True)
    quantity = fields.Float(
        digits="Product Unit of Measure",
        readonly=True,
    )
    goods_value = fields.Monetary(readonly=True)
    landed_amount = fields.Monetary(string="Service Share", readonly=True)
    total_value = fields.Monetary(string="Landed Value", readonly=True)
    landed_unit_cost = fields.Float(
        digits="Product Price",
        readonly=True,
        aggregator="avg",
        help="Goods value plus all validated service shares, per unit received. "
        "Set on goods rows only.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._zeron_report_query(),
            )
        )

    def _zeron_report_query(self):
        # Goods rows get even ids (2 * move id), share rows odd ids
        # (2 * adjustment line id + 1), so both stay unique and stable.
        return SQL(
            """
            WITH shares AS (
                SELECT adj.id, adj.move_id, adj.cost_line_id,
                       adj.additional_landed_cost, cost.id AS cost_id,
                       cost.date
                  FROM stock_valuation_adjustment_lines adj
                  JOIN stock_landed_cost cost ON cost.id = adj.cost_id
                 WHERE cost.state = 'done' AND adj.move_id IS NOT NULL
            ),
            goods AS (
                SELECT svl.stock_move_id AS move_id,
                       SUM(svl.quantity) AS quantity,
                       SUM(svl.value) AS goods_value
                  FROM stock_valuation_layer svl
                 WHERE svl.stock_landed_cost_id IS NULL
                   AND svl.stock_move_id IN (SELECT move_id FROM shares)
                 GROUP BY svl.stock_move_id
            ),
            share_totals AS (
                SELECT move_id, SUM(additional_landed_cost) AS amount
                  FROM shares
                 GROUP BY move_id
            )
            SELECT 2 * sm.id AS id,
                   sm.picking_id, sm.id AS move_id, sm.product_id,
                   NULL::integer AS service_product_id,
                   NULL::integer AS landed_cost_id,
                   sm.company_id, company.currency_id,
                   sm.date::date AS date,
                   goods.quantity, goods.goods_value,
                   0.0 AS landed_amount,
                   goods.goods_value AS total_value,
                   CASE WHEN goods.quantity <> 0
                        THEN (goods.goods_value + share_totals.amount)
                             / goods.quantity
                   END AS landed_unit_cost
              FROM goods
              JOIN share_totals ON share_totals.move_id = goods.move_id
              JOIN stock_move sm ON sm.id = goods.move_id
              JOIN res_company company ON company.id = sm.company_id
            UNION ALL
            SELECT 2 * shares.id + 1 AS id,
                   sm.picking_id, sm.id AS move_id, sm.product_id,
                   cost_line.product_id AS service_product_id,
                   shares.cost_id AS landed_cost_id,
                   sm.company_id, company.currency_id,
                   shares.date,
                   0.0 AS quantity, 0.0 AS goods_value,
                   shares.additional_landed_cost AS landed_amount,
                   shares.additional_landed_cost AS total_value,
                   NULL AS landed_unit_cost
              FROM shares
              JOIN stock_landed_cost_lines cost_line
                ON cost_line.id = shares.cost_line_id
              JOIN stock_move sm ON sm.id = shares.move_id
              JOIN res_company company ON company.id = sm.company_id
            """
        )
