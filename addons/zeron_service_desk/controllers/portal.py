from odoo import http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class ZeronServiceDeskPortal(CustomerPortal):
    """Service requests of the portal customer: submit one, follow one's own."""

    def _get_zeron_request_domain(self):
        partner = request.env.user.partner_id.commercial_partner_id
        return [
            ("zeron_is_service", "=", True),
            ("partner_id", "child_of", partner.id),
        ]

    def _get_zeron_request_projects(self):
        return (
            request.env["project.project"]
            .sudo()
            .search(
                [
                    ("zeron_is_service", "=", True),
                    ("zeron_portal_requests", "=", True),
                ],
                order="name",
            )
        )

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "zeron_request_count" in counters:
            values["zeron_request_count"] = (
                request.env["project.task"]
                .sudo()
                .search_count(self._get_zeron_request_domain())
            )
        return values

    @http.route("/my/service-requests", type="http", auth="user", website=True)
    def zeron_portal_requests(self, **kwargs):
        tasks = (
            request.env["project.task"]
            .sudo()
            .search(self._get_zeron_request_domain(), order="create_date desc, id desc")
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "zeron_service_requests",
                "tasks": tasks,
                "can_submit": bool(self._get_zeron_request_projects()),
            }
        )
        return request.render("zeron_service_desk.portal_my_service_requests", values)

    @http.route(
        "/my/service-requests/<int:task_id>", type="http", auth="user", website=True
    )
    def zeron_portal_request(self, task_id, **kwargs):
        task = (
            request.env["project.task"]
            .sudo()
            .search([("id", "=", task_id), *self._get_zeron_request_domain()])
        )
        if not task:
            return request.redirect("/my/service-requests")
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "zeron_service_request", "task": task})
        return request.render("zeron_service_desk.portal_my_service_request", values)

    @http.route(
        "/my/service-requests/new",
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def zeron_portal_request_new(self, **post):
        projects = self._get_zeron_request_projects()
        error = False
        if request.httprequest.method == "POST":
            project = projects.filtered(
                lambda p: str(p.id) == (post.get("project_id") or "")
            )
            name = (post.get("name") or "").strip()
            if project and name:
                task = (
                    request.env["project.task"]
                    .sudo()
                    .with_context(mail_create_nolog=True)
                    .create(self._prepare_zeron_request_values(project, name, post))
                )
                task.message_subscribe(request.env.user.partner_id.ids)
                return request.redirect(f"/my/service-requests/{task.id}")
            error = True
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "zeron_service_request_new",
                "projects": projects,
                "error": error,
                "post": post,
            }
        )
        return request.render(
            "zeron_service_desk.portal_my_service_request_new", values
        )

    def _prepare_zeron_request_values(self, project, name, post):
        """Return the values of the task a portal customer submits.

        :return: vals dict for ``project.task``
        """
        partner = request.env.user.partner_id
        return {
            "name": name,
            "description": post.get("description") or False,
            "project_id": project.id,
            "company_id": project.company_id.id or False,
            "partner_id": partner.id,
            "zeron_request_channel": "portal",
            "user_ids": [],
        }
