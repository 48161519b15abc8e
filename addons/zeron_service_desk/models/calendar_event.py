from odoo import fields, models


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    zeron_task_id = fields.Many2one(
        comodel_name="project.task",
        string="Service Task",
        index="btree_not_null",
        ondelete="cascade",
        readonly=True,
        copy=False,
    )
