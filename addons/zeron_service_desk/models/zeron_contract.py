from odoo import fields, models


class ZeronContract(models.Model):
    _inherit = "zeron.contract"

    zeron_invoice_timesheets = fields.Boolean(
        string="Invoice Service Time",
        help="Add the billable service time logged up to the invoice date to "
        "the next subscription invoice of this contract.",
    )

    def write(self, vals):
        # a contract moved to another customer stops covering the previous one
        partners = self.sudo().commercial_partner_id if "partner_id" in vals else None
        res = super().write(vals)
        if {
            "state",
            "date_start",
            "date_end",
            "term_months",
            "renewal_type",
            "renewal_term_months",
            "renewals_accepted",
            "partner_id",
        } & set(vals):
            self._zeron_recompute_task_coverage(partners)
        return res

    def _zeron_recompute_task_coverage(self, partners=None):
        """Recompute the coverage of the open service tasks of these customers.

        :param partners: more commercial partners whose tasks are recomputed
        """
        partners = self.sudo().commercial_partner_id | (
            partners or self.env["res.partner"]
        )
        if not partners:
            return
        tasks = (
            self.env["project.task"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("zeron_is_service", "=", True),
                    ("is_closed", "=", False),
                    ("partner_id.commercial_partner_id", "in", partners.ids),
                ]
            )
        )
        tasks._zeron_recompute_coverage()

    def _prepare_invoice_values(self, date_ref):
        vals = super()._prepare_invoice_values(date_ref)
        if vals and self.zeron_invoice_timesheets:
            # the billing clerk need not read timesheets to bill them
            timesheets = self.env["account.analytic.line"].sudo()
            timesheets = timesheets._zeron_lock_invoiceable(
                timesheets.search(
                    timesheets._get_zeron_invoiceable_domain(
                        date_to=date_ref, contracts=self
                    ),
                    order="date, id",
                )
            )
            vals["invoice_line_ids"] += [
                fields.Command.create(values)
                for values in timesheets._prepare_zeron_invoice_lines()
            ]
        return vals
