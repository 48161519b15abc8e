from odoo import api, models


class ZeronContractSuspension(models.Model):
    _inherit = "zeron.contract.suspension"

    # === CRUD METHODS === #

    @api.model_create_multi
    def create(self, vals_list):
        suspensions = super().create(vals_list)
        suspensions.contract_id._zeron_recompute_task_coverage()
        return suspensions

    def write(self, vals):
        contracts = self.contract_id
        res = super().write(vals)
        if {"contract_id", "date_start", "date_end"} & set(vals):
            (contracts | self.contract_id)._zeron_recompute_task_coverage()
        return res

    def unlink(self):
        contracts = self.contract_id
        res = super().unlink()
        contracts.exists()._zeron_recompute_task_coverage()
        return res
