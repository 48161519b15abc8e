"""Fixtures of the end-to-end tests: a running Odoo server, reached over JSON-RPC.

``make test`` (tools/test.sh) starts the server and sets ZERON_URL and
ZERON_DB; run by hand, point them at a server of your own.
"""

import os
from pathlib import Path

import pytest

from .zeron_client import OdooClient

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def client():
    url = os.environ.get("ZERON_URL")
    db = os.environ.get("ZERON_DB")
    if not url or not db:
        pytest.fail("Set ZERON_URL and ZERON_DB to a running Odoo with our addons")
    return OdooClient(
        url,
        db,
        os.environ.get("ZERON_LOGIN", "admin"),
        os.environ.get("ZERON_PASSWORD", "admin"),
    )


@pytest.fixture(scope="session")
def telco_csv():
    path = Path(
        os.environ.get("ZERON_DATA_CSV")
        or REPO.parent / "shared" / "data" / "telco-customer-churn.csv"
    )
    if not path.exists():
        pytest.fail(f"The telco data set is not at {path} (set ZERON_DATA_CSV)")
    return path
