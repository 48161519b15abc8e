from odoo import models

from ..tools.amount_words_bg import CURRENCY_WORDS, amount_to_words


class ResCurrency(models.Model):
    _inherit = "res.currency"

    def amount_to_text(self, amount):
        # num2words has no Bulgarian: spell lev and euro ourselves
        self.ensure_one()
        lang = self.env.context.get("lang") or self.env.lang or ""
        if lang.startswith("bg") and self.name in CURRENCY_WORDS:
            return amount_to_words(amount, self.name, self.decimal_places)
        return super().amount_to_text(amount)
