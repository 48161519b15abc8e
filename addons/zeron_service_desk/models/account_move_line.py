from odoo import api, fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    zeron_timesheet_ids = fields.Many2many(
        comodel_name="account.analytic.line",
        relation="zeron_timesheet_invoice_line_rel",
        column1="move_line_id",
        column2="timesheet_id",
        string="Service Time",
        readonly=True,
        copy=False,
    )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        for line in lines.filtered("zeron_timesheet_ids"):
            # sale_timesheet's invoice link is the one both routes read
            line.zeron_timesheet_ids.sudo().timesheet_invoice_id = line.move_id
        return lines
