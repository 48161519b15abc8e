"""Bad CSV rows are reported with their row number and customer, and skipped."""

from datetime import date

from .load_telco import load

HEADER = (
    "customerID,gender,SeniorCitizen,Partner,Dependents,tenure,PhoneService,"
    "MultipleLines,InternetService,OnlineSecurity,OnlineBackup,DeviceProtection,"
    "TechSupport,StreamingTV,StreamingMovies,Contract,PaperlessBilling,"
    "PaymentMethod,MonthlyCharges,TotalCharges,Churn"
)
# far in the future, so these contracts are never due on the telco reference date
REF_DATE = date(2031, 5, 31)


def row(code, tenure, monthly, total, contract="Month-to-month", churn="No"):
    return (
        f"{code},Female,0,No,No,{tenure},Yes,No,DSL,Yes,No,No,No,No,No,{contract},"
        f"Yes,Mailed check,{monthly},{total},{churn}"
    )


def test_bad_rows_are_reported_and_skipped(client, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "\n".join(
            [
                HEADER,
                row("ZT-0001", 3, "20.50", "61.50"),
                row("ZT-0002", 5, "", "100"),
                row("ZT-0003", 5, "abc", "100"),
                row("ZT-0004", 0, "30.00", " ", contract="Two year"),
                row("ZT-0005", 5, "-4", "100"),
                row("ZT-0006", "x", "10", "100"),
            ]
        )
        + "\n"
    )
    report = load(client, str(path), REF_DATE)
    assert report.rows == 6
    assert report.errors == [
        "row 3 (customer ZT-0002): MonthlyCharges is missing",
        "row 4 (customer ZT-0003): MonthlyCharges 'abc' is not a non-negative number",
        "row 6 (customer ZT-0005): MonthlyCharges '-4' is not a non-negative number",
        "row 7 (customer ZT-0006): tenure 'x' is not a month count",
    ]
    assert report.contracts_created == 2
    refs = {
        p["ref"]
        for p in client.call(
            "res.partner", "search_read", [("ref", "=like", "ZT-%")], fields=["ref"]
        )
    }
    assert refs == {"ZT-0001", "ZT-0004"}
    contracts = client.call(
        "zeron.contract",
        "search_read",
        [("partner_id.ref", "in", ["ZT-0001", "ZT-0004"])],
        fields=[
            "partner_id",
            "date_start",
            "term_months",
            "state",
            "next_invoice_date",
        ],
        order="date_start",
    )
    assert [(c["date_start"], c["term_months"], c["state"]) for c in contracts] == [
        ("2031-02-28", 0, "running"),
        ("2031-05-31", 24, "running"),
    ]
    assert {c["next_invoice_date"] for c in contracts} == {"2031-05-31"}
    # loading again creates nothing twice
    again = load(client, str(path), REF_DATE)
    assert (again.partners_created, again.contracts_created) == (0, 0)
    assert again.contracts_existing == 2


def test_server_refuses_bad_contract_input(client):
    partner = client.call("res.partner", "create", {"name": "ZT bad input"})
    product = client.call(
        "product.product", "search", [("default_code", "=", "ZERON-TELCO-BUNDLE")]
    )[0]
    from .zeron_client import OdooError

    cases = [
        ({"date_start": "2024-05-01", "date_end": "2024-04-30"}, {}, "End Date"),
        ({}, {"recurring_interval": 0}, "Billing Every must be at least 1"),
        ({}, {"quantity": -2}, "Quantity cannot be negative"),
        ({}, {"price_unit": -1}, "Unit Price cannot be negative"),
    ]
    for contract_vals, line_vals, message in cases:
        vals = {
            "partner_id": partner,
            "date_start": "2024-05-01",
            **contract_vals,
            "line_ids": [(0, 0, {"product_id": product, **line_vals})],
        }
        try:
            client.call("zeron.contract", "create", vals)
        except OdooError as error:
            assert error.name == "odoo.exceptions.ValidationError"
            assert message in error.message
        else:
            raise AssertionError(f"{vals} was accepted")
    assert not client.call("zeron.contract", "search", [("partner_id", "=", partner)])
