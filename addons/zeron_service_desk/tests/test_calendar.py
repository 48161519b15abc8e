from datetime import datetime

from odoo import Command
from odoo.tests import tagged

from .common import ZeronServiceDeskCommon, sofia


@tagged("post_install", "-at_install")
class TestCalendar(ZeronServiceDeskCommon):
    def _attendees(self, event):
        return event.attendee_ids.partner_id

    def test_event_follows_the_task(self):
        task = self._create_task(
            user_ids=[Command.set(self.tech_a.ids)],
            zeron_planned_start=sofia(2024, 2, 1, 9, 0),
            zeron_planned_end=sofia(2024, 2, 1, 11, 0),
        )
        event = task.zeron_event_id
        self.assertTrue(event, "the event exists from creation")
        # Sofia is UTC+2 in February
        self.assertEqual(event.start, datetime(2024, 2, 1, 7, 0))
        self.assertEqual(event.stop, datetime(2024, 2, 1, 9, 0))
        self.assertEqual(self._attendees(event), self.tech_a.partner_id)
        self.assertEqual(event.zeron_task_id, task)
        self.assertIn(
            event,
            self.env["calendar.event"]
            .with_user(self.tech_a)
            .search([("partner_ids", "in", self.tech_a.partner_id.ids)]),
        )

        task.user_ids = [Command.set(self.tech_b.ids)]
        self.assertEqual(task.zeron_event_id, event)
        self.assertEqual(self._attendees(event), self.tech_b.partner_id)
        self.assertEqual(event.user_id, self.tech_b)

        task.user_ids = [Command.link(self.tech_a.id)]
        self.assertEqual(
            self._attendees(event), self.tech_a.partner_id | self.tech_b.partner_id
        )

        task.write(
            {
                "zeron_planned_start": sofia(2024, 2, 2, 9, 0),
                "zeron_planned_end": sofia(2024, 2, 2, 11, 0),
                "name": "Alarm panel replaced",
            }
        )
        self.assertEqual(event.start, datetime(2024, 2, 2, 7, 0))
        self.assertEqual(event.stop, datetime(2024, 2, 2, 9, 0))
        self.assertEqual(event.name, "Alarm panel replaced")

        task.unlink()
        self.assertFalse(event.exists())

    def test_daylight_saving_time(self):
        # Sofia moves to UTC+3 on 31 March 2024 at 03:00
        task = self._create_task(
            user_ids=[Command.set(self.tech_a.ids)],
            zeron_planned_start=sofia(2024, 3, 30, 9, 0),
            zeron_planned_end=sofia(2024, 3, 30, 10, 0),
        )
        self.assertEqual(task.zeron_event_id.start, datetime(2024, 3, 30, 7, 0))
        task.write(
            {
                "zeron_planned_start": sofia(2024, 4, 1, 9, 0),
                "zeron_planned_end": sofia(2024, 4, 1, 10, 0),
            }
        )
        self.assertEqual(task.zeron_event_id.start, datetime(2024, 4, 1, 6, 0))
        self.assertEqual(
            task._zeron_local_datetime_to_utc(
                datetime(2024, 10, 28).date(), 9.5, "Europe/Sofia"
            ),
            datetime(2024, 10, 28, 7, 30),
            "back to UTC+2 after 27 October",
        )

    def test_event_disappears_when_unassigned_unplanned_or_cancelled(self):
        values = {
            "user_ids": [Command.set(self.tech_a.ids)],
            "zeron_planned_start": sofia(2024, 2, 1, 9, 0),
            "zeron_planned_end": sofia(2024, 2, 1, 11, 0),
        }
        unassigned = self._create_task(**values)
        event = unassigned.zeron_event_id
        unassigned.user_ids = [Command.clear()]
        self.assertFalse(unassigned.zeron_event_id)
        self.assertFalse(event.exists())

        unplanned = self._create_task(**values)
        event = unplanned.zeron_event_id
        unplanned.write({"zeron_planned_start": False, "zeron_planned_end": False})
        self.assertFalse(event.exists())

        cancelled = self._create_task(**values)
        event = cancelled.zeron_event_id
        cancelled.state = "1_canceled"
        self.assertFalse(event.exists())
        cancelled.state = "01_in_progress"
        self.assertTrue(cancelled.zeron_event_id, "reopened: planned again")

        archived = self._create_task(**values)
        event = archived.zeron_event_id
        archived.active = False
        self.assertFalse(event.exists())

    def test_no_event_without_technician_or_outside_service_projects(self):
        task = self._create_task(
            user_ids=False,
            zeron_planned_start=sofia(2024, 2, 1, 9, 0),
            zeron_planned_end=sofia(2024, 2, 1, 11, 0),
        )
        self.assertFalse(task.zeron_event_id)
        task.user_ids = [Command.set(self.tech_a.ids)]
        self.assertTrue(task.zeron_event_id)
        event = task.zeron_event_id
        task.project_id = self.env["project.project"].create({"name": "Internal"})
        self.assertFalse(event.exists())
