from odoo import Command, fields

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class ZeronSubscriptionCommon(AccountTestInvoicingCommon):
    """Own data for the subscription tests: no demo records."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.other_currency = cls.setup_other_currency("EUR")
        cls.env.user.groups_id += cls.env.ref(
            "zeron_subscription.zeron_contract_group_manager"
        )
        cls.subscription_product = cls.env["product.product"].create(
            {
                "name": "Alarm Monitoring",
                "type": "service",
                "zeron_is_subscription": True,
                "zeron_recurring_interval": 1,
                "zeron_recurring_rule_type": "month",
                "zeron_recurring_invoicing_type": "advance",
                "list_price": 100.0,
                "taxes_id": [Command.clear()],
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Sofia Vaults Ltd", "email": "billing@vaults.example.com"}
        )
        cls.manager_user = cls.env["res.users"].create(
            {
                "name": "Subscription Manager",
                "login": "zeron_manager",
                "email": "manager@zeron.example.com",
                "groups_id": [
                    Command.link(
                        cls.env.ref(
                            "zeron_subscription.zeron_contract_group_manager"
                        ).id
                    ),
                    Command.link(cls.env.ref("account.group_account_invoice").id),
                ],
            }
        )

    @classmethod
    def _create_contract(
        cls, lines=None, start="2024-01-01", start_running=True, **vals
    ):
        """Create a contract with ``lines`` (a list of line vals dicts)."""
        lines = lines if lines is not None else [{"price_unit": 100.0}]
        contract = cls.env["zeron.contract"].create(
            {
                "partner_id": cls.customer.id,
                "date_start": start,
                "user_id": cls.manager_user.id,
                **vals,
                "line_ids": [
                    Command.create(
                        {"product_id": cls.subscription_product.id, **line_vals}
                    )
                    for line_vals in lines
                ],
            }
        )
        if start_running:
            contract.action_start()
        return contract

    def _invoice(self, date_ref, contracts=None):
        """Run the invoicing for ``date_ref``; return the counts."""
        if contracts is not None:
            return contracts._run_invoicing(fields.Date.to_date(date_ref))
        return self.env["zeron.contract"].create_recurring_invoices(date_ref)
