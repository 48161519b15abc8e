import logging
from collections import defaultdict

from markupsafe import Markup

from odoo import Command, api, fields, models

_logger = logging.getLogger(__name__)


class AccountMove(models.Model):
    _inherit = "account.move"

    zeron_has_unallocated_landed_cost = fields.Boolean(
        compute="_compute_zeron_has_unallocated_landed_cost",
        compute_sudo=True,
        string="Has Unallocated Landed Costs",
    )

    # === COMPUTE METHODS === #

    @api.depends(
        "state",
        "invoice_line_ids.is_landed_costs_line",
        "invoice_line_ids.zeron_landed_cost_line_ids.cost_id.state",
    )
    def _compute_zeron_has_unallocated_landed_cost(self):
        for move in self:
            move.zeron_has_unallocated_landed_cost = bool(
                move.state == "posted" and move._zeron_get_lines_to_allocate()
            )

    # === CRUD / STATE OVERRIDES === #

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._zeron_allocate_landed_costs()
        return posted

    def button_draft(self):
        # button_cancel goes through button_draft for posted moves, so a cancelled
        # bill is reversed here as well.
        res = super().button_draft()
        self._zeron_reverse_landed_costs()
        return res

    # === ACTIONS === #

    def action_zeron_allocate_landed_costs(self):
        """Allocate the landed-cost lines of posted bills that are not allocated
        yet, for example because their goods were received after posting."""
        self._zeron_allocate_landed_costs()
        return True

    # === BUSINESS METHODS === #

    def _zeron_get_lines_to_allocate(self):
        """Return the bill lines of ``self`` that still need an allocation.

        :return: ``account.move.line`` recordset
        """
        return self.invoice_line_ids.filtered(
            lambda line: line._zeron_is_allocable() and not line._zeron_is_allocated()
        )

    def _zeron_allocate_landed_costs(self):
        """Create (and, per the company setting, validate) the landed costs of the
        landed-cost lines of posted vendor bills and credit notes in ``self``.

        Lines already allocated are skipped, so calling it again allocates nothing
        twice. Lines whose goods cannot be found are left unallocated and noted on
        the bill.

        Runs as superuser: posting a bill is enough right to book its landed cost,
        and an accountant usually has no inventory manager rights.

        :return: the landed costs created
        """
        landed_costs = self.env["stock.landed.cost"]
        bills = self.filtered(
            lambda move: move.state == "posted" and move.is_purchase_document()
        )
        for bill in bills:
            bill = bill.with_company(bill.company_id)
            lines = bill._zeron_get_lines_to_allocate()
            if not lines:
                continue
            lines_by_pickings = defaultdict(lambda: self.env["account.move.line"])
            for line in lines:
                lines_by_pickings[line._zeron_get_target_pickings()] |= line
            for pickings, picking_lines in lines_by_pickings.items():
                if not pickings:
                    bill._zeron_notify_missing_goods(picking_lines)
                    continue
                # Created in the bill's company, which gives the default journal.
                landed_cost = (
                    bill.env["stock.landed.cost"]
                    .sudo()
                    .create(
                        bill._prepare_zeron_landed_cost_values(pickings, picking_lines)
                    )
                )
                landed_cost.compute_landed_cost()
                if bill.company_id.zeron_landed_cost_auto_validate:
                    # TODO: batch the validation (one layer create, one credit line
                    # per cost line), because core's books and reconciles one line
                    # per goods line and is slow past ~1,000 lines; remove when the
                    # benchmark shows half of core's time (see ROADMAP).
                    landed_cost.button_validate()
                bill.message_post(
                    body=Markup(
                        self.env._("Landed cost %(link)s created from this bill.")
                    )
                    % {"link": landed_cost._get_html_link()}
                )
                _logger.debug(
                    "Bill %s: landed cost %s created for lines %s",
                    bill.id,
                    landed_cost.id,
                    picking_lines.ids,
                )
                landed_costs |= landed_cost
        return landed_costs

    def _zeron_notify_missing_goods(self, lines):
        self.ensure_one()
        _logger.warning(
            "Bill %s: no received goods found for landed-cost lines %s",
            self.id,
            lines.ids,
        )
        self.message_post(
            body=self.env._(
                "No received goods were found for %(lines)s: the cost stays "
                "unallocated. Choose receipts or goods bills on the line, or "
                "receive the goods, then use Allocate Landed Costs.",
                lines=", ".join(lines.mapped("name")),
            )
        )

    def _prepare_zeron_landed_cost_values(self, pickings, lines):
        """Return the values of the landed cost allocating ``lines`` of ``self``
        over ``pickings``.

        :param pickings: ``stock.picking`` recordset, the receipts to allocate on
        :param lines: ``account.move.line`` recordset of ``self``
        :return: vals dict for ``stock.landed.cost.create``
        """
        self.ensure_one()
        return {
            # The bill's accounting date, so the allocation lands in its period.
            "date": self.date,
            "company_id": self.company_id.id,
            "vendor_bill_id": self.id,
            "picking_ids": [Command.set(pickings.ids)],
            "cost_lines": [
                Command.create(line._prepare_zeron_landed_cost_line_values())
                for line in lines
            ],
        }

    def _zeron_reverse_landed_costs(self):
        """Cancel the draft and reverse the validated landed costs this module
        created for the bills in ``self``.

        :return: the reversal landed costs
        """
        landed_costs = self.sudo().invoice_line_ids.zeron_landed_cost_line_ids.cost_id
        landed_costs = landed_costs.filtered(
            lambda cost: cost._zeron_is_active_allocation()
        )
        landed_costs.filtered(lambda cost: cost.state == "draft").button_cancel()
        return landed_costs.filtered(lambda cost: cost.state == "done")._zeron_reverse()
