from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import ZeronSubscriptionCommon


@tagged("post_install", "-at_install")
class TestSecurity(ZeronSubscriptionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract = cls._create_contract(start="2024-01-01")
        cls.other_company = cls.setup_other_company()["company"]
        cls.other_user = new_test_user(
            cls.env,
            login="zeron_other_company",
            groups="base.group_user,zeron_subscription.zeron_contract_group_manager",
            company_id=cls.other_company.id,
            company_ids=[Command.set(cls.other_company.ids)],
        )
        cls.clerk = new_test_user(
            cls.env,
            login="zeron_clerk",
            groups="base.group_user,zeron_subscription.zeron_contract_group_user",
        )
        cls.portal_partner = cls.env["res.partner"].create({"name": "Portal Customer"})
        cls.portal_user = new_test_user(
            cls.env,
            login="zeron_portal",
            groups="base.group_portal",
            partner_id=cls.portal_partner.id,
        )

    def test_other_company_cannot_read(self):
        contracts = self.env["zeron.contract"].with_user(self.other_user)
        self.assertFalse(contracts.search([]))
        with self.assertRaises(AccessError):
            contracts.browse(self.contract.id).read(["name"])
        with self.assertRaises(AccessError):
            self.contract.line_ids.with_user(self.other_user).read(["name"])

    def test_portal_user_sees_only_own_contracts(self):
        own = self._create_contract(
            start="2024-01-01", partner_id=self.portal_partner.id
        )
        contracts = self.env["zeron.contract"].with_user(self.portal_user)
        self.assertEqual(contracts.search([]), own)
        self.assertEqual(
            self.env["zeron.contract.line"].with_user(self.portal_user).search([]),
            own.line_ids,
        )
        with self.assertRaises(AccessError):
            contracts.browse(self.contract.id).read(["name"])
        with self.assertRaises(AccessError):
            own.with_user(self.portal_user).write({"invoice_delivery": "post"})

    def test_only_managers_delete_contracts(self):
        contract = self._create_contract(start="2024-01-01", start_running=False)
        with self.assertRaises(AccessError):
            contract.with_user(self.clerk).unlink()
        contract.with_user(self.manager_user).unlink()
        self.assertFalse(contract.exists())

    def test_clerk_invoices(self):
        self.contract.with_user(self.clerk).invoice_delivery = "post"
        result = (
            self.env["zeron.contract"]
            .with_user(self.clerk)
            .create_recurring_invoices("2024-01-01")
        )
        self.assertEqual(result["created"], 1)

    def test_suspensions_stay_with_their_company_and_customer(self):
        self.contract.action_suspend("2024-02-01")
        suspension = self.contract.suspension_ids
        self.assertEqual(len(suspension), 1)
        suspensions = self.env["zeron.contract.suspension"]
        self.assertFalse(suspensions.with_user(self.other_user).search([]))
        with self.assertRaises(AccessError):
            suspension.with_user(self.other_user).read(["date_start"])
        self.assertFalse(suspensions.with_user(self.portal_user).search([]))
        with self.assertRaises(AccessError):
            suspension.with_user(self.portal_user).read(["date_start"])

    def test_forecast_rows_stay_with_their_company(self):
        forecast = self.env["zeron.contract.forecast"]
        key = forecast._fill(self.contract, count=2, date_from="2024-01-01")
        rows = forecast.search([("forecast_key", "=", key)])
        self.assertEqual(len(rows), 2)
        self.assertFalse(forecast.with_user(self.other_user).search([]))
        with self.assertRaises(AccessError):
            rows.with_user(self.other_user).read(["amount_untaxed"])
        with self.assertRaises(AccessError):
            forecast.with_user(self.portal_user).search([])
