from odoo.tests import BaseCase, tagged

from ..tools.amount_words_bg import FEMININE, NEUTER, amount_to_words, number_to_words
from .common import ZeronSubscriptionCommon


@tagged("post_install", "-at_install")
class TestAmountWordsBg(BaseCase):
    def test_examples_of_the_issue(self):
        self.assertEqual(amount_to_words(1.01, "BGN"), "един лев и една стотинка")
        self.assertEqual(amount_to_words(2.02, "EUR"), "две евро и два евроцента")
        self.assertEqual(
            amount_to_words(1234.56, "EUR"),
            "хиляда двеста тридесет и четири евро и петдесет и шест евроцента",
        )

    def test_lev(self):
        cases = [
            (0, "нула лева"),
            (1, "един лев"),
            (2, "два лева"),
            (11, "единадесет лева"),
            (12, "дванадесет лева"),
            (20, "двадесет лева"),
            (21, "двадесет и един лева"),
            (100, "сто лева"),
            (101, "сто и един лева"),
            (111, "сто и единадесет лева"),
            (120, "сто и двадесет лева"),
            (200, "двеста лева"),
            (999, "деветстотин деветдесет и девет лева"),
            (1000, "хиляда лева"),
            (1001, "хиляда и един лева"),
            (1100, "хиляда и сто лева"),
            (2000, "две хиляди лева"),
            (21005, "двадесет и една хиляди и пет лева"),
            (1000000, "един милион лева"),
            (1002000, "един милион и две хиляди лева"),
            (1200300, "един милион двеста хиляди и триста лева"),
            (2021000, "два милиона двадесет и една хиляди лева"),
            (0.05, "нула лева и пет стотинки"),
            (12.21, "дванадесет лева и двадесет и една стотинки"),
            (2.02, "два лева и две стотинки"),
            (-3.5, "минус три лева и петдесет стотинки"),
        ]
        for amount, words in cases:
            with self.subTest(amount=amount):
                self.assertEqual(amount_to_words(amount, "BGN"), words)

    def test_euro(self):
        cases = [
            (1, "едно евро"),
            (2, "две евро"),
            (21, "двадесет и едно евро"),
            (1001, "хиляда и едно евро"),
            (0.01, "нула евро и един евроцент"),
            (3000100, "три милиона и сто евро"),
        ]
        for amount, words in cases:
            with self.subTest(amount=amount):
                self.assertEqual(amount_to_words(amount, "EUR"), words)

    def test_genders(self):
        self.assertEqual(number_to_words(1), "един")
        self.assertEqual(number_to_words(1, FEMININE), "една")
        self.assertEqual(number_to_words(1, NEUTER), "едно")
        self.assertEqual(number_to_words(2, FEMININE), "две")
        self.assertEqual(number_to_words(2_000_000_000), "два милиарда")


@tagged("post_install", "-at_install")
class TestInvoiceAmountInWords(ZeronSubscriptionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("bg_BG")
        cls.customer.lang = "bg_BG"

    def test_currency_amount_to_text_in_bulgarian(self):
        eur = self.env.ref("base.EUR")
        self.assertEqual(
            eur.with_context(lang="bg_BG").amount_to_text(1234.56),
            "хиляда двеста тридесет и четири евро и петдесет и шест евроцента",
        )
        # other languages keep num2words
        self.assertEqual(
            eur.with_context(lang="en_US").amount_to_text(2.0), "Two Euros"
        )

    def test_subscription_invoice_shows_the_amount_in_words(self):
        contract = self._create_contract(
            start="2024-01-01",
            lines=[{"price_unit": 1234.56}],
            pricelist_id=self._pricelist(self.other_currency).id,
        )
        self._invoice("2024-01-01")
        invoice = contract.invoice_ids
        self.assertEqual(invoice.currency_id.name, "EUR")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account.account_invoices", invoice.ids)[0]
            .decode()
        )
        self.assertIn(
            "хиляда двеста тридесет и четири евро и петдесет и шест евроцента", html
        )

    @classmethod
    def _pricelist(cls, currency):
        return cls.env["product.pricelist"].create(
            {"name": "EUR prices", "currency_id": currency.id}
        )
