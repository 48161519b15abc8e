from odoo import api, fields, models
from odoo.exceptions import UserError


class ZeronTimesheetInvoiceWizard(models.TransientModel):
    _name = "zeron.timesheet.invoice.wizard"
    _description = "Invoice Billable Service Time"
    _check_company_auto = True

    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    date_to = fields.Date(
        string="Time Up To",
        required=True,
        default=fields.Date.context_today,
        help="Billable time logged up to this day is invoiced.",
    )
    partner_ids = fields.Many2many(
        comodel_name="res.partner",
        string="Customers",
        help="Leave empty to invoice every customer.",
    )
    timesheet_ids = fields.Many2many(
        comodel_name="account.analytic.line",
        string="Selected Time",
        help="Invoice only this time; empty: all billable time matching the "
        "other fields.",
    )
    post = fields.Boolean(string="Post Invoices", default=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if (
            "timesheet_ids" in fields_list
            and context.get("active_model") == "account.analytic.line"
            and context.get("active_ids")
        ):
            values["timesheet_ids"] = [fields.Command.set(context["active_ids"])]
        return values

    def action_create_invoices(self):
        self.ensure_one()
        invoices = self._create_invoices()
        if not invoices:
            raise UserError(
                self.env._(
                    "There is no billable service time to invoice up to %(date)s.",
                    date=self.date_to,
                )
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("id", "in", invoices.ids)]
        action["context"] = {"default_move_type": "out_invoice", "create": False}
        return action

    def _create_invoices(self):
        """Invoice the billable time chosen by this wizard, one invoice per customer.

        Side effects: locks the time, creates (and optionally posts) the
        invoices and links the time to them.

        :return: the created ``account.move`` records
        """
        self.ensure_one()
        timesheets = self.env["account.analytic.line"].sudo()
        domain = timesheets._get_zeron_invoiceable_domain(
            date_to=self.date_to,
            partners=self.partner_ids,
            company=self.company_id,
        )
        if self.timesheet_ids:
            domain.append(("id", "in", self.timesheet_ids.ids))
        timesheets = timesheets._zeron_lock_invoiceable(
            timesheets.search(domain, order="date, id")
        )
        invoices = self.env["account.move"]
        by_customer = timesheets.grouped(
            lambda t: t.task_id.partner_id.commercial_partner_id
        )
        for partner, lines in by_customer.items():
            invoices |= self._create_invoice(partner, lines)
        if self.post and invoices:
            invoices.action_post()
        return invoices

    def _prepare_invoice_values(self, partner, timesheets):
        """Return the values of the invoice of ``timesheets`` for ``partner``.

        :return: vals dict for ``account.move``
        """
        company = self.company_id
        journal = self.env["account.journal"].search(
            [
                *self.env["account.journal"]._check_company_domain(company),
                ("type", "=", "sale"),
            ],
            limit=1,
        )
        if not journal:
            raise UserError(
                self.env._(
                    "Company %(company)s has no sales journal to invoice service time.",
                    company=company.name,
                )
            )
        contracts = timesheets.zeron_contract_id
        return {
            "move_type": "out_invoice",
            "partner_id": partner.address_get(["invoice"])["invoice"],
            "company_id": company.id,
            "journal_id": journal.id,
            "invoice_date": self.date_to,
            "invoice_origin": ", ".join(contracts.mapped("name")) or False,
            "zeron_contract_id": contracts.id if len(contracts) == 1 else False,
            "invoice_line_ids": [
                fields.Command.create(values)
                for values in timesheets._prepare_zeron_invoice_lines()
            ],
        }

    def _create_invoice(self, partner, timesheets):
        return (
            self.env["account.move"]
            .with_company(self.company_id)
            .create(self._prepare_invoice_values(partner, timesheets))
        )
