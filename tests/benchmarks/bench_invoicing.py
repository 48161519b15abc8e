"""Benchmark: zeron_subscription's invoicing run against OCA contract 18.0.

For each size N (default: 1,000 and 5,174, every active telco customer), the first N
active customers of the telco data set become N identical contracts in two
databases: one with zeron_subscription ("ours"), one with OCA's ``contract`` 18.0
("peer"). Each contract has one monthly line, billed in advance, at the customer's
monthly charge, without taxes, due on the reference date. Then each side's
invoicing run turns them into posted invoices, and this script measures that run:

- ours: what the scheduled action runs (``zeron.contract._cron_create_invoices``),
  with the reference date given instead of today: ``_invoice_due_contracts(date,
  company_ids=<all companies>, auto_commit=True)``, which creates and posts the
  invoices and commits every batch of 200 contracts;
- peer: its scheduled action's method, ``contract.contract
  .cron_recurring_create_invoice(date_ref=date)``, which leaves draft invoices,
  then ``action_post()`` on those drafts, each step committed.

Every measurement runs in a fresh process on a fresh copy of the loaded database,
so one run cannot warm the caches of the next, and only one runs at a time:

- seconds: wall-clock time of the run, commits included, as one superuser
  environment (as the scheduler's);
- queries: every SQL statement the process sends during the run (Odoo's own
  statement counter, ``odoo.sql_db.sql_counter``), per posted invoice;
- peak MB: the process's peak resident memory during the run (the kernel's
  high-water mark, reset just before the run; the registry is loaded by then).

Run by ``make bench`` (tools/bench.sh), which installs the peer and creates the two
databases; by hand, with databases of your own::

    ZERON_BENCH_OURS_DB=ours ZERON_BENCH_PEER_DB=peer \\
    ZERON_BENCH_ADDONS_PATH=/opt/odoo/18.0/addons,addons,<peer's addons> \\
        /opt/zeron-venv/bin/python tests/benchmarks/bench_invoicing.py --sizes 200

The databases are only templates: each run works on a copy named after
ZERON_BENCH_DB_PREFIX (default ``zeron_bench``) and drops it afterwards.
"""

# a command-line tool: it reports on standard output
# pylint: disable=print-used
# a standalone script that owns its transactions: it commits what it loads, and
# the runs commit as the scheduled actions do
# pylint: disable=invalid-commit

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import resource
import subprocess
import sys
import threading
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

from dateutil.relativedelta import relativedelta

TESTS_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = TESTS_DIR.parent
SIDES = ("ours", "peer")
# a month start: both sides bill the whole month, 1 to 31 March
DEFAULT_DATE = "2026-03-01"
LOAD_CHUNK = 500
TARGET_SPEED_RATIO = 5.0
TARGET_QUERIES = 20.0
# "flat": the peak at the largest size at most this much above the smallest's
FLAT_TOLERANCE = 0.10


def _env(name, default=None):
    return os.environ.get(name) or default


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument(
        "--sizes",
        default=_env("ZERON_BENCH_SIZES", "1000,5174"),
        help="contract counts, comma-separated (default 1000,5174; more than "
        "5174 repeats customers under new codes)",
    )
    parser.add_argument("--date", default=DEFAULT_DATE, help="reference date")
    parser.add_argument("--repeat", type=int, default=1, help="best of R runs")
    parser.add_argument(
        "-d",
        "--database",
        help="given by bench.sh to every benchmark; unused here: this one works "
        "on copies of --ours-db and --peer-db",
    )
    parser.add_argument("--ours-db", default=_env("ZERON_BENCH_OURS_DB"))
    parser.add_argument("--peer-db", default=_env("ZERON_BENCH_PEER_DB"))
    parser.add_argument(
        "--sides", default="ours,peer", help="which sides to run (default both)"
    )
    parser.add_argument(
        "--ours-workers",
        type=int,
        default=int(_env("ZERON_BENCH_OURS_WORKERS", "1")),
        help="processes running our scheduled run at once on the same database, "
        "as two cron workers would (default 1)",
    )
    parser.add_argument(
        "--addons-path",
        default=_env(
            "ZERON_BENCH_ADDONS_PATH",
            f"/opt/odoo/18.0/addons,{REPO_DIR / 'addons'}",
        ),
    )
    parser.add_argument(
        "--odoo-path", default=_env("ODOO_PATH", _env("ODOO_SRC", "/opt/odoo/18.0"))
    )
    parser.add_argument(
        "--csv",
        default=_env(
            "ZERON_DATA_CSV",
            str(REPO_DIR.parent / "shared" / "data" / "telco-customer-churn.csv"),
        ),
    )
    parser.add_argument(
        "--db-prefix", default=_env("ZERON_BENCH_DB_PREFIX", "zeron_bench")
    )
    parser.add_argument(
        "--log-dir",
        default=_env("ZERON_BENCH_LOG_DIR", str(REPO_DIR / "build" / "bench-logs")),
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="profile the runs with cProfile and list their queries (slower: "
        "the times of such runs are not comparable)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the loaded copies of the databases"
    )
    parser.add_argument(
        "--markdown", help="also write the table as Markdown to this file"
    )
    # internal: the steps run in child processes
    parser.add_argument("--child", choices=("load", "run"), help=argparse.SUPPRESS)
    parser.add_argument("--side", choices=SIDES, help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--profile-to", help=argparse.SUPPRESS)
    parser.add_argument("--go-file", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


# --------------------------------------------------------------------------
# The telco customers
# --------------------------------------------------------------------------


def active_customers(csv_path, size):
    """Return the first ``size`` customers who did not leave, in file order.

    Past the 5,174 of the file, the list starts over with codes suffixed ``-2``,
    ``-3``... so a benchmark can go bigger than the data set.
    """
    sys.path.insert(0, str(TESTS_DIR))
    import load_telco  # pylint: disable=import-outside-toplevel

    report = load_telco.LoadReport()
    active = [c for c in load_telco.read_customers(csv_path, report) if not c.churned]
    customers = []
    round_ = 1
    while len(customers) < size:
        for customer in active[: size - len(customers)]:
            if round_ > 1:
                customer = load_telco.Customer(
                    **{**customer.__dict__, "code": f"{customer.code}-{round_}"}
                )
            customers.append(customer)
        round_ += 1
    return customers, load_telco


# --------------------------------------------------------------------------
# Child processes: Odoo in-process
# --------------------------------------------------------------------------


def open_registry(args):
    sys.path.insert(0, args.odoo_path)
    import odoo  # pylint: disable=import-outside-toplevel

    odoo.tools.config.parse_config(
        [
            f"--addons-path={args.addons_path}",
            f"--database={args.db}",
            "--log-level=warn",
            "--max-cron-threads=0",
        ]
    )
    return odoo, odoo.modules.registry.Registry(args.db)


def load_ours(env, customers, load_telco, ref_date):
    product = env["product.product"].create(
        {
            "name": "Telecom bundle",
            "default_code": load_telco.BUNDLE_CODE,
            "type": "service",
            "list_price": 0.0,
            "taxes_id": [(6, 0, [])],
            "zeron_is_subscription": True,
            "zeron_recurring_interval": 1,
            "zeron_recurring_rule_type": "month",
            "zeron_recurring_invoicing_type": "advance",
        }
    )
    country_id = env.ref("base.us").id
    for start in range(0, len(customers), LOAD_CHUNK):
        chunk = customers[start : start + LOAD_CHUNK]
        partners = env["res.partner"].create(
            [load_telco.contact_values(c, country_id) for c in chunk]
        )
        contracts = env["zeron.contract"].create(
            [
                load_telco.contract_values(c, p.id, product.id, ref_date)
                for c, p in zip(chunk, partners, strict=True)
            ]
        )
        contracts.action_start()
        env.cr.commit()
        env.invalidate_all()


def peer_contract_values(customer, partner_id, product, ref_date):
    """Return the OCA contract billing what ours bills for this customer.

    Same start (``tenure`` months before the reference date), one monthly line
    at the monthly charge billed in advance, invoiced up to the day before the
    reference date, so its next invoice is due on it and covers one month.
    """
    start = ref_date - relativedelta(months=customer.tenure)
    line = {
        "product_id": product.id,
        "name": customer.services,
        "quantity": 1.0,
        "uom_id": product.uom_id.id,
        "price_unit": customer.monthly,
        "date_start": start,
        "recurring_rule_type": "monthly",
        "recurring_interval": 1,
        "recurring_invoicing_type": "pre-paid",
        "recurring_next_date": ref_date,
    }
    if customer.tenure:
        line["last_date_invoiced"] = ref_date - timedelta(days=1)
    return {
        "name": customer.code,
        "partner_id": partner_id,
        "contract_type": "sale",
        "date_start": start,
        "recurring_rule_type": "monthly",
        "recurring_interval": 1,
        "recurring_invoicing_type": "pre-paid",
        "contract_line_ids": [(0, 0, line)],
    }


def load_peer(env, customers, load_telco, ref_date):
    product = env["product.product"].create(
        {
            "name": "Telecom bundle",
            "default_code": load_telco.BUNDLE_CODE,
            "type": "service",
            "list_price": 0.0,
            "taxes_id": [(6, 0, [])],
        }
    )
    country_id = env.ref("base.us").id
    for start in range(0, len(customers), LOAD_CHUNK):
        chunk = customers[start : start + LOAD_CHUNK]
        partners = env["res.partner"].create(
            [load_telco.contact_values(c, country_id) for c in chunk]
        )
        env["contract.contract"].create(
            [
                peer_contract_values(c, p.id, product, ref_date)
                for c, p in zip(chunk, partners, strict=True)
            ]
        )
        env.cr.commit()
        env.invalidate_all()


def child_load(args):
    """Load ``args.size`` contracts into ``args.db``; print what was loaded."""
    odoo, registry = open_registry(args)
    ref_date = date.fromisoformat(args.date)
    customers, load_telco = active_customers(args.csv, args.size)
    started = time.perf_counter()
    with registry.cursor() as cr:
        env = odoo.api.Environment(
            cr,
            odoo.SUPERUSER_ID,
            # loading is not measured: no chatter, no followers, on both sides
            {
                "tracking_disable": True,
                "mail_create_nolog": True,
                "mail_create_nosubscribe": True,
            },
        )
        loader = load_ours if args.side == "ours" else load_peer
        loader(env, customers, load_telco, ref_date)
        cr.commit()
    cents = sum(round(c.monthly * 100) for c in customers)
    print(
        json.dumps(
            {
                "contracts": len(customers),
                "untaxed": cents / 100,
                "seconds": time.perf_counter() - started,
            }
        )
    )


def _rss_mb(field):
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def _reset_peak_rss():
    """Reset the kernel's high-water mark of this process's memory (Linux)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
            clear.write("5")
        return True
    except OSError:
        return False


class QueryLog:
    """Count the statements of a run by their normalized text (for --profile)."""

    def __init__(self):
        self.stats = defaultdict(lambda: [0, 0.0])

    def __call__(self, cr, query, params, start, delay):
        text = query.decode() if isinstance(query, bytes) else str(query)
        text = re.sub(r"\s+", " ", text).strip()
        text = re.sub(r"\(%s(, %s)*\)", "(%s...)", text)
        self.stats[text[:150]][0] += 1
        self.stats[text[:150]][1] += delay

    def report(self, invoices, top=30):
        lines = [f"{'count':>7} {'per inv':>8} {'seconds':>8}  statement"]
        ranked = sorted(self.stats.items(), key=lambda item: -item[1][0])
        for text, (count, seconds) in ranked[:top]:
            lines.append(
                f"{count:7d} {count / max(invoices, 1):8.2f} {seconds:8.2f}  {text}"
            )
        return "\n".join(lines)


def run_ours(env, ref_date):
    companies = env["res.company"].search([])
    contracts = env["zeron.contract"].with_context(allowed_company_ids=companies.ids)
    result = contracts._invoice_due_contracts(  # pylint: disable=protected-access
        ref_date, company_ids=companies.ids, auto_commit=True
    )
    env.cr.commit()
    return result


def run_peer(env, ref_date):
    env["contract.contract"].cron_recurring_create_invoice(date_ref=ref_date)
    env.cr.commit()
    drafts = env["account.move"].search(
        [("move_type", "=", "out_invoice"), ("state", "=", "draft")]
    )
    drafts.action_post()
    env.cr.commit()
    return {"drafts": len(drafts)}


def wait_for_go(go_file, timeout=600):
    """Say this process is ready, then wait until the orchestrator says go."""
    Path(f"{go_file}.ready.{os.getpid()}").touch()
    deadline = time.monotonic() + timeout
    while not os.path.exists(go_file):
        if time.monotonic() > deadline:
            raise TimeoutError(f"no go after {timeout}s: {go_file}")
        time.sleep(0.01)


def child_run(args):
    """Run one side's invoicing on ``args.db``; print the measures as JSON."""
    odoo, registry = open_registry(args)
    ref_date = date.fromisoformat(args.date)
    runner = run_ours if args.side == "ours" else run_peer
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        env = env(context=dict(env["res.users"].context_get()))
        due = (
            env["zeron.contract"].search_count([("next_invoice_date", "<=", ref_date)])
            if args.side == "ours"
            else env["contract.contract"].search_count(
                [("recurring_next_date", "<=", ref_date)]
            )
        )
        cr.commit()
        env.invalidate_all()
        if args.go_file:
            wait_for_go(args.go_file)
        rss_start = _rss_mb("VmRSS")
        peak_reset = _reset_peak_rss()
        profiler = query_log = None
        if args.profile_to:
            query_log = QueryLog()
            threading.current_thread().query_hooks = [query_log]
            profiler = cProfile.Profile()
            profiler.enable()
        queries_before = odoo.sql_db.sql_counter
        started_at = time.time()
        started = time.perf_counter()
        result = runner(env, ref_date)
        seconds = time.perf_counter() - started
        ended_at = time.time()
        queries = odoo.sql_db.sql_counter - queries_before
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if profiler:
            profiler.disable()
            threading.current_thread().query_hooks = []
        env.invalidate_all()
        posted = env["account.move"].search(
            [("move_type", "=", "out_invoice"), ("state", "=", "posted")]
        )
        untaxed = round(sum(posted.mapped("amount_untaxed")), 2)
        invoiced_lines = env["account.move.line"].search_count(
            [("move_id", "in", posted.ids), ("display_type", "=", "product")]
        )
    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(25)
        stats.dump_stats(args.profile_to + ".prof")
        Path(args.profile_to + ".txt").write_text(
            f"{args.side}, {len(posted)} posted invoices, {queries} queries, "
            f"{seconds:.1f}s (profiled)\n\n{query_log.report(len(posted))}\n\n"
            f"{out.getvalue()}",
            encoding="utf-8",
        )
    print(
        json.dumps(
            {
                "due": due,
                "result": result,
                "posted": len(posted),
                "invoice_lines": invoiced_lines,
                "untaxed": untaxed,
                "seconds": seconds,
                "started_at": started_at,
                "ended_at": ended_at,
                "queries": queries,
                "rss_start_mb": rss_start,
                "peak_mb": peak,
                "peak_reset": peak_reset,
            }
        )
    )


# --------------------------------------------------------------------------
# The orchestrator
# --------------------------------------------------------------------------


def _psql(*args):
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def copy_db(template, name):
    _psql("dropdb", "--if-exists", name)
    _psql("createdb", "-T", template, name)


def drop_db(name):
    _psql("dropdb", "--if-exists", name)


def child_command(args, step, side, db, size, profile_to=None, go_file=None):
    command = [
        sys.executable,
        __file__,
        "--child",
        step,
        "--side",
        side,
        "--db",
        db,
        "--size",
        str(size),
        "--date",
        args.date,
        "--csv",
        args.csv,
        "--addons-path",
        args.addons_path,
        "--odoo-path",
        args.odoo_path,
    ]
    if profile_to:
        command += ["--profile-to", profile_to]
    if go_file:
        command += ["--go-file", go_file]
    return command


def _answer(step, side, db, log, returncode, stdout):
    if returncode:
        raise RuntimeError(
            f"{step} of {side} on {db} failed (exit {returncode}), see {log}"
        )
    return json.loads(stdout.strip().splitlines()[-1])


def run_child(args, step, side, db, size, log, profile_to=None):
    """Run one step in a fresh process; return the JSON it printed."""
    with open(log, "a", encoding="utf-8") as stderr:
        done = subprocess.run(
            child_command(args, step, side, db, size, profile_to),
            check=False,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
    return _answer(step, side, db, log, done.returncode, done.stdout)


def run_workers(args, side, db, size, log, workers):
    """Run the invoicing in ``workers`` processes started at the same moment.

    Each process loads its registry, then waits for the others; the run's time
    goes from the first start to the last end, its queries are those of all
    processes, its peak memory the highest of one process.
    """
    go_file = str(Path(args.log_dir) / f"go-{os.getpid()}-{size}")
    for stale in Path(args.log_dir).glob(f"go-{os.getpid()}-{size}*"):
        stale.unlink()
    with open(log, "a", encoding="utf-8") as stderr:
        processes = [
            subprocess.Popen(  # pylint: disable=consider-using-with
                child_command(args, "run", side, db, size, go_file=go_file),
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
            )
            for _n in range(workers)
        ]
        deadline = time.monotonic() + 600
        while len(list(Path(args.log_dir).glob(f"go-{os.getpid()}-{size}.ready.*"))) < (
            workers
        ):
            if time.monotonic() > deadline or any(
                p.poll() is not None for p in processes
            ):
                break
            time.sleep(0.05)
        Path(go_file).touch()
        answers = [
            _answer("run", side, db, log, p.wait(), p.stdout.read()) for p in processes
        ]
    for path in Path(args.log_dir).glob(f"go-{os.getpid()}-{size}*"):
        path.unlink()
    last = max(answers, key=lambda answer: answer["ended_at"])
    run = dict(last)
    run["due"] = max(answer["due"] for answer in answers)
    run["result"] = [answer["result"] for answer in answers]
    run["seconds"] = last["ended_at"] - min(a["started_at"] for a in answers)
    run["queries"] = sum(answer["queries"] for answer in answers)
    run["peak_mb"] = max(answer["peak_mb"] for answer in answers)
    run["workers"] = workers
    return run


def measure(args, side, size, log_dir):
    """Load ``size`` contracts for ``side``, run the invoicing; return measures."""
    template = args.ours_db if side == "ours" else args.peer_db
    loaded = f"{args.db_prefix}_{side}_{size}_loaded"
    log = log_dir / f"bench-invoicing-{side}-{size}.log"
    log.write_text("", encoding="utf-8")
    copy_db(template, loaded)
    try:
        load = run_child(args, "load", side, loaded, size, log)
        best = None
        for attempt in range(args.repeat):
            db = f"{args.db_prefix}_{side}_{size}_run"
            copy_db(loaded, db)
            try:
                profile_to = (
                    str(log_dir / f"profile-{side}-{size}") if args.profile else None
                )
                if side == "ours" and args.ours_workers > 1:
                    run = run_workers(args, side, db, size, log, args.ours_workers)
                else:
                    run = run_child(args, "run", side, db, size, log, profile_to)
            finally:
                drop_db(db)
            check_run(side, size, load, run)
            print(
                f"    {side:4} {size:6d} contracts, run {attempt + 1}: "
                f"{run['seconds']:7.1f}s, {run['queries']} queries, "
                f"peak {run['peak_mb']:.0f} MB",
                flush=True,
            )
            if best is None or run["seconds"] < best["seconds"]:
                best = run
        best["load_seconds"] = load["seconds"]
        return best
    finally:
        if not args.keep:
            drop_db(loaded)


def check_run(side, size, load, run):
    """Fail unless the run posted one invoice per contract, for the right sum."""
    expected = (size, size, size, load["untaxed"])
    got = (run["due"], run["posted"], run["invoice_lines"], run["untaxed"])
    if got != expected:
        raise RuntimeError(
            f"{side}, {size} contracts: expected (due, posted invoices, invoice "
            f"lines, untaxed) {expected}, got {got}; run: {run}"
        )


def figures(run):
    invoices = run["posted"]
    return {
        "seconds": run["seconds"],
        "speed": invoices / run["seconds"],
        "queries": run["queries"] / invoices,
        "peak": run["peak_mb"],
    }


HEADER = (
    "| contracts | ours s | ours inv/s | ours queries/inv | ours peak MB "
    "| peer s | peer inv/s | peer queries/inv | peer peak MB "
    "| inv/s ours/peer | queries ours/peer | peak ours/peer |"
)


def table_rows(results):
    rows = []
    for size, sides in results.items():
        cells = [f"{size:,}"]
        for side in SIDES:
            if side in sides:
                f = figures(sides[side])
                cells += [
                    f"{f['seconds']:.1f}",
                    f"{f['speed']:.1f}",
                    f"{f['queries']:.1f}",
                    f"{f['peak']:.0f}",
                ]
            else:
                cells += ["-"] * 4
        if len(sides) == 2:
            ours, peer = figures(sides["ours"]), figures(sides["peer"])
            cells += [
                f"{ours['speed'] / peer['speed']:.2f}",
                f"{ours['queries'] / peer['queries']:.2f}",
                f"{ours['peak'] / peer['peak']:.2f}",
            ]
        else:
            cells += ["-"] * 3
        rows.append("| " + " | ".join(cells) + " |")
    return rows


def verdicts(results):
    """Return one line per target: met or missed, and by how much."""
    lines = []
    sizes = sorted(results)
    for size in sizes:
        sides = results[size]
        if "ours" not in sides:
            continue
        ours = figures(sides["ours"])
        if "peer" in sides:
            ratio = ours["speed"] / figures(sides["peer"])["speed"]
            lines.append(
                f"{size:,} contracts: {ratio:.2f}x the peer's posted invoices per "
                f"second (target >= {TARGET_SPEED_RATIO:g}x): "
                + (
                    "met"
                    if ratio >= TARGET_SPEED_RATIO
                    else f"MISSED by {TARGET_SPEED_RATIO / ratio:.2f}x"
                )
            )
        lines.append(
            f"{size:,} contracts: {ours['queries']:.1f} queries per posted invoice "
            f"(target <= {TARGET_QUERIES:g}): "
            + (
                "met"
                if ours["queries"] <= TARGET_QUERIES
                else f"MISSED by {ours['queries'] - TARGET_QUERIES:.1f}"
            )
        )
    ours_sizes = [size for size in sizes if "ours" in results[size]]
    if len(ours_sizes) > 1:
        small, large = ours_sizes[0], ours_sizes[-1]
        growth = (
            results[large]["ours"]["peak_mb"] / results[small]["ours"]["peak_mb"] - 1
        )
        lines.append(
            f"peak memory from {small:,} to {large:,} contracts: {growth:+.0%} "
            f"(flat: within {FLAT_TOLERANCE:.0%}): "
            + ("met" if growth <= FLAT_TOLERANCE else "MISSED")
        )
    return lines


def main(argv=None):
    args = parse_args(argv)
    if args.child == "load":
        return child_load(args)
    if args.child == "run":
        return child_run(args)
    sides = [side for side in args.sides.split(",") if side]
    for side in sides:
        if not (args.ours_db if side == "ours" else args.peer_db):
            sys.exit(f"no database for {side}: set ZERON_BENCH_{side.upper()}_DB")
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    log_dir = Path(args.log_dir)
    log_dir.mkdir(parents=True, exist_ok=True)
    print(
        f"Invoicing run to posted invoices, reference date {args.date}, sizes "
        f"{sizes}, best of {args.repeat}; {os.cpu_count()} CPUs; ours in "
        f"{args.ours_workers} process(es)"
        + (" -- PROFILED, times not comparable" if args.profile else ""),
        flush=True,
    )
    results = {}
    for size in sizes:
        results[size] = {}
        for side in sides:
            results[size][side] = measure(args, side, size, log_dir)
    table = [HEADER, "|" + "---|" * 12, *table_rows(results)]
    print("\n" + "\n".join(table) + "\n")
    for line in verdicts(results):
        print(line)
    raw = log_dir / "bench-invoicing.json"
    raw.write_text(
        json.dumps({str(k): v for k, v in results.items()}, indent=1), "utf-8"
    )
    print(f"\nraw figures: {raw}")
    if args.markdown:
        Path(args.markdown).write_text("\n".join(table) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
