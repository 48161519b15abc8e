from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ZeronContractSuspension(models.Model):
    """A span during which a contract bills nothing."""

    _name = "zeron.contract.suspension"
    _description = "Contract Suspension"
    _order = "contract_id, date_start"

    contract_id = fields.Many2one(
        comodel_name="zeron.contract",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        related="contract_id.company_id",
        store=True,
        index=True,
    )
    date_start = fields.Date(string="Suspended From", required=True)
    date_end = fields.Date(
        string="Suspended Until",
        help="Last suspended day; empty while the contract is suspended.",
    )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for suspension in self:
            if suspension.date_end and suspension.date_end < suspension.date_start:
                raise ValidationError(
                    self.env._(
                        "Contract %(contract)s: a suspension cannot end (%(end)s) "
                        "before it starts (%(start)s).",
                        contract=suspension.contract_id.display_name,
                        end=suspension.date_end,
                        start=suspension.date_start,
                    )
                )
