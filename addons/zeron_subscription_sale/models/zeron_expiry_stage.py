from odoo import fields, models


class ZeronExpiryStage(models.Model):
    _inherit = "zeron.expiry.stage"

    create_renewal_quotation = fields.Boolean(
        help="When this stage's warning goes out to a contract renewed by offer, "
        "a quotation for the next term goes with it, for the customer to accept "
        "and sign in the portal. One quotation per contract and term: a later "
        "stage sends the link again.",
    )
