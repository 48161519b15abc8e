from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers import portal
from odoo.addons.portal.controllers.portal import pager as portal_pager


class CustomerPortal(portal.CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "zeron_contract_count" in counters:
            contracts = request.env["zeron.contract"]
            values["zeron_contract_count"] = (
                contracts.search_count(self._get_zeron_contracts_domain())
                if contracts.has_access("read")
                else 0
            )
        return values

    def _get_zeron_contracts_domain(self):
        # the record rules keep a portal user to their own company's contracts
        return [("state", "not in", ("draft", "cancelled"))]

    @http.route(
        ["/my/contracts", "/my/contracts/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_zeron_contracts(self, page=1, **kw):
        contracts = request.env["zeron.contract"]
        domain = self._get_zeron_contracts_domain()
        count = contracts.search_count(domain)
        pager = portal_pager(
            url="/my/contracts",
            total=count,
            page=page,
            step=self._items_per_page,
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "contracts": contracts.search(
                    domain,
                    order="date_start desc, id desc",
                    limit=self._items_per_page,
                    offset=pager["offset"],
                ),
                "page_name": "zeron_contract",
                "pager": pager,
                "default_url": "/my/contracts",
            }
        )
        return request.render("zeron_subscription.portal_my_zeron_contracts", values)

    @http.route(
        ["/my/contracts/<int:contract_id>"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_my_zeron_contract(
        self, contract_id, access_token=None, report_type=None, download=False, **kw
    ):
        try:
            contract_sudo = self._document_check_access(
                "zeron.contract", contract_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        if report_type in ("html", "pdf", "text"):
            return self._show_report(
                model=contract_sudo,
                report_type=report_type,
                report_ref="zeron_subscription.zeron_contract_report",
                download=download,
            )
        values = self._get_page_view_values(
            contract_sudo,
            access_token,
            {"contract": contract_sudo, "page_name": "zeron_contract"},
            "my_zeron_contracts_history",
            False,
        )
        return request.render("zeron_subscription.portal_my_zeron_contract", values)
