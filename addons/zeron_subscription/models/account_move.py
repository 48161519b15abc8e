from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    zeron_contract_id = fields.Many2one(
        comodel_name="zeron.contract",
        string="Subscription Contract",
        index="btree_not_null",
        readonly=True,
        copy=False,
    )

    def _post(self, soft=True):
        # an invoice cancelled, billed again, then reset and posted must not
        # bill its periods a second time: record them again, or refuse
        self.line_ids._zeron_record_periods()
        return super()._post(soft=soft)

    def button_cancel(self):
        # a cancelled invoice no longer bills its periods: make them due again
        self._zeron_release_periods()
        return super().button_cancel()

    def _zeron_release_periods(self):
        self.line_ids._zeron_release_periods()
