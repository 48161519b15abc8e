"""Two invoicing runs at the same time never bill a period twice.

The server of ``make test`` serves each request in a thread of its own: two
JSON-RPC calls made at the same moment run side by side, each in its own database
transaction. These tests fire ``zeron.contract.create_recurring_invoices`` twice
at once on contracts of their own and check that each due period is billed exactly
once and that the counts the runs return add up, whichever way the two
transactions interleave.

What keeps them apart:

- each batch of contracts is locked with ``SELECT ... FOR UPDATE SKIP LOCKED``
  (the scheduled run commits per batch, so two workers share the contracts); a
  contract updated by a transaction committed after the snapshot raises a
  serialization failure, which Odoo retries (up to 5 tries) on a fresh snapshot,
  where it finds the periods billed;
- the runs create their invoices side by side, then number and post them under a
  per-company-tree advisory lock, each numbering from the last number committed
  (read on a fresh cursor), so they never take the same invoice number;
- the unique invoiced period per contract line and start is the last guard.

The client gets the answer of each call's last try: that is why the ``created``
counts of the two answers add up to the number of contracts.

Isolation from the other end-to-end tests: the contracts belong to two branches of
their own (each run is limited to them with ``company_ids``), their partners have
no reference (the telco test counts partners that have one), and they start on 15
March 2033, years after any other test's dates. Each test first closes the
contracts an earlier test or session left running in the branches.
"""

import copy
import threading
import time
import urllib.error
from collections import Counter

import pytest

from .zeron_client import OdooError

BRANCH_NAMES = ("Zeron concurrency tests A", "Zeron concurrency tests B")
PRODUCT_CODE = "ZERON-CONCURRENCY"
PER_BRANCH = 40
DATE_REF = "2033-03-15"
ZERO = {"created": 0, "skipped": 0, "failed": 0}


class Branches:
    """The two branch companies of these tests, and calls made in them."""

    def __init__(self, client, company_ids, main_id):
        self.client = client
        self.company_ids = company_ids
        self.context = {"allowed_company_ids": [*company_ids, main_id]}

    def call(self, model, method, *args, **kwargs):
        return self.client.call(model, method, *args, context=self.context, **kwargs)

    def run_invoicing(self, client=None):
        """Invoice the branches' contracts due on DATE_REF; return the counts."""
        return (client or self.client).call(
            "zeron.contract",
            "create_recurring_invoices",
            DATE_REF,
            company_ids=self.company_ids,
            context=self.context,
        )

    def product_id(self):
        found = self.call(
            "product.product", "search", [("default_code", "=", PRODUCT_CODE)]
        )
        if found:
            return found[0]
        return self.call(
            "product.product",
            "create",
            {
                "name": "Concurrency test subscription",
                "default_code": PRODUCT_CODE,
                "type": "service",
                "zeron_is_subscription": True,
                "zeron_recurring_interval": 1,
                "zeron_recurring_rule_type": "month",
                "zeron_recurring_invoicing_type": "advance",
                "taxes_id": [(6, 0, [])],
            },
        )

    def running_domain(self):
        return [("company_id", "in", self.company_ids), ("state", "=", "running")]

    def close_running(self):
        """Close the contracts left running in the branches."""
        running = self.call("zeron.contract", "search", self.running_domain())
        if running:
            self.call("zeron.contract", "action_close", running)

    def start_contracts(self, per_branch):
        """Close the running contracts of the branches, start new ones.

        :param per_branch: how many contracts to start in each branch, in order
        :return: ids of the new contracts, all due on DATE_REF
        """
        self.close_running()
        product_id = self.product_id()
        companies = [
            company_id
            for company_id, count in zip(self.company_ids, per_branch, strict=True)
            for _n in range(count)
        ]
        stamp = time.strftime("%Y%m%d%H%M%S")
        partner_ids = self.call(
            "res.partner",
            "create",
            [{"name": f"Concurrency {stamp} {n:03d}"} for n in range(len(companies))],
        )
        contract_ids = self.call(
            "zeron.contract",
            "create",
            [
                {
                    "partner_id": partner_id,
                    "company_id": company_id,
                    "date_start": DATE_REF,
                    "line_ids": [
                        (0, 0, {"product_id": product_id, "price_unit": 10.0 + n % 7})
                    ],
                }
                for n, (partner_id, company_id) in enumerate(
                    zip(partner_ids, companies, strict=True)
                )
            ],
        )
        self.call("zeron.contract", "action_start", contract_ids)
        due = self.call(
            "zeron.contract",
            "search",
            [*self.running_domain(), ("next_invoice_date", "<=", DATE_REF)],
        )
        assert sorted(due) == sorted(contract_ids)
        return contract_ids


@pytest.fixture(scope="module")
def branches(client):
    main_id = client.call("res.users", "read", [client.uid], ["company_id"])[0][
        "company_id"
    ][0]
    found = {
        company["name"]: company["id"]
        for company in client.call(
            "res.company",
            "search_read",
            [("name", "in", BRANCH_NAMES)],
            fields=["name"],
        )
    }
    missing = [name for name in BRANCH_NAMES if name not in found]
    if missing:
        # one call: a new company costs seconds (Odoo sets up its accounting)
        new_ids = client.call(
            "res.company",
            "create",
            [{"name": name, "parent_id": main_id} for name in missing],
        )
        found.update(zip(missing, new_ids, strict=True))
    branches = Branches(client, [found[name] for name in BRANCH_NAMES], main_id)
    yield branches
    # leave nothing running that a later run on a date after DATE_REF would bill
    branches.close_running()


def run_at_once(branches, clients):
    """Call the invoicing run once per client, all at the same moment.

    :return: per call, ``(counts or exception, started, ended)`` in call order
    """
    barrier = threading.Barrier(len(clients))
    outcomes = [None] * len(clients)

    def run(index, client):
        barrier.wait()
        started = time.monotonic()
        try:
            result = branches.run_invoicing(client)
        except (urllib.error.URLError, TimeoutError, OdooError) as error:
            result = error
        outcomes[index] = (result, started, time.monotonic())

    threads = [
        threading.Thread(target=run, args=(index, client))
        for index, client in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert not any(thread.is_alive() for thread in threads), "a run did not return"
    return outcomes


def assert_billed_once(branches, contract_ids):
    """Assert one posted invoice per contract, one invoice line per period."""
    invoices = branches.call(
        "account.move",
        "search_read",
        [("zeron_contract_id", "in", contract_ids)],
        fields=["zeron_contract_id", "state", "sequence_prefix", "sequence_number"],
    )
    per_contract = Counter(i["zeron_contract_id"][0] for i in invoices)
    twice = {c: n for c, n in per_contract.items() if n > 1}
    assert not twice, f"contracts invoiced more than once: {twice}"
    assert len(invoices) == len(contract_ids)
    assert {i["state"] for i in invoices} == {"posted"}
    lines = branches.call(
        "account.move.line",
        "search_read",
        [
            ("move_id.zeron_contract_id", "in", contract_ids),
            ("display_type", "=", "product"),
        ],
        fields=["zeron_contract_line_id", "zeron_period_start"],
    )
    billed = Counter(
        (line["zeron_contract_line_id"][0], line["zeron_period_start"])
        for line in lines
    )
    twice = {key: n for key, n in billed.items() if n > 1}
    assert not twice, f"periods billed more than once: {twice}"
    assert set(billed) == {
        (line_id, DATE_REF)
        for line_id in branches.call(
            "zeron.contract.line", "search", [("contract_id", "in", contract_ids)]
        )
    }
    # the invoice numbers the two runs took at once: unique and without gaps
    numbers = Counter(i["sequence_prefix"] for i in invoices)
    for prefix in numbers:
        taken = sorted(
            i["sequence_number"] for i in invoices if i["sequence_prefix"] == prefix
        )
        assert len(set(taken)) == len(taken), f"an invoice number twice in {prefix}"
        assert taken[-1] - taken[0] + 1 == len(taken), f"a gap in {prefix}: {taken}"


def test_two_runs_at_once_bill_each_period_once(branches):
    contract_ids = branches.start_contracts([PER_BRANCH, PER_BRANCH])
    started = time.monotonic()
    outcomes = run_at_once(branches, [branches.client, branches.client])
    results = [outcome[0] for outcome in outcomes]
    for result in results:
        assert isinstance(result, dict), f"a run failed: {result!r}"
        assert result["failed"] == 0, results
    # the answers of the last try of each call (see the module's docstring)
    assert sum(r["created"] for r in results) == len(contract_ids), results
    # the two calls were in flight together (one invoices the company, the
    # other waits for its lock, then starts over and finds nothing left)
    assert max(begun for _r, begun, _e in outcomes) < min(
        ended for _r, _b, ended in outcomes
    ), f"the runs did not overlap: {outcomes}"
    assert_billed_once(branches, contract_ids)
    # a third run, once both are done, finds nothing left to bill
    assert branches.run_invoicing() == ZERO
    assert_billed_once(branches, contract_ids)
    print(  # pylint: disable=print-used
        f"\nconcurrency: two runs at once on {len(contract_ids)} contracts: "
        + ", ".join(
            f"{result} in {ended - begun:.1f}s" for result, begun, ended in outcomes
        )
        + f" ({time.monotonic() - started:.1f}s)"
    )


def test_abandoned_run_retried_bills_each_period_once(branches):
    """A caller gives up on a run that the server goes on with, and calls again.

    The first call times out on the client side after half a second, as when the
    caller crashes or its connection drops: the server still finishes that run
    and commits it. The caller calls again at once, while that run still holds
    its locks or has just committed, and keeps calling until a run finds nothing
    to do. Each due period must be billed exactly once.
    """
    contract_ids = branches.start_contracts([PER_BRANCH, 0])
    impatient = copy.copy(branches.client)
    impatient.timeout = 0.5
    first = run_at_once(branches, [impatient])[0][0]
    # a server that invoices the lot within half a second answers in time: then
    # this is a plain "run, then run again"
    if not isinstance(first, Exception):
        assert first == {"created": len(contract_ids), "skipped": 0, "failed": 0}
    created = []
    deadline = time.monotonic() + 120
    while True:
        result = branches.run_invoicing()
        assert result["failed"] == 0, result
        created.append(result["created"])
        if result == ZERO or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert result == ZERO, f"contracts still locked or due after 120s: {result}"
    assert sum(created) <= len(contract_ids)
    assert_billed_once(branches, contract_ids)
    answer = "none (abandoned)" if isinstance(first, Exception) else first
    print(  # pylint: disable=print-used
        f"\nconcurrency: first call's answer {answer}, then {len(created)} runs "
        f"created {created}"
    )
