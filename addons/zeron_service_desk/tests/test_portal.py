import re

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPortalRequests(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.project = cls.env["project.project"].create(
            {
                "name": "Alarm Service",
                "zeron_is_service": True,
                "zeron_portal_requests": True,
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Portal Vault Ltd", "is_company": True}
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Portal Clerk",
                "parent_id": cls.customer.id,
                "email": "clerk@portal.example.com",
            }
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="zeron_portal_clerk",
            password="zeron_portal_clerk",
            groups="base.group_portal",
            partner_id=cls.contact.id,
        )
        cls.stranger = cls.env["res.partner"].create({"name": "Someone Else"})
        cls.foreign_task = cls.env["project.task"].create(
            {
                "name": "Foreign request",
                "project_id": cls.project.id,
                "partner_id": cls.stranger.id,
            }
        )

    def test_submit_and_follow_own_requests(self):
        self.authenticate("zeron_portal_clerk", "zeron_portal_clerk")
        form = self.url_open("/my/service-requests/new").text
        csrf_token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        response = self.url_open(
            "/my/service-requests/new",
            data={
                "project_id": self.project.id,
                "name": "Door sensor offline",
                "description": "Since Monday.",
                "csrf_token": csrf_token,
            },
        )
        self.assertEqual(response.status_code, 200)
        task = self.env["project.task"].search([("name", "=", "Door sensor offline")])
        self.assertRecordValues(
            task,
            [
                {
                    "project_id": self.project.id,
                    "partner_id": self.contact.id,
                    "zeron_request_channel": "portal",
                    "zeron_coverage_state": "no_contract",
                }
            ],
        )
        page = self.url_open("/my/service-requests").text
        self.assertIn("Door sensor offline", page)
        self.assertNotIn("Foreign request", page)
        detail = self.url_open(f"/my/service-requests/{task.id}")
        self.assertIn("Door sensor offline", detail.text)
        foreign = self.url_open(f"/my/service-requests/{self.foreign_task.id}")
        self.assertNotIn("Foreign request", foreign.text)
