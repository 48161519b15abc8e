"""The telco customers loaded through the external API and invoiced end to end."""

import csv
import time
from datetime import date

from .load_telco import load

# a month end, so the opening periods and the billing grid cross short months
REF_DATE = date(2026, 1, 31)


def expected_figures(path):
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    active = [r for r in rows if r["Churn"] == "No"]
    cents = sum(round(float(r["MonthlyCharges"]) * 100) for r in active)
    return {
        "rows": len(rows),
        "active": len(active),
        "untaxed": cents / 100,
        "paperless": sum(r["PaperlessBilling"] == "Yes" for r in active),
    }


def invoice_figures(client):
    """Return the count, untaxed total and count per delivery of the run's invoices."""
    domain = [
        ("zeron_contract_id", "!=", False),
        ("state", "=", "posted"),
        ("invoice_date", "=", REF_DATE.isoformat()),
    ]
    by_delivery = {
        delivery: client.call(
            "account.move",
            "search_count",
            [*domain, ("zeron_contract_id.invoice_delivery", "=", delivery)],
        )
        for delivery in ("email", "post")
    }
    total = client.call(
        "account.move", "read_group", domain, ["amount_untaxed:sum"], []
    )[0]["amount_untaxed"]
    return sum(by_delivery.values()), round(total, 2), by_delivery


def test_telco_customers_invoiced_end_to_end(client, telco_csv):
    expected = expected_figures(telco_csv)
    assert (expected["rows"], expected["active"]) == (7043, 5174)
    assert expected["untaxed"] == 316985.75

    started = time.monotonic()
    report = load(client, str(telco_csv), REF_DATE)
    load_seconds = time.monotonic() - started
    assert report.errors == []
    assert (report.rows, report.contracts_created) == (7043, 7043)

    states = client.call(
        "zeron.contract",
        "read_group",
        [("partner_id.ref", "!=", False), ("partner_id.ref", "not like", "ZT-%")],
        ["state"],
        ["state"],
    )
    assert {g["state"]: g["state_count"] for g in states} == {
        "running": 5174,
        "closed": 1869,
    }

    started = time.monotonic()
    result = client.call(
        "zeron.contract", "create_recurring_invoices", REF_DATE.isoformat()
    )
    invoice_seconds = time.monotonic() - started
    assert result == {"created": 5174, "skipped": 0, "failed": 0}
    count, untaxed, by_delivery = invoice_figures(client)
    assert count == 5174
    assert untaxed == 316985.75
    assert by_delivery == {"email": 2771, "post": 2403}

    # a second run on the same day, and a second load, add nothing
    assert client.call(
        "zeron.contract", "create_recurring_invoices", REF_DATE.isoformat()
    ) == {"created": 0, "skipped": 0, "failed": 0}
    assert invoice_figures(client)[:2] == (5174, 316985.75)
    again = load(client, str(telco_csv), REF_DATE)
    assert (again.partners_created, again.contracts_created) == (0, 0)
    # shown by make test (pytest -s): the figures the README quotes
    print(  # pylint: disable=print-used
        f"\ntelco: loaded 7043 contracts in {load_seconds:.1f}s, "
        f"invoiced 5174 in {invoice_seconds:.1f}s "
        f"({5174 / invoice_seconds:.1f} posted invoices/s)"
    )


def test_invoice_lines_carry_their_period(client):
    line = client.call(
        "account.move.line",
        "search_read",
        [
            ("move_id.zeron_contract_id.partner_id.ref", "=", "7590-VHVEG"),
            ("display_type", "=", "product"),
        ],
        fields=["name", "price_subtotal", "zeron_period_start", "zeron_period_end"],
    )
    assert len(line) == 1
    assert line[0]["price_subtotal"] == 29.85
    assert (line[0]["zeron_period_start"], line[0]["zeron_period_end"]) == (
        "2026-01-31",
        "2026-02-27",
    )
    assert line[0]["name"] == (
        "Telecom bundle: Internet (DSL), Online backup\nPeriod: 01/31/2026 - 02/27/2026"
    )
