import logging
import threading

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import split_every

from ..tools.locking import lock_skip_locked

_logger = logging.getLogger(__name__)

#: invoices sent per transaction by the scheduled run
SENDING_BATCH_SIZE = 50


class AccountMove(models.Model):
    """Delivery of posted subscription invoices: by email, or by letter."""

    _inherit = "account.move"

    zeron_delivery_state = fields.Selection(
        selection=[
            ("to_send", "To Send"),
            ("sent", "Sent by Email"),
            ("to_print", "In a Letter Batch"),
            ("printed", "Printed"),
            ("failed", "Failed"),
        ],
        string="Subscription Delivery",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="How the invoice of a subscription contract reached the customer.",
    )
    zeron_letter_ids = fields.One2many(
        comodel_name="zeron.letter",
        inverse_name="move_id",
        string="Letters",
    )

    # === CRUD METHODS === #

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted.filtered(
            lambda m: m.zeron_contract_id
            and m.is_sale_document()
            and not m.zeron_delivery_state
        ).zeron_delivery_state = "to_send"
        return posted

    # === BUSINESS METHODS === #

    @api.model
    def _get_zeron_invoices_to_send_domain(self):
        """Return the domain of the subscription invoices waiting to be sent."""
        return [
            ("zeron_delivery_state", "=", "to_send"),
            ("state", "=", "posted"),
            ("zeron_contract_id", "!=", False),
        ]

    def _zeron_lock_for_sending(self):
        """Lock these invoices; return those still to send and not held elsewhere.

        ``SKIP LOCKED`` leaves invoices another worker is sending to it, so a
        parallel run or a user clicking the button never sends twice.
        """
        if not self:
            return self
        self.flush_model(["zeron_delivery_state"])
        return self.browse(
            lock_skip_locked(
                self.env.cr,
                """
                SELECT id FROM account_move
                 WHERE id IN %s AND zeron_delivery_state = 'to_send'
                   FOR UPDATE SKIP LOCKED
                """,
                [tuple(self.ids)],
            )
        )

    def _zeron_send_invoices(self, auto_commit=False, batch_size=None):
        """Send these subscription invoices by their contract's delivery.

        :return: dict of counts ``emailed``, ``posted`` (queued as letters),
            ``skipped`` and ``failed``
        """
        result = {"emailed": 0, "posted": 0, "skipped": 0, "failed": 0}
        batch_size = batch_size or SENDING_BATCH_SIZE
        done = 0
        for company, moves in self.grouped("company_id").items():
            moves = moves.with_company(company)
            for batch_ids in split_every(batch_size, moves.ids):
                batch = moves.browse(batch_ids)
                locked = batch._zeron_lock_for_sending()
                result["skipped"] += len(batch) - len(locked)
                by_post = locked.filtered(
                    lambda m: m.zeron_contract_id.invoice_delivery == "post"
                )
                by_post._zeron_queue_letters()
                result["posted"] += len(by_post)
                counts = (locked - by_post)._zeron_send_by_email()
                result["emailed"] += counts["emailed"]
                result["failed"] += counts["failed"]
                done += len(batch)
                self.env["ir.cron"]._notify_progress(
                    done=done, remaining=len(self) - done
                )
                if auto_commit:
                    self._zeron_commit_progress()
        _logger.info(
            "Zeron invoice sending: %(emailed)s emailed, %(posted)s queued for "
            "post, %(skipped)s skipped, %(failed)s failed",
            result,
        )
        return result

    def _zeron_commit_progress(self):
        # Commit per batch in the scheduled run, so emails already queued are
        # recorded as sent even if a later batch crashes; never in tests.
        if not getattr(threading.current_thread(), "testing", False):
            self.env.cr.commit()  # pylint: disable=invalid-commit
        self.env.invalidate_all()

    def _zeron_queue_letters(self):
        """Add these invoices to their company's open letter batch."""
        if not self:
            return
        letters = []
        for company, moves in self.grouped("company_id").items():
            batch = self.env["zeron.letter.batch"]._get_open_batch(company)
            letters += [
                {
                    "batch_id": batch.id,
                    "kind": "invoice",
                    "contract_id": move.zeron_contract_id.id,
                    "partner_id": move.partner_id.id,
                    "move_id": move.id,
                }
                for move in moves
            ]
        self.env["zeron.letter"].create(letters)
        self.zeron_delivery_state = "to_print"

    def _zeron_send_by_email(self):
        """Email these locked invoices with their PDF, through account.move.send.

        An invoice whose customer has no email address is flagged and logged
        on its contract. The others are sent together; if that fails, each is
        retried alone so one bad invoice does not hold back the rest.

        :return: dict of counts ``emailed`` and ``failed``
        """
        counts = {"emailed": 0, "failed": 0}
        no_address = self.filtered(lambda m: not m.partner_id.email)
        for move in no_address:
            move._zeron_flag_delivery_error(
                self.env._(
                    "customer %(partner)s has no email address",
                    partner=move.partner_id.display_name,
                )
            )
        counts["failed"] += len(no_address)
        moves = self - no_address
        if not moves:
            return counts
        try:
            with self.env.cr.savepoint():
                moves._zeron_generate_and_send()
            counts["emailed"] += len(moves)
            return counts
        except Exception:  # noqa: BLE001 - retried one by one below
            _logger.info(
                "Sending %s invoices at once failed; retrying one by one", len(moves)
            )
        for move in moves:
            try:
                with self.env.cr.savepoint():
                    move._zeron_generate_and_send()
                counts["emailed"] += 1
            except Exception as error:  # noqa: BLE001 - logged and flagged
                _logger.exception("Sending invoice %s failed", move.id)
                move._zeron_flag_delivery_error(str(error))
                counts["failed"] += 1
        return counts

    def _zeron_generate_and_send(self):
        """Generate the PDFs of these invoices and email them; raise on failure."""
        self.env["account.move.send"]._generate_and_send_invoices(
            self,
            allow_raising=True,
            sending_methods={"email"},
        )
        self.zeron_delivery_state = "sent"
        for move in self:
            # an invoice grouping contracts is logged on each of them
            for contract in move.zeron_contract_ids:
                contract.message_post(
                    body=Markup("<p>%s</p>")
                    % self.env._(
                        "Invoice %(invoice)s emailed to %(partner)s.",
                        invoice=move.name,
                        partner=move.partner_id.display_name,
                    )
                )

    def _zeron_flag_delivery_error(self, message):
        """Record on the invoice and its contract why it could not be sent."""
        self.ensure_one()
        self.zeron_delivery_state = "failed"
        for contract in self.zeron_contract_ids:
            contract.message_post(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "Invoice %(invoice)s could not be sent: %(error)s",
                    invoice=self.name,
                    error=message,
                )
            )

    def action_zeron_send_now(self):
        """Send these subscription invoices now, as the scheduled run would."""
        moves = self.filtered(lambda m: m.zeron_delivery_state in ("to_send", "failed"))
        if not moves:
            raise UserError(
                self.env._("These invoices have already been sent to the customer.")
            )
        moves.filtered(lambda m: m.zeron_delivery_state == "failed").write(
            {"zeron_delivery_state": "to_send"}
        )
        moves._zeron_send_invoices()
        return True

    def action_zeron_retry_delivery(self):
        """Put failed subscription invoices back in the sending queue."""
        self.filtered(
            lambda m: m.zeron_delivery_state == "failed"
        ).zeron_delivery_state = "to_send"

    # === CRON METHODS === #

    @api.model
    def _cron_zeron_send_invoices(self, batch_size=SENDING_BATCH_SIZE):
        companies = self.env["res.company"]._zeron_get_cron_companies()
        moves = self.with_context(allowed_company_ids=companies.ids).search(
            expression.AND([self._get_zeron_invoices_to_send_domain()]),
            order="id",
        )
        return moves._zeron_send_invoices(auto_commit=True, batch_size=batch_size)
