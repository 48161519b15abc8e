"""A small client of Odoo's external JSON-RPC API, with no dependency."""

import itertools
import json
import urllib.request


class OdooError(Exception):
    """An error the server returned, with its Odoo exception name."""

    def __init__(self, error):
        data = error.get("data") or {}
        self.name = data.get("name", "")
        self.message = data.get("message") or error.get("message", "")
        super().__init__(f"{self.name}: {self.message}")


class OdooClient:
    """Call model methods of database ``db`` at ``url`` as ``login``."""

    _ids = itertools.count(1)

    def __init__(self, url, db, login="admin", password="admin", timeout=3600):
        self.url = url.rstrip("/")
        self.db = db
        self.password = password
        self.timeout = timeout
        self.uid = self._call("common", "login", db, login, password)
        if not self.uid:
            raise OdooError({"message": f"login {login!r} refused on {db!r}"})

    def _call(self, service, method, *args):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"service": service, "method": method, "args": args},
            "id": next(self._ids),
        }
        request = urllib.request.Request(
            f"{self.url}/jsonrpc",
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            answer = json.load(response)
        if answer.get("error"):
            raise OdooError(answer["error"])
        return answer.get("result")

    def call(self, model, method, *args, **kwargs):
        """Return ``model.method(*args, **kwargs)`` run on the server."""
        return self._call(
            "object",
            "execute_kw",
            self.db,
            self.uid,
            self.password,
            model,
            method,
            list(args),
            kwargs,
        )
