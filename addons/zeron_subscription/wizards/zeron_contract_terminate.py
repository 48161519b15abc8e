from odoo import fields, models
from odoo.exceptions import AccessError


class ZeronContractTerminate(models.TransientModel):
    _name = "zeron.contract.terminate"
    _description = "Terminate a Subscription Contract"

    contract_id = fields.Many2one(
        comodel_name="zeron.contract",
        required=True,
        default=lambda self: self.env.context.get("active_id"),
    )
    date_end = fields.Date(
        string="Last Day",
        required=True,
        default=fields.Date.context_today,
    )
    reason = fields.Char(required=True)

    def action_terminate(self):
        self.ensure_one()
        # checked here, not only hidden in the view: the wizard's model is
        # reachable through the external API too
        if not self.env.user.has_group(
            "zeron_subscription.zeron_contract_group_manager"
        ):
            raise AccessError(
                self.env._(
                    "Only subscription managers may terminate contract %(contract)s.",
                    contract=self.contract_id.display_name,
                )
            )
        credit_notes = self.contract_id._terminate(self.date_end, self.reason)
        if credit_notes:
            return {
                "type": "ir.actions.act_window",
                "res_model": "account.move",
                "view_mode": "form",
                "res_id": credit_notes.id,
            }
        return {"type": "ir.actions.act_window_close"}
