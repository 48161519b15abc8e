from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ZeronExpiryStage(models.Model):
    """When customers are warned that a contract term ends."""

    _name = "zeron.expiry.stage"
    _description = "Expiry Warning Stage"
    _order = "days_before desc, id"

    name = fields.Char(required=True, translate=True)
    days_before = fields.Integer(
        required=True,
        help="The warning goes out this many days before the end of the term.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        index=True,
        help="Empty: the stage applies to every company.",
    )

    @api.constrains("days_before")
    def _check_days_before(self):
        for stage in self:
            if stage.days_before < 0:
                raise ValidationError(
                    self.env._(
                        "Expiry warning stage %(stage)s: the field Days Before "
                        "cannot be negative (%(value)s).",
                        stage=stage.display_name,
                        value=stage.days_before,
                    )
                )
