from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    zeron_contract_line_id = fields.Many2one(
        comodel_name="zeron.contract.line",
        string="Contract Line",
        index="btree_not_null",
        readonly=True,
        copy=False,
    )
    zeron_period_start = fields.Date(string="Service Period Start", copy=False)
    zeron_period_end = fields.Date(string="Service Period End", copy=False)

    def unlink(self):
        # through the ORM, not the database's cascade, so the lines'
        # invoiced-up-to and next invoice date are recomputed
        self._zeron_release_periods()
        return super().unlink()

    def _zeron_release_periods(self):
        """Forget the invoiced periods these lines bill: they become due again."""
        contract_lines = self.filtered("zeron_contract_line_id")
        if contract_lines:
            # billing clerks may cancel invoices without rights on periods
            self.env["zeron.contract.period"].sudo().search(
                [("invoice_line_id", "in", contract_lines.ids)]
            ).unlink()

    def _prepare_contract_period_values(self):
        """Return the values of the invoiced period this invoice line bills."""
        self.ensure_one()
        return {
            "line_id": self.zeron_contract_line_id.id,
            "date_start": self.zeron_period_start,
            "date_end": self.zeron_period_end,
            "invoice_line_id": self.id,
        }
