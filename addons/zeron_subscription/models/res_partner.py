from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    zeron_contract_ids = fields.One2many(
        comodel_name="zeron.contract",
        inverse_name="commercial_partner_id",
        string="Subscription Contracts",
    )
    zeron_contract_count = fields.Integer(
        string="Contracts",
        compute="_compute_zeron_contract_count",
    )

    def _compute_zeron_contract_count(self):
        counts = dict(
            self.env["zeron.contract"]._read_group(
                [("commercial_partner_id", "in", self.commercial_partner_id.ids)],
                groupby=["commercial_partner_id"],
                aggregates=["__count"],
            )
        )
        for partner in self:
            partner.zeron_contract_count = counts.get(partner.commercial_partner_id, 0)

    def action_view_zeron_contracts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "zeron_subscription.zeron_contract_action"
        )
        action["domain"] = [
            ("commercial_partner_id", "=", self.commercial_partner_id.id)
        ]
        action["context"] = {"default_partner_id": self.id}
        return action
