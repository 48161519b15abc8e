from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .zeron_recurrence_mixin import INVOICING_TYPES, RULE_TYPES


class ProductTemplate(models.Model):
    _inherit = "product.template"

    zeron_is_subscription = fields.Boolean(
        string="Subscription",
        help="Invoiced regularly through subscription contracts.",
    )
    zeron_one_time = fields.Boolean(
        string="One-Time Fee",
        help="On a subscription contract, a line of this product is billed once "
        "(a setup fee): with the contract's first invoice, or with the next one "
        "when added to a running contract, at its full price, never prorated.",
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
        "zeron_one_time",
        "type",
        "zeron_recurring_interval",
        "zeron_recurring_rule_type",
    )
    def _check_zeron_subscription(self):
        for template in self.filtered("zeron_one_time"):
            if template.type != "service" or template.zeron_is_subscription:
                raise ValidationError(
                    self.env._(
                        "Product %(product)s: only a service that is not a "
                        "subscription can be a one-time fee (fields One-Time Fee "
                        "and Subscription).",
                        product=template.display_name,
                    )
                )
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
