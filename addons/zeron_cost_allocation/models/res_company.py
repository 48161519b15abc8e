from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    zeron_landed_cost_auto_validate = fields.Boolean(
        string="Validate Bill Landed Costs at Once",
        default=True,
        help="When a vendor bill with landed-cost services is posted, validate the "
        "landed cost it creates at once. Otherwise the landed cost stays in draft "
        "for review.",
    )
    zeron_landed_cost_zero_basis = fields.Selection(
        selection=[
            ("error", "Block with an error"),
            ("equal", "Split equally"),
        ],
        string="Landed Cost Zero Basis",
        default="error",
        required=True,
        help="What to do when the basis of a split sums to zero, for example a "
        "split by weight over goods without any weight.",
    )
    zeron_landed_cost_entry_detail = fields.Selection(
        selection=[
            ("account", "One item per account"),
            ("product", "One item per product"),
        ],
        string="Landed Cost Journal Items",
        default="account",
        required=True,
        help="How the journal entry of a landed cost allocated from a bill books "
        "the goods' shares: one item per goods account, service and analytic "
        "distribution (the share of each product stays on the valuation "
        "adjustments and the stock valuation layers), or one item per product, as "
        "core's landed costs do. The items moving the share of goods already "
        "delivered stay per product either way.",
    )
    zeron_allocation_journal_id = fields.Many2one(
        comodel_name="account.journal",
        string="Cost Allocation Journal",
        check_company=True,
        domain=[("type", "=", "general")],
        help="Journal of the entries that book landed-cost services onto goods "
        "landed costs cannot value (non-stored, standard cost, manual "
        "valuation). Empty: the landed cost journal, else the stock journal, "
        "else the bill's own journal.",
    )
