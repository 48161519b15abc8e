from odoo import fields, models, tools
from odoo.tools import SQL


class ZeronLandedCostReport(models.Model):
    """Landed cost per receipt and product.

    Two kinds of rows, so that every measure sums correctly in any grouping: one
    goods row per goods line that carries allocated costs (its quantity and goods
    value), and one row per allocated share (the service and its amount). Goods
    lines are received stock moves, or goods bill lines without purchase order;
    shares are those of validated landed costs and of posted cost allocation
    entries (goods that landed costs cannot value). Grouping by receipt and
    product and splitting columns by service shows each service's share beside
    the goods value.
    """

    _name = "zeron.landed.cost.report"
    _description = "Landed Cost per Receipt and Product"
    _auto = False
    _order = "picking_id desc, product_id, id"
    _rec_name = "product_id"

    picking_id = fields.Many2one(comodel_name="stock.picking", readonly=True)
    move_id = fields.Many2one(comodel_name="stock.move", readonly=True)
    goods_line_id = fields.Many2one(
        comodel_name="account.move.line",
        string="Goods Bill Line",
        readonly=True,
        help="Set for goods billed without purchase order nor receipt.",
    )
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
    entry_id = fields.Many2one(
        comodel_name="account.move",
        string="Cost Allocation Entry",
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
        help="Goods value plus all validated or posted service shares, per unit "
        "received. Set on goods rows only.",
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
        # Ids: 4 * move id for goods rows of stock moves, 4 * adjustment line id
        # + 1 for landed cost shares, 4 * allocation id + 2 for allocation entry
        # shares, 4 * bill line id + 3 for goods rows of goods bill lines: unique
        # and stable. Stored goods take their quantity and value from their
        # valuation layers; goods without layers from their allocation.
        return SQL(
            """
            WITH shares AS (
                SELECT 4 * adj.id + 1 AS id,
                       adj.move_id,
                       NULL::integer AS goods_line_id,
                       adj.product_id,
                       cost_line.product_id AS service_product_id,
                       cost.id AS landed_cost_id,
                       NULL::integer AS entry_id,
                       cost.company_id,
                       cost.date,
                       adj.additional_landed_cost AS amount,
                       NULL::numeric AS quantity,
                       NULL::numeric AS goods_value
                  FROM stock_valuation_adjustment_lines adj
                  JOIN stock_landed_cost cost ON cost.id = adj.cost_id
                  JOIN stock_landed_cost_lines cost_line
                    ON cost_line.id = adj.cost_line_id
                 WHERE cost.state = 'done' AND adj.move_id IS NOT NULL
                UNION ALL
                SELECT 4 * alloc.id + 2 AS id,
                       alloc.stock_move_id AS move_id,
                       CASE WHEN alloc.stock_move_id IS NULL
                            THEN alloc.goods_line_id
                       END AS goods_line_id,
                       alloc.product_id,
                       alloc.service_product_id,
                       NULL::integer AS landed_cost_id,
                       alloc.entry_id,
                       alloc.company_id,
                       alloc.date,
                       alloc.amount,
                       alloc.quantity::numeric,
                       alloc.goods_value::numeric
                  FROM zeron_cost_allocation alloc
                 WHERE alloc.state = 'posted'
            ),
            valued AS (
                SELECT svl.stock_move_id AS move_id,
                       SUM(svl.quantity) AS quantity,
                       SUM(svl.value) AS goods_value
                  FROM stock_valuation_layer svl
                 WHERE svl.stock_landed_cost_id IS NULL
                   AND svl.stock_move_id IN (SELECT move_id FROM shares)
                 GROUP BY svl.stock_move_id
            ),
            goods AS (
                SELECT shares.move_id,
                       shares.goods_line_id,
                       MIN(shares.product_id) AS product_id,
                       MIN(shares.company_id) AS company_id,
                       MAX(shares.quantity) AS quantity,
                       MAX(shares.goods_value) AS goods_value,
                       SUM(shares.amount) AS amount
                  FROM shares
                 GROUP BY shares.move_id, shares.goods_line_id
            ),
            goods_rows AS (
                SELECT goods.*,
                       COALESCE(valued.quantity, goods.quantity) AS row_quantity,
                       COALESCE(valued.goods_value, goods.goods_value) AS row_value
                  FROM goods
                  LEFT JOIN valued ON valued.move_id = goods.move_id
            )
            SELECT CASE WHEN goods_rows.move_id IS NOT NULL
                        THEN 4 * goods_rows.move_id
                        ELSE 4 * goods_rows.goods_line_id + 3
                   END AS id,
                   sm.picking_id,
                   goods_rows.move_id,
                   goods_rows.goods_line_id,
                   goods_rows.product_id,
                   NULL::integer AS service_product_id,
                   NULL::integer AS landed_cost_id,
                   NULL::integer AS entry_id,
                   goods_rows.company_id,
                   company.currency_id,
                   COALESCE(sm.date::date, aml.date) AS date,
                   goods_rows.row_quantity AS quantity,
                   goods_rows.row_value AS goods_value,
                   0.0 AS landed_amount,
                   goods_rows.row_value AS total_value,
                   CASE WHEN goods_rows.row_quantity <> 0
                        THEN (goods_rows.row_value + goods_rows.amount)
                             / goods_rows.row_quantity
                   END AS landed_unit_cost
              FROM goods_rows
              LEFT JOIN stock_move sm ON sm.id = goods_rows.move_id
              LEFT JOIN account_move_line aml ON aml.id = goods_rows.goods_line_id
              JOIN res_company company ON company.id = goods_rows.company_id
            UNION ALL
            SELECT shares.id,
                   sm.picking_id,
                   shares.move_id,
                   shares.goods_line_id,
                   shares.product_id,
                   shares.service_product_id,
                   shares.landed_cost_id,
                   shares.entry_id,
                   shares.company_id,
                   company.currency_id,
                   shares.date,
                   0.0 AS quantity,
                   0.0 AS goods_value,
                   shares.amount AS landed_amount,
                   shares.amount AS total_value,
                   NULL AS landed_unit_cost
              FROM shares
              LEFT JOIN stock_move sm ON sm.id = shares.move_id
              JOIN res_company company ON company.id = shares.company_id
            """
        )
