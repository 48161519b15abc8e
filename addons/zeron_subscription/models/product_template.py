from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .zeron_recurrence_mixin import INVOICING_TYPES, RULE_TYPES


class ProductTemplate(models.Model):
    _inherit = "product.template"

    zeron_is_subscription = fields.Boolean(
        string="Subscription",
        help="Invoiced regularly through subscription contracts.",
    )
    zeron_recurring_interval = fields.Integer(
        string="Billing Every",
        default=1,
        help="Default billing period of the contract lines of this product.",
    )
    zeron_recurring_rule_type = fields.Selection(
        selection=RULE_TYPES,
        string="Billing Unit",
        default="month",
    )
    zeron_recurring_invoicing_type = fields.Selection(
        selection=INVOICING_TYPES,
        string="Invoicing",
        default="advance",
    )

    @api.constrains(
        "zeron_is_subscription",
        "type",
        "zeron_recurring_interval",
        "zeron_recurring_rule_type",
    )
    def _check_zeron_subscription(self):
        for template in self.filtered("zeron_is_subscription"):
            if template.type != "service":
                raise ValidationError(
                    self.env._(
                        "Product %(product)s: only a service can be a subscription "
                        "(field Subscription).",
                        product=template.display_name,
                    )
                )
            if (
                template.zeron_recurring_interval < 1
                or not template.zeron_recurring_rule_type
            ):
                raise ValidationError(
                    self.env._(
                        "Product %(product)s: a subscription needs a billing period "
                        "of at least 1 (fields Billing Every and Billing Unit).",
                        product=template.display_name,
                    )
                )
