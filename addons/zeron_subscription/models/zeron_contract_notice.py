from markupsafe import Markup

from odoo import api, fields, models


class ZeronContractNotice(models.Model):
    """A notice sent to a contract's customer: one per contract and key.

    The key (for example the expiry stage and the term end it counts down
    to) is unique per contract, so a rerun never sends a notice twice.
    """

    _name = "zeron.contract.notice"
    _description = "Contract Notice"
    _order = "create_date desc, id desc"
    _check_company_auto = True

    contract_id = fields.Many2one(
        comodel_name="zeron.contract",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="contract_id.company_id",
        store=True,
        index=True,
    )
    partner_id = fields.Many2one(
        related="contract_id.partner_id",
        string="Customer",
    )
    kind = fields.Selection(
        selection=[
            ("expiry", "Expiry Warning"),
            ("price", "Price Revision"),
            ("currency", "Currency Changeover"),
        ],
        required=True,
    )
    key = fields.Char(
        required=True,
        help="Identifies the notice among those of its contract.",
    )
    stage_id = fields.Many2one(
        comodel_name="zeron.expiry.stage",
        ondelete="set null",
    )
    reference_date = fields.Date(
        string="Announced Date",
        help="Term end of an expiry warning, or the day an announced change "
        "takes effect.",
    )
    channels = fields.Char(
        string="Sent By",
        help="Channels the notice went out by, comma separated.",
    )
    state = fields.Selection(
        selection=[("sent", "Sent"), ("failed", "Failed")],
        required=True,
    )
    error = fields.Text(help="Channels that could not reach the customer, and why.")
    letter_id = fields.Many2one(
        comodel_name="zeron.letter",
        ondelete="set null",
    )

    _sql_constraints = [
        (
            "contract_key_uniq",
            "unique(contract_id, key)",
            "A notice is sent only once per contract.",
        ),
    ]

    @api.model
    def _get_channel_selection(self):
        return [
            ("email", self.env._("Email")),
            ("sms", self.env._("SMS")),
            ("letter", self.env._("Letter")),
        ]

    def _get_channel_labels(self):
        self.ensure_one()
        labels = dict(self._get_channel_selection())
        return ", ".join(labels[c] for c in (self.channels or "").split(",") if c)

    def _post_on_contract(self):
        """Log this notice, and the channels that failed, on its contract."""
        for notice in self:
            kind = dict(notice._fields["kind"]._description_selection(self.env))[
                notice.kind
            ]
            if notice.stage_id:
                kind = "%s (%s)" % (kind, notice.stage_id.name)
            if notice.channels:
                body = Markup("<p>%s</p>") % self.env._(
                    "%(notice)s sent by %(channels)s.",
                    notice=kind,
                    channels=notice._get_channel_labels(),
                )
            else:
                body = Markup("<p>%s</p>") % self.env._(
                    "%(notice)s could not be sent.", notice=kind
                )
            if notice.error:
                body += Markup("<p>%s</p>") % self.env._(
                    "Failed: %(errors)s", errors=notice.error
                )
            notice.contract_id.message_post(body=body)
