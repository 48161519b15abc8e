from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    zeron_sd_grace_days = fields.Integer(
        string="Coverage Grace Days",
        help="Days after the end of a contract line during which service tasks "
        "are still covered.",
    )
    zeron_sd_expiring_days = fields.Integer(
        string="Coverage Expiring Days",
        default=30,
        help="A covered task is shown as expiring when its covering contract line "
        "ends within this many days from today.",
    )

    @api.constrains("zeron_sd_grace_days", "zeron_sd_expiring_days")
    def _check_zeron_sd_days(self):
        for company in self:
            if company.zeron_sd_grace_days < 0 or company.zeron_sd_expiring_days < 0:
                raise ValidationError(
                    self.env._(
                        "Company %(company)s: the fields Coverage Grace Days and "
                        "Coverage Expiring Days cannot be negative.",
                        company=company.display_name,
                    )
                )

    def write(self, vals):
        res = super().write(vals)
        if "zeron_sd_grace_days" in vals:
            # grace days move the coverage end of every open service task
            tasks = self.env["project.task"].search(
                [
                    ("company_id", "in", [*self.ids, False]),
                    ("project_id.zeron_is_service", "=", True),
                    ("is_closed", "=", False),
                ]
            )
            tasks._zeron_recompute_coverage()
        return res
