from datetime import date

from odoo.tests import tagged

from .common import ZeronSubscriptionCommon


@tagged("post_install", "-at_install")
class TestCoverageHooks(ZeronSubscriptionCommon):
    """The contract tells other modules on which days it is in force."""

    def _assert_valid_on(self, contract, cases):
        for day, expected in cases:
            with self.subTest(contract=contract.name, day=day):
                self.assertEqual(
                    contract._is_valid_on(date.fromisoformat(day)), expected
                )

    def test_covering_states(self):
        self.assertEqual(
            self.env["zeron.contract"]._get_covering_states(),
            ["running", "to_renew", "suspended", "expired", "closed"],
        )

    def test_end_date_is_inclusive(self):
        contract = self._create_contract(start="2024-01-01", date_end="2024-06-30")
        self._assert_valid_on(
            contract,
            [
                ("2023-12-31", False),
                ("2024-01-01", True),
                ("2024-06-30", True),
                ("2024-07-01", False),
            ],
        )
        self.assertEqual(
            contract._get_validity_end(date(2024, 3, 1)), date(2024, 6, 30)
        )

    def test_terms_and_renewals(self):
        none = self._create_contract(
            start="2020-01-01", term_months=12, renewal_type="none"
        )
        tacit = self._create_contract(
            start="2020-01-01", term_months=12, renewal_type="tacit"
        )
        offer = self._create_contract(
            start="2020-01-01", term_months=12, renewal_type="offer"
        )
        self._assert_valid_on(none, [("2020-12-31", True), ("2021-01-01", False)])
        self._assert_valid_on(tacit, [("2020-12-31", True), ("2021-03-15", True)])
        self._assert_valid_on(offer, [("2020-12-31", True), ("2021-03-15", False)])
        day = date(2020, 6, 1)
        self.assertEqual(none._get_validity_end(day), date(2020, 12, 31))
        self.assertFalse(tacit._get_validity_end(day), "a tacit term runs on")
        self.assertEqual(offer._get_validity_end(day), date(2020, 12, 31))
        offer.action_renew()
        self._assert_valid_on(offer, [("2021-03-15", True), ("2022-01-01", False)])
        self.assertEqual(offer._get_validity_end(day), date(2021, 12, 31))

    def test_suspension_of_a_running_contract(self):
        contract = self._create_contract(start="2024-01-01")
        self.env["zeron.contract.suspension"].create(
            {
                "contract_id": contract.id,
                "date_start": "2024-03-10",
                "date_end": "2024-03-20",
            }
        )
        self.assertEqual(contract.state, "running")
        self._assert_valid_on(
            contract,
            [
                ("2024-03-09", True),
                ("2024-03-10", False),
                ("2024-03-20", False),
                ("2024-03-21", True),
            ],
        )
        self.assertTrue(contract._is_suspended_on(date(2024, 3, 15)))
        self.assertFalse(contract._is_suspended_on(date(2024, 3, 21)))
        self.assertEqual(
            contract._get_validity_end(date(2024, 3, 1)),
            date(2024, 3, 9),
            "the validity breaks the day before the suspension",
        )
        self.assertFalse(contract._get_validity_end(date(2024, 3, 21)))

    def test_suspended_contract_covers_the_days_before(self):
        contract = self._create_contract(start="2024-01-01", date_end="2024-12-31")
        contract.action_suspend("2024-05-01")
        self.assertEqual(contract.state, "suspended")
        self._assert_valid_on(
            contract,
            [
                ("2024-04-30", True),
                ("2024-05-01", False),
                ("2024-12-31", False),
            ],
        )
        self.assertEqual(
            contract._get_validity_end(date(2024, 4, 1)), date(2024, 4, 30)
        )
        # a suspended state without a recorded suspension: its start is unknown
        contract.suspension_ids.unlink()
        self._assert_valid_on(contract, [("2024-04-30", False)])

    def test_states_without_validity(self):
        draft = self._create_contract(start="2024-01-01", start_running=False)
        cancelled = self._create_contract(start="2024-01-01")
        cancelled.action_cancel()
        closed = self._create_contract(start="2024-01-01")
        closed.action_close()
        for contract in draft | cancelled | closed:
            self._assert_valid_on(contract, [("2024-03-01", False)])
        closed.date_end = "2024-04-30"
        self._assert_valid_on(closed, [("2024-04-30", True), ("2024-05-01", False)])

    def test_expired_contract_covers_its_past_days(self):
        contract = self._create_contract(
            start="2020-01-01", term_months=12, renewal_type="none"
        )
        contract.state = contract._get_state_on(date(2021, 1, 1))
        self.assertEqual(contract.state, "expired")
        self._assert_valid_on(
            contract,
            [
                ("2020-06-01", True),
                ("2020-12-31", True),
                ("2021-01-01", False),
            ],
        )
