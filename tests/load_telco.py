"""Load the telco customers of a CSV file as partners and subscription contracts.

Runs against a running Odoo server through its external API::

    python tests/load_telco.py --url http://localhost:8069 --db zeron \\
        --date 2026-12-01 [--csv path] [--invoice]

For each customer (one CSV row): a partner with made-up but well-formed contact
data derived from the customer number, and a contract with one monthly "telecom
bundle" line at the monthly charge, billed in advance, started ``tenure``
months before the reference date and invoiced up to the day before it. Running
it again creates nothing twice. A row with a bad monthly charge or tenure is
reported with its row number and customer, and skipped.
"""

# a command-line tool: it reports on standard output
# pylint: disable=print-used

import argparse
import csv
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

try:
    from .zeron_client import OdooClient
except ImportError:  # run as a script
    from zeron_client import OdooClient

BUNDLE_CODE = "ZERON-TELCO-BUNDLE"
TERMS = {"Month-to-month": 0, "One year": 12, "Two year": 24}
SERVICE_COLUMNS = [
    ("PhoneService", "Phone"),
    ("MultipleLines", "Multiple lines"),
    ("OnlineSecurity", "Online security"),
    ("OnlineBackup", "Online backup"),
    ("DeviceProtection", "Device protection"),
    ("TechSupport", "Tech support"),
    ("StreamingTV", "Streaming TV"),
    ("StreamingMovies", "Streaming movies"),
]
CITIES = ["Springfield", "Riverside", "Fairview", "Greenville", "Madison", "Franklin"]


class RowError(ValueError):
    """A CSV row that cannot be loaded."""


@dataclass
class LoadReport:
    rows: int = 0
    partners_created: int = 0
    contracts_created: int = 0
    contracts_existing: int = 0
    errors: list = field(default_factory=list)


@dataclass
class Customer:
    row_number: int
    code: str
    tenure: int
    monthly: float
    term_months: int
    paperless: bool
    churned: bool
    services: str


def parse_row(row_number, row):
    """Return the :class:`Customer` of a CSV row, or raise :class:`RowError`."""
    code = (row.get("customerID") or "").strip()
    where = f"row {row_number} (customer {code or '?'})"
    if not code:
        raise RowError(f"{where}: customerID is missing")
    raw = (row.get("MonthlyCharges") or "").strip()
    try:
        monthly = round(float(raw), 2)
    except ValueError:
        monthly = None
    if not raw:
        raise RowError(f"{where}: MonthlyCharges is missing")
    if monthly is None or monthly != monthly or monthly < 0:
        raise RowError(f"{where}: MonthlyCharges {raw!r} is not a non-negative number")
    try:
        tenure = int((row.get("tenure") or "").strip())
    except ValueError:
        tenure = -1
    if tenure < 0:
        raise RowError(f"{where}: tenure {row.get('tenure')!r} is not a month count")
    contract = (row.get("Contract") or "").strip()
    if contract not in TERMS:
        raise RowError(f"{where}: Contract {contract!r} is not one of {sorted(TERMS)}")
    # TotalCharges is blank for new customers (tenure 0): not an error, unused.
    return Customer(
        row_number=row_number,
        code=code,
        tenure=tenure,
        monthly=monthly,
        term_months=TERMS[contract],
        paperless=row.get("PaperlessBilling") == "Yes",
        churned=row.get("Churn") == "Yes",
        services=describe_services(row),
    )


def describe_services(row):
    """Return the services a customer takes, as one line of text."""
    taken = []
    if row.get("InternetService") not in (None, "", "No"):
        taken.append(f"Internet ({row['InternetService']})")
    taken += [label for column, label in SERVICE_COLUMNS if row.get(column) == "Yes"]
    return "Telecom bundle: " + (", ".join(taken) if taken else "no services")


def contact_values(customer, country_id):
    """Return partner values with made-up contact data derived from the code."""
    digits = "".join(c for c in customer.code if c.isdigit()).ljust(4, "0")[:4]
    letters = "".join(str(ord(c) % 10) for c in customer.code if c.isalpha())
    letters = letters.ljust(3, "0")[:3]
    number = int(digits)
    return {
        "name": f"Customer {customer.code}",
        "ref": customer.code,
        "is_company": False,
        "email": f"{customer.code.lower()}@example.com",
        "street": f"{number % 250 + 1} Cable Street",
        "city": CITIES[number % len(CITIES)],
        "zip": f"{number:05d}",
        "country_id": country_id,
        "mobile": f"+1 555 {digits[:3]} {digits[3]}{letters}",
    }


def contract_values(customer, partner_id, product_id, ref_date):
    """Return the values of a customer's contract on ``ref_date``."""
    start = ref_date - relativedelta(months=customer.tenure)
    line = {
        "product_id": product_id,
        "name": customer.services,
        "quantity": 1.0,
        "price_unit": customer.monthly,
        "recurring_interval": 1,
        "recurring_rule_type": "month",
        "recurring_invoicing_type": "advance",
        "recurring_anchor_day": ref_date.day,
        "date_start": start.isoformat(),
        "tax_ids": [(6, 0, [])],
    }
    if customer.tenure:
        # billed before the contract was entered here: up to the day before
        line["period_ids"] = [
            (
                0,
                0,
                {
                    "date_start": start.isoformat(),
                    "date_end": (ref_date - timedelta(days=1)).isoformat(),
                },
            )
        ]
    values = {
        "partner_id": partner_id,
        "date_start": start.isoformat(),
        "term_months": customer.term_months,
        "renewal_type": "tacit" if customer.term_months else "none",
        "invoice_delivery": "email" if customer.paperless else "post",
        "line_ids": [(0, 0, line)],
    }
    if customer.churned:
        values["date_end"] = max(start, ref_date - timedelta(days=1)).isoformat()
    return values


def read_customers(path, report):
    """Return the valid customers of the CSV at ``path``; report the others."""
    customers = []
    with open(path, newline="", encoding="utf-8") as handle:
        # row 1 is the header: the first customer is on row 2
        for row_number, row in enumerate(csv.DictReader(handle), start=2):
            report.rows += 1
            try:
                customers.append(parse_row(row_number, row))
            except RowError as error:
                report.errors.append(str(error))
    return customers


def ensure_bundle_product(client):
    """Return the id of the telecom bundle subscription product."""
    found = client.call(
        "product.product", "search", [("default_code", "=", BUNDLE_CODE)], limit=1
    )
    if found:
        return found[0]
    return client.call(
        "product.product",
        "create",
        {
            "name": "Telecom bundle",
            "default_code": BUNDLE_CODE,
            "type": "service",
            "zeron_is_subscription": True,
            "zeron_recurring_interval": 1,
            "zeron_recurring_rule_type": "month",
            "zeron_recurring_invoicing_type": "advance",
            "list_price": 0.0,
            "taxes_id": [(6, 0, [])],
        },
    )


def chunks(items, size):
    for index in range(0, len(items), size):
        yield items[index : index + size]


def load(client, path, ref_date, batch_size=500):
    """Load the customers of ``path`` for ``ref_date``; return a LoadReport."""
    report = LoadReport()
    customers = read_customers(path, report)
    product_id = ensure_bundle_product(client)
    country = client.call("res.country", "search", [("code", "=", "US")], limit=1)
    country_id = country[0] if country else False

    partner_ids = {}
    codes = [c.code for c in customers]
    for batch in chunks(codes, 2000):
        for partner in client.call(
            "res.partner", "search_read", [("ref", "in", batch)], fields=["ref"]
        ):
            partner_ids[partner["ref"]] = partner["id"]
    new = [c for c in customers if c.code not in partner_ids]
    for batch in chunks(new, 1000):
        ids = client.call(
            "res.partner", "create", [contact_values(c, country_id) for c in batch]
        )
        partner_ids.update(zip([c.code for c in batch], ids, strict=True))
        report.partners_created += len(ids)

    with_contract = set()
    all_partner_ids = list(partner_ids.values())
    for batch in chunks(all_partner_ids, 2000):
        for contract in client.call(
            "zeron.contract",
            "search_read",
            [("partner_id", "in", batch)],
            fields=["partner_id"],
        ):
            with_contract.add(contract["partner_id"][0])
    todo = [c for c in customers if partner_ids[c.code] not in with_contract]
    report.contracts_existing = len(customers) - len(todo)
    for batch in chunks(todo, batch_size):
        ids = client.call(
            "zeron.contract",
            "create",
            [
                contract_values(c, partner_ids[c.code], product_id, ref_date)
                for c in batch
            ],
        )
        client.call("zeron.contract", "action_start", ids)
        churned = [i for i, c in zip(ids, batch, strict=True) if c.churned]
        if churned:
            client.call("zeron.contract", "action_close", churned)
        report.contracts_created += len(ids)
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", default="zeron")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--csv", default="../shared/data/telco-customer-churn.csv")
    parser.add_argument(
        "--date", type=date.fromisoformat, default=date.today(), help="reference date"
    )
    parser.add_argument(
        "--invoice", action="store_true", help="then run the invoicing on that date"
    )
    args = parser.parse_args(argv)
    client = OdooClient(args.url, args.db, args.login, args.password)
    started = time.monotonic()
    report = load(client, args.csv, args.date)
    print(
        f"Loaded {args.csv} for {args.date}: {report.rows} rows, "
        f"{report.partners_created} partners and {report.contracts_created} "
        f"contracts created, {report.contracts_existing} already there, "
        f"{len(report.errors)} rows refused, in {time.monotonic() - started:.1f}s"
    )
    for error in report.errors:
        print(f"  refused: {error}", file=sys.stderr)
    if args.invoice:
        started = time.monotonic()
        result = client.call(
            "zeron.contract", "create_recurring_invoices", args.date.isoformat()
        )
        print(
            f"Invoicing run on {args.date}: {result['created']} invoices created, "
            f"{result['skipped']} skipped, {result['failed']} failed, "
            f"in {time.monotonic() - started:.1f}s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
