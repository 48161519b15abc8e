from odoo.tests import HttpCase, new_test_user, tagged

from .common import ZeronSubscriptionCommon


@tagged("post_install", "-at_install")
class TestPortal(ZeronSubscriptionCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_partner = cls.env["res.partner"].create(
            {"name": "Portal Vault Customer", "email": "portal@vaults.example.com"}
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="zeron_portal_customer",
            password="zeron_portal_customer",
            groups="base.group_portal",
            partner_id=cls.portal_partner.id,
        )
        cls.own = cls._create_contract(
            start="2024-01-01", partner_id=cls.portal_partner.id, term_months=12
        )
        cls.others = cls._create_contract(start="2024-01-01")

    def test_customer_sees_own_contracts_only(self):
        self.authenticate("zeron_portal_customer", "zeron_portal_customer")
        response = self.url_open("/my/contracts")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.own.name, response.text)
        self.assertNotIn(self.others.name, response.text)

        response = self.url_open("/my/contracts/%s" % self.own.id)
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.own.name, response.text)
        self.assertIn("Alarm Monitoring", response.text)
        self.assertIn("12/31/2024", response.text)

        response = self.url_open("/my/contracts/%s?report_type=html" % self.own.id)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Contract <span>%s</span>" % self.own.name, response.text)

    def test_customer_cannot_reach_another_customers_contract(self):
        self.authenticate("zeron_portal_customer", "zeron_portal_customer")
        for url in (
            "/my/contracts/%s" % self.others.id,
            "/my/contracts/%s?report_type=pdf" % self.others.id,
            "/my/contracts/%s?access_token=wrong" % self.others.id,
        ):
            with self.subTest(url=url):
                response = self.url_open(url, allow_redirects=False)
                self.assertEqual(response.status_code, 303)
                self.assertTrue(response.headers["Location"].endswith("/my"))

    def test_home_counter(self):
        self.authenticate("zeron_portal_customer", "zeron_portal_customer")
        response = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["zeron_contract_count"]}
        )
        self.assertEqual(response, {"zeron_contract_count": 1})


@tagged("post_install", "-at_install")
class TestContractReport(ZeronSubscriptionCommon):
    def test_contract_pdf_html(self):
        contract = self._create_contract(
            start="2024-01-01", term_months=12, lines=[{"price_unit": 49.5}]
        )
        self._invoice("2024-01-01")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "zeron_subscription.zeron_contract_report", contract.ids
            )[0]
            .decode()
        )
        self.assertIn("Contract <span>%s</span>" % contract.name, html)
        self.assertIn("Alarm Monitoring", html)
        self.assertIn("01/31/2024", html)  # invoiced up to
        self.assertIn("12/31/2024", html)  # end of the term
        self.assertIn("49.50", html)
