"""Benchmark: zeron_cost_allocation against core landed costs.

Allocates one freight bill over a receipt of N goods lines and times, for each N,
this module's allocation (landed cost creation and split) and validation, side by
side with core's own landed cost on the same receipt (core's compute, then
validate). The receipt of each size is committed; every run has a transaction of
its own, rolled back, and starts on a vacuumed database, so both sides, and every
repeat, see the very same receipt in the very same state, whichever runs first.
The receipts stay in the database: run it on a throwaway one (``tools/bench.sh``
makes one and drops it).

Run against a database where ``zeron_cost_allocation`` is installed::

    /opt/zeron-venv/bin/python tests/benchmarks/bench_cost_allocation.py \\
        --addons-path=/opt/odoo/18.0/addons,addons -d zca_bench \\
        --sizes 100,1000,5000

``--entry-detail product`` books one journal item per goods line, as core does,
instead of one per goods account (the default). It prints one line per size and
the ratios the issue targets: our time at most half of core's at 1,000 lines, and
time per line that does not grow with the size.

Every run starts with an empty ORM cache, as a validation in the web client does
(a run in the set-up transaction found the receipt's records in the cache, and
took about a fifth less time), on a database vacuumed and analysed just before
(see ``_vacuum``): without it, the dead rows earlier runs leave behind make
PostgreSQL plan some queries as if the tables were empty, and a run can take
minutes longer, or not end. The first run of each size is ours (``--core-first``
swaps them); ``--repeat`` keeps each side's best run.
"""

# a command-line benchmark: it reports on standard output
# pylint: disable=print-used

import argparse
import logging
import os
import sys
import time

_logger = logging.getLogger("bench_cost_allocation")


def _parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument(
        "--sizes",
        default=os.environ.get("ZERON_BENCH_SIZES") or "100,1000,5000",
        help="comma-separated numbers of goods lines (default: $ZERON_BENCH_SIZES, "
        "else 100,1000,5000)",
    )
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument(
        "--core-first",
        action="store_true",
        help="run core before this module (to rule out warm-cache effects)",
    )
    parser.add_argument(
        "--entry-detail",
        choices=["account", "product"],
        default="account",
        help="the company's landed cost journal items: one per goods account "
        "(the default) or one per product, as core books them",
    )
    parser.add_argument(
        "--odoo-path",
        default=os.environ.get("ODOO_PATH", "/opt/odoo/18.0"),
        help="Odoo 18.0 source tree, when odoo is not importable as is",
    )
    return parser.parse_args()


def _vacuum(database):
    """VACUUM and ANALYZE the database, outside any transaction.

    Every run is rolled back, so the tables keep the dead rows of earlier
    runs. Once autovacuum has counted them, a table is known to PostgreSQL as
    pages without live rows, and the planner estimates one row in it however
    many this run inserts: it then picks nested loops over whole tables (the
    payment state of a bill reconciled with 1,000 journal items took over 20
    minutes). VACUUM drops those empty pages; the planner then estimates the
    rows of a table from the pages the run fills, as for a live database.
    """
    import psycopg2

    from odoo.sql_db import connection_info_for

    _database, connection_info = connection_info_for(database)
    connection = psycopg2.connect(**connection_info)
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    finally:
        connection.close()


def _timed(env, function):
    start = time.perf_counter()
    function()
    env.flush_all()
    return time.perf_counter() - start


def _setup(env, size):
    """Create ``size`` goods and a done receipt of one line per good.

    :return: tuple (the receipt, the freight product)
    """
    from odoo import Command

    company = env.company
    company.anglo_saxon_accounting = True
    account_model = env["account.account"]

    def _account(code, name, account_type="asset_current"):
        return account_model.create(
            {
                "code": code,
                "name": name,
                "account_type": account_type,
                "reconcile": True,
            }
        )

    # unique per run: the receipts of earlier runs stay in the database
    suffix = "%sT%x" % (size, time.time_ns() // 1000000)
    categ = env["product.category"].create(
        {
            "name": "Bench FIFO %s" % suffix,
            "property_cost_method": "fifo",
            "property_valuation": "real_time",
            "property_stock_valuation_account_id": _account(
                "BVAL" + suffix, "Bench valuation"
            ).id,
            "property_stock_account_input_categ_id": _account(
                "BIN" + suffix, "Bench input"
            ).id,
            "property_stock_account_output_categ_id": _account(
                "BOUT" + suffix, "Bench output"
            ).id,
        }
    )
    products = env["product.product"].create(
        [
            {
                "name": "Bench good %s-%s" % (suffix, index),
                "is_storable": True,
                "categ_id": categ.id,
                "weight": 1.0 + index % 7,
            }
            for index in range(size)
        ]
    )
    freight = env["product.product"].create(
        {
            "name": "Bench freight %s" % suffix,
            "type": "service",
            "landed_cost_ok": True,
            "split_method_landed_cost": "by_quantity",
            "categ_id": categ.id,
        }
    )
    warehouse = env["stock.warehouse"].search(
        [("company_id", "=", company.id)], limit=1
    )
    supplier_location = env.ref("stock.stock_location_suppliers")
    receipt = env["stock.picking"].create(
        {
            "picking_type_id": warehouse.in_type_id.id,
            "location_id": supplier_location.id,
            "location_dest_id": warehouse.lot_stock_id.id,
            "move_ids": [
                Command.create(
                    {
                        "name": product.name,
                        "product_id": product.id,
                        "product_uom_qty": 1 + index % 13,
                        "product_uom": product.uom_id.id,
                        "price_unit": 3.0 + index % 11,
                        "location_id": supplier_location.id,
                        "location_dest_id": warehouse.lot_stock_id.id,
                    }
                )
                for index, product in enumerate(products)
            ],
        }
    )
    receipt.action_confirm()
    for move in receipt.move_ids:
        move.quantity = move.product_uom_qty
    receipt.move_ids.picked = True
    receipt._action_done()
    env.flush_all()
    return receipt, freight


def _run_ours(env, receipt, freight):
    from odoo import Command

    env.company.zeron_landed_cost_auto_validate = False
    bill = env["account.move"].create(
        {
            "move_type": "in_invoice",
            "partner_id": env.company.partner_id.id,
            "invoice_date": "2024-03-01",
            "invoice_line_ids": [
                Command.create(
                    {
                        "product_id": freight.id,
                        "quantity": 1,
                        "price_unit": 12345.67,
                        "tax_ids": [Command.clear()],
                        "is_landed_costs_line": True,
                        "zeron_target_picking_ids": [Command.set(receipt.ids)],
                    }
                )
            ],
        }
    )
    env.flush_all()
    # Posting creates and splits the landed cost: that is the allocation.
    allocate = _timed(env, bill.action_post)
    landed_cost = env["stock.landed.cost"].search([("vendor_bill_id", "=", bill.id)])
    validate = _timed(env, landed_cost.button_validate)
    assert landed_cost.state == "done"
    total = sum(landed_cost.valuation_adjustment_lines.mapped("additional_landed_cost"))
    assert abs(total - 12345.67) < 0.005, total
    return allocate, validate


def _run_core(env, receipt, freight):
    from odoo import Command

    from odoo.addons.stock_landed_costs.models.stock_landed_cost import (
        StockLandedCost as CoreStockLandedCost,
    )

    accounts = freight.product_tmpl_id.get_product_accounts()
    landed_cost = env["stock.landed.cost"].create(
        {
            "picking_ids": [Command.set(receipt.ids)],
            "cost_lines": [
                Command.create(
                    {
                        "name": freight.name,
                        "product_id": freight.id,
                        "price_unit": 12345.67,
                        "split_method": "by_quantity",
                        "account_id": accounts["stock_input"].id,
                    }
                )
            ],
        }
    )
    env.flush_all()
    # Core's own split, bypassing this module's override of compute_landed_cost.
    compute = _timed(env, lambda: CoreStockLandedCost.compute_landed_cost(landed_cost))
    validate = _timed(env, landed_cost.button_validate)
    assert landed_cost.state == "done"
    return compute, validate


def _run_size(registry, size, args):
    """Set up and commit a receipt of ``size`` goods lines, then time both sides
    on it, each run in a transaction of its own that is rolled back, on a
    database vacuumed just before.

    :return: tuple (setup time, {"ours"|"core": (allocate or compute time,
        validate time)}, the best run of each side)
    """
    from odoo import SUPERUSER_ID, api

    context = {"tracking_disable": True}
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, context)
        start = time.perf_counter()
        receipt, freight = _setup(env, size)
        setup_time = time.perf_counter() - start
        receipt_id, freight_id = receipt.id, freight.id
        # the cursor commits as it closes
    best = {}
    runners = [("ours", _run_ours), ("core", _run_core)]
    if args.core_first:
        runners.reverse()
    for _run in range(args.repeat):
        for name, runner in runners:
            _vacuum(args.database)
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, context)
                env.company.zeron_landed_cost_entry_detail = args.entry_detail
                timings = runner(
                    env,
                    env["stock.picking"].browse(receipt_id),
                    env["product.product"].browse(freight_id),
                )
                env.flush_all()
                cr.rollback()
            previous = best.get(name)
            if previous is None or sum(timings) < sum(previous):
                best[name] = timings
    return setup_time, best


def main():
    args = _parse_args()
    sys.path.insert(0, args.odoo_path)
    import odoo  # pylint: disable=import-outside-toplevel

    odoo.tools.config.parse_config(
        ["--addons-path", args.addons_path, "-d", args.database, "--log-level=warn"]
    )
    registry = odoo.modules.registry.Registry(args.database)
    sizes = [int(size) for size in args.sizes.split(",")]
    results = {}
    for size in sizes:
        setup_time, best = _run_size(registry, size, args)
        results[size] = best
        print(
            "lines=%5d setup=%6.1fs | ours: allocate=%6.2fs validate=%6.2fs "
            "total=%6.2fs | core: compute=%6.2fs validate=%6.2fs total=%6.2fs "
            "| ours/core=%.2f"
            % (
                size,
                setup_time,
                best["ours"][0],
                best["ours"][1],
                sum(best["ours"]),
                best["core"][0],
                best["core"][1],
                sum(best["core"]),
                sum(best["ours"]) / sum(best["core"]),
            ),
            flush=True,
        )
    smallest, largest = min(results), max(results)
    if smallest != largest:
        per_line_small = sum(results[smallest]["ours"]) / smallest
        per_line_large = sum(results[largest]["ours"]) / largest
        print(
            "ours: time per line at %d lines is %.2fx the time per line at %d lines"
            % (largest, per_line_large / per_line_small, smallest)
        )


if __name__ == "__main__":
    main()
