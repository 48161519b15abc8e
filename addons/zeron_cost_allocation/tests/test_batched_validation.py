from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import ZeronCostAllocationCommon


@tagged("post_install", "-at_install")
class TestBatchedValidation(ZeronCostAllocationCommon):
    """The landed costs of bills are validated in batch: the values of core's
    validation, with one credit line per cost line.

    Freight 100.03 by quantity over 10 FIFO units and 10 average-cost units,
    all at 20.00, of which 4 average-cost units were delivered before the bill:
    shares 50.02 and 50.01; the average-cost goods keep 6/10 of theirs (30.006,
    booked 30.01), and 20.00 goes on to the cost of goods sold.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.categ_avco = cls.env["product.category"].create(
            {
                "name": "Zeron Average",
                "property_cost_method": "average",
                "property_valuation": "real_time",
                "property_stock_valuation_account_id": cls.account_stock_valuation.id,
                "property_stock_account_input_categ_id": cls.account_stock_in.id,
                "property_stock_account_output_categ_id": cls.account_stock_out.id,
            }
        )
        cls.goods_avco = cls._create_goods("Zeron Bench", categ=cls.categ_avco)
        cls.insurance = cls._create_freight("Zeron Insurance", "equal")

    def _receive_and_deliver(self, fifo, avco, lines=()):
        order = self._create_po([(fifo, 10, 20.0), (avco, 10, 20.0), *lines])
        receipt = self._receive(order)
        self._deliver(avco, 4)
        return order, receipt

    def _delivered_share_items(self, product, amount):
        """Return the journal items, as core books them, that move ``amount``
        of ``product``'s share on from stock to the cost of goods sold."""
        return [
            {
                "account_id": account.id,
                "product_id": product.id,
                "debit": amount if is_debit else 0.0,
                "credit": 0.0 if is_debit else amount,
            }
            for account, is_debit in (
                (self.account_stock_out, True),
                (self.account_stock_valuation, False),
                (self.account_cogs, True),
                (self.account_stock_out, False),
            )
        ]

    def _balances(self, entry):
        balances = {}
        for line in entry.line_ids:
            balances[line.account_id] = round(
                balances.get(line.account_id, 0.0) + line.balance, 2
            )
        return balances

    def test_fifo_and_average_goods_partly_delivered(self):
        order, _receipt = self._receive_and_deliver(
            self.goods_a, self.goods_avco, [(self.freight, 1, 100.03)]
        )
        bill = self._bill_po(order)
        landed_cost = self._landed_costs_of(bill)
        self.assertRecordValues(landed_cost, [{"state": "done"}])
        self.assertEqual(self._shares(landed_cost), [50.02, 50.01])
        self.assertRecordValues(
            landed_cost.stock_valuation_layer_ids.sorted("id"),
            [
                {"product_id": self.goods_a.id, "value": 50.02, "quantity": 0.0},
                {"product_id": self.goods_avco.id, "value": 30.01, "quantity": 0.0},
            ],
        )
        self.assertRecordValues(
            self._entry_lines(landed_cost),
            [
                {
                    "account_id": self.account_stock_valuation.id,
                    "product_id": self.goods_a.id,
                    "debit": 50.02,
                    "credit": 0.0,
                },
                {
                    "account_id": self.account_stock_valuation.id,
                    "product_id": self.goods_avco.id,
                    "debit": 50.01,
                    "credit": 0.0,
                },
                *self._delivered_share_items(self.goods_avco, 20.0),
                {
                    "account_id": self.account_stock_in.id,
                    "product_id": self.freight.id,
                    "debit": 0.0,
                    "credit": 100.03,
                },
            ],
        )
        # The goods in stock and their cost take the share still in stock.
        self.assertEqual(self.goods_a.value_svl, 250.02)
        self.assertEqual(self.goods_avco.value_svl, 150.01)
        self.assertEqual(self.goods_a.standard_price, 25.0)
        self.assertEqual(self.goods_avco.standard_price, 25.0)
        # The bill's freight line is reconciled with the one credit line.
        service_line = self._service_line(bill)
        self.assertTrue(service_line.reconciled)
        self.assertEqual(
            service_line.matched_credit_ids.credit_move_id,
            self._entry_lines(landed_cost)[-1],
        )

    def test_same_values_as_core_validation(self):
        """The same receipt and freight, once allocated from a bill (batched),
        once by a landed cost entered by hand (core's validation), on goods set
        up alike: the same layers, costs and account balances."""
        order, _receipt = self._receive_and_deliver(
            self.goods_a, self.goods_avco, [(self.freight, 1, 100.03)]
        )
        batched = self._landed_costs_of(self._bill_po(order))
        fifo_2 = self._create_goods("Zeron Chair 2")
        avco_2 = self._create_goods("Zeron Bench 2", categ=self.categ_avco)
        _order_2, receipt_2 = self._receive_and_deliver(fifo_2, avco_2)
        by_core = self.env["stock.landed.cost"].create(
            {
                "picking_ids": [Command.set(receipt_2.ids)],
                "cost_lines": [
                    Command.create(
                        {
                            "name": "Zeron Freight",
                            "product_id": self.freight.id,
                            "price_unit": 100.03,
                            "split_method": "by_quantity",
                            "account_id": self.account_stock_in.id,
                        }
                    )
                ],
            }
        )
        self.assertFalse(by_core._zeron_can_validate_in_batch())
        by_core.button_validate()
        # Core books one credit line per goods line.
        self.assertEqual(len(by_core.account_move_id.line_ids), 8)
        self.assertEqual(len(batched.account_move_id.line_ids), 7)
        self.assertEqual(
            self._balances(batched.account_move_id),
            self._balances(by_core.account_move_id),
        )
        self.assertEqual(
            self._balances(batched.account_move_id),
            {
                self.account_stock_valuation: 80.03,
                self.account_stock_out: 0.0,
                self.account_cogs: 20.0,
                self.account_stock_in: -100.03,
            },
        )
        self.assertEqual(
            batched.stock_valuation_layer_ids.sorted("id").mapped("value"),
            by_core.stock_valuation_layer_ids.sorted("id").mapped("value"),
        )
        # The journal items the batched validation gives precomputed values
        # match those Odoo computes for core's.
        fnames = [
            "display_type",
            "sequence",
            "currency_id",
            "amount_currency",
            "balance",
            "product_uom_id",
            "quantity",
            "price_unit",
            "price_subtotal",
            "price_total",
            "tax_ids",
            "partner_id",
            "analytic_distribution",
            "journal_id",
            "company_id",
        ]
        batched_lines = self._entry_lines(batched)
        core_lines = self._entry_lines(by_core)
        self.assertEqual(
            batched_lines[0].read(fnames)[0] | {"id": 0},
            core_lines[0].read(fnames)[0] | {"id": 0},
        )
        # The one credit sums core's credits of the goods lines.
        self.assertEqual(
            batched_lines[-1].read(fnames)[0] | {"id": 0},
            core_lines[1].read(fnames)[0]
            | {
                "id": 0,
                "balance": -100.03,
                "amount_currency": -100.03,
                "price_subtotal": -100.03,
                "price_total": -100.03,
            },
        )
        self.assertEqual(
            (self.goods_a | self.goods_avco).mapped("standard_price"),
            (fifo_2 | avco_2).mapped("standard_price"),
        )
        self.assertEqual(
            (self.goods_a | self.goods_avco).mapped("value_svl"),
            (fifo_2 | avco_2).mapped("value_svl"),
        )
        self.assertEqual(
            batched.stock_valuation_layer_ids.stock_valuation_layer_id.mapped(
                "remaining_value"
            ),
            by_core.stock_valuation_layer_ids.stock_valuation_layer_id.mapped(
                "remaining_value"
            ),
        )

    def test_two_services_one_credit_each(self):
        """Freight by quantity and insurance split equally, on one bill: each
        cost line has its goods' debits, then its own credit."""
        order, receipt = self._receive_and_deliver(self.goods_a, self.goods_avco)
        self._deliver(self.goods_avco, 6)
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": self.carrier.id,
                "invoice_date": "2024-03-01",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "quantity": 1.0,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                            "is_landed_costs_line": True,
                            "zeron_target_picking_ids": [Command.set(receipt.ids)],
                        }
                    )
                    for product, amount in ((self.freight, 40.0), (self.insurance, 9.0))
                ],
            }
        )
        bill.action_post()
        landed_cost = self._landed_costs_of(bill)
        # All average-cost goods are out: their shares go on to the cost of
        # goods sold, none to a layer.
        self.assertRecordValues(
            landed_cost.stock_valuation_layer_ids.sorted("id"),
            [
                {"product_id": self.goods_a.id, "value": 20.0},
                {"product_id": self.goods_a.id, "value": 4.5},
            ],
        )
        lines = self._entry_lines(landed_cost)
        self.assertEqual(
            [(line.account_id, line.product_id, line.balance) for line in lines],
            [
                (self.account_stock_valuation, self.goods_a, 20.0),
                (self.account_stock_valuation, self.goods_avco, 20.0),
                (self.account_stock_out, self.goods_avco, 20.0),
                (self.account_stock_valuation, self.goods_avco, -20.0),
                (self.account_cogs, self.goods_avco, 20.0),
                (self.account_stock_out, self.goods_avco, -20.0),
                (self.account_stock_in, self.freight, -40.0),
                (self.account_stock_valuation, self.goods_a, 4.5),
                (self.account_stock_valuation, self.goods_avco, 4.5),
                (self.account_stock_out, self.goods_avco, 4.5),
                (self.account_stock_valuation, self.goods_avco, -4.5),
                (self.account_cogs, self.goods_avco, 4.5),
                (self.account_stock_out, self.goods_avco, -4.5),
                (self.account_stock_in, self.insurance, -9.0),
            ],
        )
        # The two bill lines and the two credits meet on the input account.
        stock_in_lines = bill.invoice_line_ids | lines.filtered(
            lambda line: line.account_id == self.account_stock_in
        )
        self.assertEqual(len(stock_in_lines), 4)
        self.assertTrue(all(stock_in_lines.mapped("reconciled")))
        self.assertEqual(self.goods_a.standard_price, 22.45)

    def test_inventory_manager_validates_draft_landed_cost(self):
        """Review setting: an inventory manager who also enters bills, no
        accountant, validates the draft landed cost of a bill."""
        user = new_test_user(
            self.env,
            login="zeron_stock_manager",
            groups="stock.group_stock_manager,account.group_account_invoice",
            company_id=self.company.id,
        )
        self.company.zeron_landed_cost_auto_validate = False
        order = self._create_po([(self.goods_a, 10, 20.0), (self.freight, 1, 30.0)])
        self._receive(order)
        bill = self._bill_po(order)
        landed_cost = self._landed_costs_of(bill)
        landed_cost.with_user(user).button_validate()
        self.assertRecordValues(landed_cost, [{"state": "done"}])
        self.assertRecordValues(
            self._entry_lines(landed_cost),
            [
                {"account_id": self.account_stock_valuation.id, "balance": 30.0},
                {"account_id": self.account_stock_in.id, "balance": -30.0},
            ],
        )
        self.assertTrue(self._service_line(bill).reconciled)
        self.assertEqual(self.goods_a.standard_price, 23.0)

    def test_items_per_account_partly_delivered(self):
        """With journal items per account (the default), the debits of the
        goods' shares are summed per goods account; the items moving the share
        of goods already delivered stay per product, and the layers keep each
        product's share."""
        self.company.zeron_landed_cost_entry_detail = "account"
        order, _receipt = self._receive_and_deliver(
            self.goods_a, self.goods_avco, [(self.freight, 1, 100.03)]
        )
        landed_cost = self._landed_costs_of(self._bill_po(order))
        self.assertEqual(self._shares(landed_cost), [50.02, 50.01])
        self.assertRecordValues(
            landed_cost.stock_valuation_layer_ids.sorted("id"),
            [
                {"product_id": self.goods_a.id, "value": 50.02},
                {"product_id": self.goods_avco.id, "value": 30.01},
            ],
        )
        self.assertRecordValues(
            self._entry_lines(landed_cost),
            [
                {
                    "account_id": self.account_stock_valuation.id,
                    "product_id": self.freight.id,
                    "debit": 100.03,
                    "credit": 0.0,
                },
                *self._delivered_share_items(self.goods_avco, 20.0),
                {
                    "account_id": self.account_stock_in.id,
                    "product_id": self.freight.id,
                    "debit": 0.0,
                    "credit": 100.03,
                },
            ],
        )
        self.assertEqual(
            self._balances(landed_cost.account_move_id),
            {
                self.account_stock_valuation: 80.03,
                self.account_stock_out: 0.0,
                self.account_cogs: 20.0,
                self.account_stock_in: -100.03,
            },
        )
        self.assertEqual(self.goods_a.standard_price, 25.0)
        self.assertEqual(self.goods_avco.standard_price, 25.0)
        self.assertTrue(self._service_line(landed_cost.vendor_bill_id).reconciled)

    def test_items_per_account_keep_product_distribution(self):
        """A distribution model of one product still applies to its share:
        the goods' debits are summed per analytic distribution too."""
        self.company.zeron_landed_cost_entry_detail = "account"
        _plan, store = self._create_store_model(product_id=self.goods_a.id)
        order = self._create_po(
            [
                (self.goods_a, 10, 20.0),
                (self.goods_b, 10, 20.0),
                (self.goods_avco, 20, 20.0),
                (self.freight, 1, 40.0),
            ]
        )
        self._receive(order)
        landed_cost = self._landed_costs_of(self._bill_po(order))
        self.assertEqual(self._shares(landed_cost), [10.0, 10.0, 20.0])
        self.assertRecordValues(
            self._entry_lines(landed_cost),
            [
                {
                    "account_id": self.account_stock_valuation.id,
                    "balance": 10.0,
                    "analytic_distribution": {str(store.id): 100.0},
                },
                {
                    "account_id": self.account_stock_valuation.id,
                    "balance": 30.0,
                    "analytic_distribution": False,
                },
                {
                    "account_id": self.account_stock_in.id,
                    "balance": -40.0,
                    "analytic_distribution": False,
                },
            ],
        )

    def test_items_per_account_reversed_on_reset(self):
        """Resetting the bill reverses the summed items exactly."""
        self.company.zeron_landed_cost_entry_detail = "account"
        order = self._create_po(
            [
                (self.goods_a, 10, 20.0),
                (self.goods_b, 30, 20.0),
                (self.freight, 1, 100.0),
            ]
        )
        self._receive(order)
        bill = self._bill_po(order)
        landed_cost = self._landed_costs_of(bill)
        bill.button_draft()
        reversal = landed_cost.zeron_reversal_cost_id
        self.assertEqual(self._shares(reversal), [-25.0, -75.0])
        self.assertRecordValues(
            self._entry_lines(landed_cost) + self._entry_lines(reversal),
            [
                {"account_id": self.account_stock_valuation.id, "balance": 100.0},
                {"account_id": self.account_stock_in.id, "balance": -100.0},
                {"account_id": self.account_stock_valuation.id, "balance": -100.0},
                {"account_id": self.account_stock_in.id, "balance": 100.0},
            ],
        )
        self.assertEqual(self.goods_a.value_svl, 200.0)
        self.assertEqual(self.goods_b.value_svl, 600.0)
        self.assertTrue(
            all(
                (landed_cost.account_move_id | reversal.account_move_id)
                .line_ids.filtered(
                    lambda line: line.account_id == self.account_stock_in
                )
                .mapped("reconciled")
            )
        )

    def _create_store_model(self, **criteria):
        """Create an analytic distribution model giving the items that match
        ``criteria`` (by default, those of the stock valuation account) to a
        store; return the store's analytic plan and account."""
        plan = self.env["account.analytic.plan"].create({"name": "Zeron Stores"})
        store = self.env["account.analytic.account"].create(
            {"name": "Zeron Store", "plan_id": plan.id}
        )
        self.env["account.analytic.distribution.model"].create(
            {
                **(criteria or {"account_prefix": self.account_stock_valuation.code}),
                "analytic_distribution": {str(store.id): 100.0},
            }
        )
        return plan, store

    def _assert_freight_entry(
        self, landed_cost, debit_distribution, credit_distribution
    ):
        """Assert the entry of a freight of 30.00 over one goods line, with the
        analytic distribution of its debit and of its credit."""
        self.assertRecordValues(
            self._entry_lines(landed_cost),
            [
                {
                    "account_id": self.account_stock_valuation.id,
                    "balance": 30.0,
                    "analytic_distribution": debit_distribution,
                },
                {
                    "account_id": self.account_stock_in.id,
                    "balance": -30.0,
                    "analytic_distribution": credit_distribution,
                },
            ],
        )

    def test_distribution_models_still_apply(self):
        """Analytic distribution models are applied as in core's validation."""
        _plan, store = self._create_store_model()
        order = self._create_po([(self.goods_a, 10, 20.0), (self.freight, 1, 30.0)])
        self._receive(order)
        landed_cost = self._landed_costs_of(self._bill_po(order))
        self._assert_freight_entry(landed_cost, {str(store.id): 100.0}, False)

    def test_distribution_models_apply_to_hand_made_costs(self):
        """A landed cost entered by hand (core's validation) gets the analytic
        distribution models too, with or without project_stock_landed_costs."""
        _plan, store = self._create_store_model()
        order = self._create_po([(self.goods_a, 10, 20.0)])
        self._receive(order)
        by_hand = self.env["stock.landed.cost"].create(
            {
                "picking_ids": [Command.set(order.picking_ids.ids)],
                "cost_lines": [
                    Command.create(
                        {
                            "name": "Zeron Freight",
                            "product_id": self.freight.id,
                            "price_unit": 30.0,
                            "split_method": "by_quantity",
                            "account_id": self.account_stock_in.id,
                        }
                    )
                ],
            }
        )
        self.assertFalse(by_hand._zeron_can_validate_in_batch())
        by_hand.button_validate()
        self._assert_freight_entry(by_hand, {str(store.id): 100.0}, False)

    def test_project_distribution_kept(self):
        """With project_stock_landed_costs installed, the distribution of the
        receipt's project goes to the journal items, as in core's validation,
        over a distribution model."""
        bridge = self.env["ir.module.module"]._get("project_stock_landed_costs")
        if bridge.state != "installed":
            self.skipTest("project_stock_landed_costs is not installed")
        plan, _store = self._create_store_model()
        site = self.env["account.analytic.account"].create(
            {"name": "Zeron Site", "plan_id": plan.id}
        )
        project = self.env["project.project"].create(
            {"name": "Zeron Fit-out", "account_id": site.id}
        )
        order = self._create_po([(self.goods_a, 10, 20.0), (self.freight, 1, 30.0)])
        receipt = order.picking_ids
        receipt.project_id = project
        self._receive(order)
        landed_cost = self._landed_costs_of(self._bill_po(order))
        site_distribution = {str(site.id): 100}
        self._assert_freight_entry(landed_cost, site_distribution, site_distribution)

    def test_lot_valuated_goods_left_to_core(self):
        """Goods valued by lot are validated by core, one credit line per goods
        line."""
        goods_lot = self._create_goods("Zeron Wine", tracking="lot", lot_valuated=True)
        order = self._create_po(
            [(goods_lot, 10, 20.0), (self.goods_a, 10, 20.0)],
        )
        receipt = order.picking_ids
        for move in receipt.move_ids:
            move.quantity = move.product_uom_qty
        receipt.move_ids.move_line_ids.filtered(
            lambda line: line.product_id == goods_lot
        ).lot_name = "ZW-2024"
        receipt.move_ids.picked = True
        receipt._action_done()
        self.company.zeron_landed_cost_auto_validate = False
        bill = self._create_service_bill(60.0, pickings=receipt)
        landed_cost = self._landed_costs_of(bill)
        self.assertFalse(landed_cost._zeron_can_validate_in_batch())
        landed_cost.button_validate()
        self.assertRecordValues(
            self._entry_lines(landed_cost),
            [
                {"account_id": self.account_stock_valuation.id, "balance": 30.0},
                {"account_id": self.account_stock_in.id, "balance": -30.0},
                {"account_id": self.account_stock_valuation.id, "balance": 30.0},
                {"account_id": self.account_stock_in.id, "balance": -30.0},
            ],
        )
        self.assertRecordValues(
            landed_cost.stock_valuation_layer_ids.sorted("id"),
            [
                {
                    "product_id": goods_lot.id,
                    "value": 30.0,
                    "lot_id": receipt.move_ids.lot_ids.id,
                },
                {"product_id": self.goods_a.id, "value": 30.0, "lot_id": False},
            ],
        )
        self.assertTrue(self._service_line(bill).reconciled)
