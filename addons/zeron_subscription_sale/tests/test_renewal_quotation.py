from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, freeze_time, tagged
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import MockEmail
from odoo.addons.zeron_subscription.tests.common import ZeronSubscriptionCommon

#: a 1x1 PNG, the signature drawn in the portal
SIGNATURE = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
    "YPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


class RenewalQuotationCommon(ZeronSubscriptionCommon, MockEmail):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id += cls.env.ref("sales_team.group_sale_salesman")
        cls.env.company.email = "billing@zeron.example.com"
        cls.stage_60 = cls.env.ref("zeron_subscription.zeron_expiry_stage_60")
        cls.stage_30 = cls.env.ref("zeron_subscription.zeron_expiry_stage_30")
        cls.stage_7 = cls.env.ref("zeron_subscription.zeron_expiry_stage_7")
        (cls.stage_30 | cls.stage_7).create_renewal_quotation = True
        cls.archive_product = cls.env["product.product"].create(
            {
                "name": "Video Archive",
                "type": "service",
                "zeron_is_subscription": True,
                "zeron_recurring_interval": 1,
                "zeron_recurring_rule_type": "month",
                "zeron_recurring_invoicing_type": "advance",
                "list_price": 30.0,
                "taxes_id": [Command.clear()],
            }
        )
        cls.survey_product = cls.env["product.product"].create(
            {
                "name": "Site Survey",
                "type": "service",
                "list_price": 50.0,
                "taxes_id": [Command.clear()],
            }
        )
        # a one-year term ending on 31 December 2024, renewed by offer; the
        # site survey was billed once, in January
        cls.contract = cls._create_contract(
            lines=[
                {"quantity": 2.0, "price_unit": 100.0},
                {
                    "product_id": cls.archive_product.id,
                    "price_unit": 30.0,
                    "discount": 10.0,
                },
                {
                    "product_id": cls.survey_product.id,
                    "price_unit": 50.0,
                    "date_end": "2024-01-31",
                },
            ],
            start="2024-01-01",
            term_months=12,
            renewal_type="offer",
        )
        cls.monitoring_line, cls.archive_line, cls.survey_line = cls.contract.line_ids
        # billed elsewhere up to now: an opening balance
        (cls.monitoring_line | cls.archive_line).invoiced_up_to = date(2024, 12, 31)
        cls.survey_line.invoiced_up_to = date(2024, 1, 31)

    def _warn(self, day, contracts=None):
        contracts = contracts or self.contract
        with freeze_time(day), self.mock_mail_gateway():
            return contracts._send_expiry_warnings(day)

    def _renewal_orders(self, contract=None):
        return self.env["sale.order"].search(
            [("zeron_renewal_contract_id", "=", (contract or self.contract).id)]
        )

    def _customer_mails(self):
        return self.env["mail.mail"].search(
            [
                ("model", "=", "zeron.contract"),
                ("res_id", "=", self.contract.id),
                ("recipient_ids", "in", self.customer.ids),
            ],
            order="id",
        )


@tagged("post_install", "-at_install")
class TestRenewalQuotation(RenewalQuotationCommon):
    def test_warning_creates_one_linked_quotation(self):
        # the 60-day stage has no quotation
        self.assertEqual(self._warn(date(2024, 11, 1))["sent"], 1)
        self.assertFalse(self._renewal_orders())

        self.assertEqual(self._warn(date(2024, 12, 1))["sent"], 1)
        order = self._renewal_orders()
        self.assertEqual(len(order), 1)
        self.assertRecordValues(
            order,
            [
                {
                    "partner_id": self.customer.id,
                    "partner_invoice_id": self.customer.id,
                    "company_id": self.contract.company_id.id,
                    "user_id": self.manager_user.id,
                    "currency_id": self.contract.currency_id.id,
                    "origin": self.contract.name,
                    "state": "sent",
                    "validity_date": date(2024, 12, 31),
                    "require_signature": True,
                    "require_payment": False,
                    "zeron_renewal_contract_id": self.contract.id,
                    "zeron_renewal_term_end": date(2024, 12, 31),
                    "amount_untaxed": 227.0,
                    "amount_total": 227.0,
                }
            ],
        )
        # the survey ended in January: it is not offered again
        self.assertEqual(
            order.zeron_renewal_line_ids, self.monitoring_line | self.archive_line
        )
        self.assertRecordValues(
            order.order_line[0],
            [
                {
                    "display_type": "line_section",
                    "name": "Renewal of contract %s: 01/01/2025 to 12/31/2025"
                    % self.contract.name,
                    "product_id": False,
                    "price_subtotal": 0.0,
                }
            ],
        )
        self.assertRecordValues(
            order.order_line[1:],
            [
                {
                    "display_type": False,
                    "name": "Alarm Monitoring",
                    "product_id": self.subscription_product.id,
                    "product_uom_qty": 2.0,
                    "price_unit": 100.0,
                    "discount": 0.0,
                    "price_subtotal": 200.0,
                    "zeron_contract_line_id": self.monitoring_line.id,
                },
                {
                    "display_type": False,
                    "name": "Video Archive",
                    "product_id": self.archive_product.id,
                    "product_uom_qty": 1.0,
                    "price_unit": 30.0,
                    "discount": 10.0,
                    "price_subtotal": 27.0,
                    "zeron_contract_line_id": self.archive_line.id,
                },
            ],
        )
        self.assertEqual(order.zeron_contract_ids, self.contract)
        self.assertEqual(self.contract.renewal_order_ids, order)
        self.assertIn(self.customer, order.message_partner_ids)
        # the warning links to the quotation in the portal
        mail = self._customer_mails()[-1]
        self.assertIn(order.name, mail.body_html)
        self.assertIn(
            "/my/orders/%s?access_token=%s" % (order.id, order.access_token),
            mail.body_html,
        )
        self.assertIn("227.00", mail.body_html)
        self.assertIn("online by\n                    12/31/2024", mail.body_html)
        self.assertNotIn("/my/orders/", self._customer_mails()[0].body_html)

        # a rerun and the next stage (with the option too) create none
        self.assertEqual(self._warn(date(2024, 12, 1))["sent"], 0)
        self.assertEqual(self._warn(date(2024, 12, 24))["sent"], 1)
        self.assertEqual(self._renewal_orders(), order)
        self.assertIn(order.name, self._customer_mails()[-1].body_html)
        self.assertEqual(len(self._customer_mails()), 3)

    def test_confirming_renews_the_contract_with_the_changed_lines(self):
        self._warn(date(2024, 12, 1))
        order = self._renewal_orders()
        contracts_before = self.env["zeron.contract"].search_count([])
        with freeze_time("2024-12-10"):
            monitoring, archive = order.order_line.filtered("product_id")
            monitoring.price_unit = 110.0
            archive.unlink()
            order.order_line = [
                Command.create(
                    {
                        "product_id": self.archive_product.id,
                        "product_uom_qty": 3.0,
                        "price_unit": 5.0,
                    }
                ),
                Command.create({"product_id": self.survey_product.id}),
            ]
            order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(self.env["zeron.contract"].search_count([]), contracts_before)
        self.assertRecordValues(
            self.contract,
            [{"state": "running", "renewals_accepted": 1}],
        )
        self.assertEqual(self.contract._get_billing_end(), date(2025, 12, 31))
        self.assertEqual(
            self.contract.with_context(date="2025-03-01").date_term_end,
            date(2025, 12, 31),
        )
        self.assertIn("Renewed until 2025-12-31", self.contract.message_ids[1].body)
        lines = self.contract.line_ids.sorted("id")
        self.assertRecordValues(
            lines,
            [
                # the new price continues the monitoring from the new term
                {
                    "product_id": self.subscription_product.id,
                    "quantity": 2.0,
                    "price_unit": 100.0,
                    "date_start": date(2024, 1, 1),
                    "date_end": date(2024, 12, 31),
                    "predecessor_id": False,
                },
                # the archive was removed from the quotation: it ends
                {
                    "product_id": self.archive_product.id,
                    "quantity": 1.0,
                    "price_unit": 30.0,
                    "date_start": date(2024, 1, 1),
                    "date_end": date(2024, 12, 31),
                    "predecessor_id": False,
                },
                {
                    "product_id": self.survey_product.id,
                    "quantity": 1.0,
                    "price_unit": 50.0,
                    "date_start": date(2024, 1, 1),
                    "date_end": date(2024, 1, 31),
                    "predecessor_id": False,
                },
                {
                    "product_id": self.subscription_product.id,
                    "quantity": 2.0,
                    "price_unit": 110.0,
                    "date_start": date(2025, 1, 1),
                    "date_end": False,
                    "predecessor_id": self.monitoring_line.id,
                },
                # added to the quotation: a new line from the new term
                {
                    "product_id": self.archive_product.id,
                    "quantity": 3.0,
                    "price_unit": 5.0,
                    "date_start": date(2025, 1, 1),
                    "date_end": False,
                    "predecessor_id": False,
                },
            ],
        )
        # the contract bills the subscriptions; the order only the survey
        self.assertRecordValues(
            order.order_line.filtered("product_id"),
            [
                {"zeron_contract_line_id": lines[3].id, "qty_to_invoice": 0.0},
                {"zeron_contract_line_id": lines[4].id, "qty_to_invoice": 0.0},
                {"zeron_contract_line_id": False, "qty_to_invoice": 1.0},
            ],
        )
        self.assertEqual(self._invoice("2024-12-31", self.contract)["created"], 0)
        self.assertEqual(self._invoice("2025-01-01", self.contract)["created"], 1)
        self.assertEqual(self.contract.invoice_ids.amount_untaxed, 235.0)

    def test_unchanged_quotation_keeps_the_lines(self):
        self._warn(date(2024, 12, 1))
        order = self._renewal_orders()
        with freeze_time("2024-12-31"):
            order.action_confirm()
        self.assertEqual(self.contract._get_billing_end(), date(2025, 12, 31))
        self.assertEqual(len(self.contract.line_ids), 3)
        self.assertEqual(
            (self.monitoring_line | self.archive_line).mapped("date_end"),
            [False, False],
        )
        self.assertEqual(self._invoice("2025-01-01", self.contract)["created"], 1)
        self.assertEqual(self.contract.invoice_ids.amount_untaxed, 227.0)

    def test_expired_quotation_renews_nothing(self):
        self._warn(date(2024, 12, 1))
        order = self._renewal_orders()
        with freeze_time("2025-01-01"):
            self.env.invalidate_all()
            self.env["zeron.contract"]._cron_update_states()
            self.assertEqual(self.contract.state, "expired")
            self.assertTrue(order.is_expired)
            self.assertFalse(order._has_to_be_signed())
            with self.assertRaisesRegex(UserError, "expired on 2024-12-31"):
                order.action_confirm()
        self.assertEqual(order.state, "sent")
        self.assertRecordValues(
            self.contract, [{"state": "expired", "renewals_accepted": 0}]
        )
        self.assertEqual(self.contract._get_billing_end(), date(2024, 12, 31))
        self.assertEqual(self._invoice("2025-01-01", self.contract)["created"], 0)

    def test_quotation_of_a_term_renewed_otherwise_is_refused(self):
        self._warn(date(2024, 12, 1))
        order = self._renewal_orders()
        with freeze_time("2024-12-10"):
            self.contract.action_renew()
            self.assertFalse(order._has_to_be_signed())
            with self.assertRaisesRegex(UserError, "was renewed or changed meanwhile"):
                order.action_confirm()
        self.assertEqual(self.contract.renewals_accepted, 1)

    def test_only_contracts_renewed_by_offer_get_quotations(self):
        contracts = self.contract
        for renewal_type in ("none", "tacit"):
            contracts |= self._create_contract(
                start="2024-01-01", term_months=12, renewal_type=renewal_type
            )
        self.assertEqual(self._warn(date(2024, 12, 1), contracts)["sent"], 3)
        orders = self.env["sale.order"].search(
            [("zeron_renewal_contract_id", "in", contracts.ids)]
        )
        self.assertEqual(orders.zeron_renewal_contract_id, self.contract)

    def test_quotation_in_the_contracts_company(self):
        company = self.setup_other_company()["company"]
        company.email = "billing@zeron-plovdiv.example.com"
        self.env.user.company_ids |= company
        contract = self._create_contract(
            start="2024-01-01",
            term_months=12,
            renewal_type="offer",
            company_id=company.id,
        )
        self._warn(date(2024, 12, 1), self.contract | contract)
        order = self._renewal_orders(contract)
        self.assertRecordValues(
            order,
            [
                {
                    "company_id": company.id,
                    "amount_untaxed": 100.0,
                    "zeron_renewal_term_end": date(2024, 12, 31),
                }
            ],
        )
        self.assertEqual(self._renewal_orders().company_id, self.env.company)


@tagged("post_install", "-at_install")
class TestRenewalQuotationPortal(RenewalQuotationCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        portal = cls.env.ref("base.group_portal")
        cls.portal_user = cls.env["res.users"].create(
            {
                "name": "Sofia Vaults Ltd",
                "login": "vaults_portal",
                "password": "vaults_portal",
                "partner_id": cls.customer.id,
                "groups_id": [Command.set(portal.ids)],
            }
        )
        other = cls.env["res.partner"].create(
            {"name": "Plovdiv Banking", "email": "it@banking.example.com"}
        )
        cls.other_portal_user = cls.env["res.users"].create(
            {
                "name": "Plovdiv Banking",
                "login": "banking_portal",
                "password": "banking_portal",
                "partner_id": other.id,
                "groups_id": [Command.set(portal.ids)],
            }
        )

    def _accept(self, order):
        return self.make_jsonrpc_request(
            "/my/orders/%s/accept" % order.id,
            {"name": "Maria Petrova", "signature": SIGNATURE},
        )

    @mute_logger("odoo.http")
    def test_portal_signature_renews_the_contract(self):
        self._warn(date(2024, 12, 1))
        order = self._renewal_orders()
        with freeze_time("2024-12-10"):
            # another customer's portal user neither sees nor signs it
            with self.assertRaises(AccessError):
                order.with_user(self.other_portal_user).check_access("read")
            self.authenticate("banking_portal", "banking_portal")
            response = self.url_open("/my/orders/%s" % order.id)
            self.assertTrue(response.url.endswith("/my"), response.url)
            self.assertNotIn(order.name, response.text)
            self.assertEqual(self._accept(order), {"error": "Invalid order."})
            self.env.invalidate_all()
            self.assertFalse(order.signature)
            self.assertEqual(self.contract.renewals_accepted, 0)

            # the customer's portal user signs it: the contract is renewed
            self.authenticate("vaults_portal", "vaults_portal")
            response = self.url_open("/my/orders/%s" % order.id)
            self.assertEqual(response.status_code, 200)
            self.assertIn(order.name, response.text)
            result = self._accept(order)
            self.assertTrue(result.get("redirect_url"), result)
        self.env.invalidate_all()
        self.assertRecordValues(
            order, [{"state": "sale", "signed_by": "Maria Petrova"}]
        )
        self.assertRecordValues(
            self.contract, [{"state": "running", "renewals_accepted": 1}]
        )
        self.assertEqual(self.contract._get_billing_end(), date(2025, 12, 31))
        self.assertEqual(len(self.contract.line_ids), 3)
        self.assertEqual(self._invoice("2025-01-01", self.contract)["created"], 1)
        self.assertEqual(self.contract.invoice_ids.amount_untaxed, 227.0)
