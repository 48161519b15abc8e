from odoo import fields, models


class ProjectProject(models.Model):
    _inherit = "project.project"

    zeron_is_service = fields.Boolean(
        string="Service Project",
        help="Tasks of this project are service requests checked against the "
        "customer's subscription contracts.",
    )
    zeron_uncovered_policy = fields.Selection(
        selection=[
            ("warn", "Warn"),
            ("approval", "Require a manager's approval"),
            ("block", "Block"),
        ],
        string="Uncovered Customers",
        default="warn",
        required=True,
        help="What happens when work is scheduled or time is logged on a task "
        "whose customer is not covered by a contract:\n"
        "Warn: a banner only.\n"
        "Require a manager's approval: a project manager approves the task first.\n"
        "Block: the work cannot be scheduled.",
    )
    zeron_service_product_id = fields.Many2one(
        comodel_name="product.product",
        string="Default Service",
        domain="[('type', '=', 'service')]",
        check_company=True,
        help="Service requested by the new tasks of this project, and billed for "
        "their time when no contract line gives another.",
    )
    zeron_portal_requests = fields.Boolean(
        string="Portal Requests",
        help="Customers can submit requests to this project from their portal.",
    )
