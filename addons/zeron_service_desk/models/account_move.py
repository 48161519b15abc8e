from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def unlink(self):
        # the database would clear the link without telling the stored
        # invoice status of the time; clear it through the ORM instead
        timesheets = (
            self.env["account.analytic.line"]
            .sudo()
            .search([("timesheet_invoice_id", "in", self.ids)])
        )
        timesheets.timesheet_invoice_id = False
        return super().unlink()
