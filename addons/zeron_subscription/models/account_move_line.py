from odoo import fields, models
from odoo.exceptions import UserError

from .zeron_contract_period import COVERING_TYPES


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
    zeron_is_adjustment = fields.Boolean(
        string="Subscription Adjustment",
        readonly=True,
        copy=False,
        help="Bills or credits the difference a change of quantity or price "
        "makes for days already invoiced.",
    )

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

    # a hook that fills ``values`` and returns nothing, as in core
    def _copy_data_extend_business_fields(self, values):  # pylint: disable=missing-return
        # a credit note or a corrected copy of an invoice keeps the contract
        # line and period it bills, so crediting can make the period due again
        super()._copy_data_extend_business_fields(values)
        values.update(
            {
                "zeron_contract_line_id": self.zeron_contract_line_id.id,
                "zeron_period_start": self.zeron_period_start,
                "zeron_period_end": self.zeron_period_end,
                "zeron_is_adjustment": self.zeron_is_adjustment,
            }
        )

    def _zeron_release_credited_periods(self):
        """Make due again the periods that these credit note lines credit in full.

        A line of a credit note reversing an invoice (Odoo's *Credit Note*)
        credits the invoice line of the same contract line and period; when it
        credits at least that line's amount, the period is no longer billed. A
        partial credit (a price reduction) leaves the period billed.
        """
        lines = self.filtered(
            lambda line: line.zeron_contract_line_id
            and line.zeron_period_start
            and line.move_id.move_type == "out_refund"
            and line.move_id.reversed_entry_id
        )
        if not lines:
            return
        credited = self.browse()
        for line in lines:
            credited |= line.move_id.reversed_entry_id.invoice_line_ids.filtered(
                lambda inv, line=line: inv.zeron_contract_line_id
                == line.zeron_contract_line_id
                and inv.zeron_period_start == line.zeron_period_start
                and inv.zeron_period_end == line.zeron_period_end
                and line.currency_id.compare_amounts(
                    line.price_subtotal, inv.price_subtotal
                )
                >= 0
            )
        credited._zeron_release_periods()

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
            if line.zeron_is_adjustment:
                # an adjustment bills the days a change carried over, once
                if not line._zeron_get_carried_period():
                    raise UserError(
                        self.env._(
                            "Invoice %(invoice)s adjusts %(period)s of contract "
                            "%(contract)s, which no invoice bills at the former "
                            "terms any more.",
                            invoice=line.move_id.display_name,
                            period=line.name,
                            contract=line.zeron_contract_line_id.contract_id.display_name,
                        )
                    )
                domain = [
                    ("line_id", "=", line.zeron_contract_line_id.id),
                    ("date_start", "=", line.zeron_period_start),
                    ("period_type", "=", "adjustment"),
                ]
            else:
                domain = [
                    ("line_id", "=", line.zeron_contract_line_id.id),
                    ("date_start", "<=", line.zeron_period_end),
                    ("date_end", ">=", line.zeron_period_start),
                    ("period_type", "in", COVERING_TYPES),
                ]
            clash = Period.search(domain, limit=1)
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
        vals = {
            "line_id": self.zeron_contract_line_id.id,
            "date_start": self.zeron_period_start,
            "date_end": self.zeron_period_end,
            "invoice_line_id": self.id,
        }
        if self.zeron_is_adjustment:
            vals.update(
                {
                    "period_type": "adjustment",
                    "origin_period_id": self._zeron_get_carried_period().id,
                }
            )
        elif self.zeron_contract_line_id.one_time:
            vals["period_type"] = "one_time"
        return vals

    def _zeron_get_carried_period(self):
        """Return the carried-over period this adjustment line adjusts, if any."""
        self.ensure_one()
        return (
            self.env["zeron.contract.period"]
            .sudo()
            .search(
                [
                    ("line_id", "=", self.zeron_contract_line_id.id),
                    ("date_start", "=", self.zeron_period_start),
                    ("period_type", "=", "carried"),
                ],
                limit=1,
            )
        )
