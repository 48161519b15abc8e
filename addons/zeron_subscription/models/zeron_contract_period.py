from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ZeronContractPeriod(models.Model):
    """A period of a contract line that has been invoiced.

    A period without an invoice line records billing done before the contract
    was entered here (an opening balance). Deleting or cancelling the invoice
    removes its periods, which makes them due again.
    """

    _name = "zeron.contract.period"
    _description = "Invoiced Contract Period"
    _order = "line_id, date_start"
    _check_company_auto = True

    line_id = fields.Many2one(
        comodel_name="zeron.contract.line",
        string="Contract Line",
        required=True,
        index=True,
        ondelete="cascade",
    )
    contract_id = fields.Many2one(
        related="line_id.contract_id",
        store=True,
        index=True,
    )
    company_id = fields.Many2one(
        related="line_id.company_id",
        store=True,
        index=True,
    )
    date_start = fields.Date(string="Period Start", required=True)
    date_end = fields.Date(string="Period End", required=True)
    invoice_line_id = fields.Many2one(
        comodel_name="account.move.line",
        index="btree_not_null",
        ondelete="cascade",
        check_company=True,
    )
    invoice_id = fields.Many2one(
        related="invoice_line_id.move_id",
        string="Invoice",
    )

    _sql_constraints = [
        (
            "line_date_start_uniq",
            "unique(line_id, date_start)",
            "A period of a contract line can be invoiced only once.",
        ),
    ]

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for period in self:
            if period.date_end < period.date_start:
                raise ValidationError(
                    self.env._(
                        "Contract %(contract)s: the invoiced period's Period End "
                        "(%(end)s) is before its Period Start (%(start)s).",
                        contract=period.contract_id.display_name,
                        end=period.date_end,
                        start=period.date_start,
                    )
                )
