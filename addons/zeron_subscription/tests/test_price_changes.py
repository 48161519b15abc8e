from datetime import date

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import ZeronSubscriptionCommon


@tagged("post_install", "-at_install")
class TestPriceChanges(ZeronSubscriptionCommon):
    def test_price_revision_keeps_history(self):
        ended = self._create_contract(
            start="2018-01-01", date_end="2018-12-31", lines=[{"price_unit": 100.0}]
        )
        running = self._create_contract(
            start="2019-01-01", lines=[{"price_unit": 110.0}]
        )
        old_line = running.line_ids
        wizard = Form(
            self.env["zeron.price.revision"].with_context(
                active_model="zeron.contract", active_ids=(ended | running).ids
            )
        )
        wizard.date_from = date(2020, 1, 1)
        wizard.percent = 10.0
        wizard.save().action_apply()
        # the contract ended before the revision: its line is untouched
        self.assertRecordValues(
            ended.line_ids, [{"price_unit": 100.0, "date_end": False}]
        )
        self.assertEqual(old_line.date_end, date(2019, 12, 31))
        successor = running.line_ids - old_line
        self.assertRecordValues(
            successor,
            [
                {
                    "price_unit": 121.0,
                    "date_start": date(2020, 1, 1),
                    "date_end": False,
                    "predecessor_id": old_line.id,
                    "recurring_anchor_day": 1,
                }
            ],
        )
        # December 2019 at the old price, January 2020 at the new one
        self._invoice("2019-12-01")
        self._invoice("2020-01-01")
        lines = running.invoice_ids.invoice_line_ids.sorted("zeron_period_start")
        self.assertEqual(
            [(line.zeron_period_start, line.price_unit) for line in lines][-2:],
            [(date(2019, 12, 1), 110.0), (date(2020, 1, 1), 121.0)],
        )

    def test_price_revision_to_a_new_price_and_rounding(self):
        contract = self._create_contract(
            start="2024-01-01", lines=[{"price_unit": 33.33}]
        )
        revision = self.env["zeron.price.revision"].create(
            {
                "contract_ids": contract.ids,
                "date_from": "2024-07-01",
                "percent": 7.5,
                "rounding": 0.5,
            }
        )
        revision.action_apply()
        self.assertEqual(contract.line_ids[-1].price_unit, 36.0)
        revision = self.env["zeron.price.revision"].create(
            {
                "contract_ids": contract.ids,
                "date_from": "2025-01-01",
                "method": "price",
                "price_unit": 40.0,
            }
        )
        revision.action_apply()
        self.assertEqual(contract.line_ids.mapped("price_unit"), [33.33, 36.0, 40.0])
        with self.assertRaisesRegex(UserError, "must fall after the line's Start Date"):
            contract.line_ids[-1]._split_at(date(2024, 12, 1), {"price_unit": 1.0})

    def test_change_inside_an_invoiced_period_carries_it_over(self):
        contract = self._create_contract(
            start="2024-01-01", lines=[{"price_unit": 30.0}]
        )
        self._invoice("2024-01-01")
        old = contract.line_ids
        successor = old._split_at(date(2024, 1, 16), {"quantity": 2.0})
        self.assertEqual(old.date_end, date(2024, 1, 15))
        self.assertEqual(successor.invoiced_up_to, date(2024, 1, 31))
        # the difference for the days carried over is due from the change on
        # (see test_midperiod_changes)
        self.assertEqual(successor.next_period_start, date(2024, 2, 1))
        self.assertEqual(successor.next_invoice_date, date(2024, 1, 16))

    def test_lev_to_euro_changeover(self):
        bgn = self.setup_other_currency("BGN", rates=[("2020-01-01", 1.95583)])
        bgn_pricelist = self.env["product.pricelist"].create(
            {"name": "Lev", "currency_id": bgn.id}
        )
        euro_pricelist = self.env["product.pricelist"].create(
            {"name": "Euro", "currency_id": self.other_currency.id}
        )
        contract = self._create_contract(
            start="2025-11-01",
            pricelist_id=bgn_pricelist.id,
            lines=[{"price_unit": 100.0}, {"price_unit": 19.56}],
        )
        self._invoice("2025-12-01")
        self.assertEqual(contract.invoice_ids.mapped("currency_id"), bgn)
        wizard = self.env["zeron.currency.change"].create(
            {
                "contract_ids": contract.ids,
                "date_from": "2026-01-01",
                "currency_from_id": bgn.id,
                "pricelist_id": euro_pricelist.id,
                "rate": 1.95583,
            }
        )
        wizard.action_apply()
        self.assertEqual(
            [(r.old_price, r.new_price) for r in wizard.result_ids],
            [(100.0, 51.13), (19.56, 10.0)],
        )
        self.assertEqual(contract.currency_id, self.other_currency)
        self.assertEqual(
            contract.line_ids.mapped("price_unit"), [100.0, 19.56, 51.13, 10.0]
        )
        self._invoice("2026-01-01")
        january = contract.invoice_ids.filtered(
            lambda m: m.invoice_date == date(2026, 1, 1)
        )
        self.assertRecordValues(
            january, [{"currency_id": self.other_currency.id, "amount_untaxed": 61.13}]
        )

    def test_changeover_refuses_uninvoiced_periods_and_bad_rate(self):
        bgn = self.setup_other_currency("BGN", rates=[("2020-01-01", 1.95583)])
        contract = self._create_contract(
            start="2025-10-01",
            pricelist_id=self.env["product.pricelist"]
            .create({"name": "Lev", "currency_id": bgn.id})
            .id,
        )
        euro_pricelist = self.env["product.pricelist"].create(
            {"name": "Euro", "currency_id": self.other_currency.id}
        )
        vals = {
            "contract_ids": contract.ids,
            "date_from": "2026-01-01",
            "currency_from_id": bgn.id,
            "pricelist_id": euro_pricelist.id,
            "rate": 0.0,
        }
        with self.assertRaisesRegex(UserError, "Rate must be positive"):
            self.env["zeron.currency.change"].create(vals).action_apply()
        vals["rate"] = 1.95583
        same = dict(vals, pricelist_id=contract.pricelist_id.id)
        with self.assertRaisesRegex(UserError, "the Old Currency itself"):
            self.env["zeron.currency.change"].create(same).action_apply()
        with self.assertRaisesRegex(UserError, "still has periods before"):
            self.env["zeron.currency.change"].create(vals).action_apply()
        self.assertEqual(contract.currency_id, bgn)
