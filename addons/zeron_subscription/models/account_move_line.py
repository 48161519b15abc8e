from odoo import fields, models
from odoo.exceptions import UserError


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

    def _zeron_record_periods(self):
        """Record the periods of these invoice lines that are not recorded yet.

        Raises a UserError when another invoice already bills the period.
        """
        lines = self.filtered(
            lambda line: line.zeron_contract_line_id
            and line.zeron_period_start
            and line.move_id.move_type == "out_invoice"
        )
        if not lines:
            return
        Period = self.env["zeron.contract.period"].sudo()
        recorded = Period.search([("invoice_line_id", "in", lines.ids)]).invoice_line_id
        to_record = lines - recorded
        for line in to_record:
            clash = Period.search(
                [
                    ("line_id", "=", line.zeron_contract_line_id.id),
                    ("date_start", "<=", line.zeron_period_end),
                    ("date_end", ">=", line.zeron_period_start),
                ],
                limit=1,
            )
            if clash:
                raise UserError(
                    self.env._(
                        "Invoice %(invoice)s bills %(period)s of contract "
                        "%(contract)s, which %(other)s already bills.",
                        invoice=line.move_id.display_name,
                        period=line.name,
                        contract=line.zeron_contract_line_id.contract_id.display_name,
                        other=clash.invoice_id.display_name
                        or self.env._("the opening balance"),
                    )
                )
        if to_record:
            Period.create(
                [line._prepare_contract_period_values() for line in to_record]
            )

    def _prepare_contract_period_values(self):
        """Return the values of the invoiced period this invoice line bills."""
        self.ensure_one()
        return {
            "line_id": self.zeron_contract_line_id.id,
            "date_start": self.zeron_period_start,
            "date_end": self.zeron_period_end,
            "invoice_line_id": self.id,
        }
