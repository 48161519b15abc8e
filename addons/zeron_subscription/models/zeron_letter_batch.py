import base64
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.pdf import merge_pdf

_logger = logging.getLogger(__name__)

ADDRESS_REPORT = "zeron_subscription.zeron_letter_address_report"
LETTER_REPORT = "zeron_subscription.zeron_letter_document_report"
INVOICE_REPORT = "account.account_invoices"


class ZeronLetterBatch(models.Model):
    """Letters printed together: invoices and notices sent by post.

    Printing gives one PDF in which each document follows an address page
    laid out for a windowed envelope, and records when it was printed.
    """

    _name = "zeron.letter.batch"
    _description = "Letter Batch"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        required=True,
        copy=False,
        readonly=True,
        default=lambda self: self.env._("New"),
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    state = fields.Selection(
        selection=[("draft", "Open"), ("printed", "Printed")],
        default="draft",
        required=True,
        tracking=True,
        index=True,
    )
    letter_ids = fields.One2many(
        comodel_name="zeron.letter",
        inverse_name="batch_id",
        string="Letters",
    )
    letter_count = fields.Integer(compute="_compute_letter_count")
    date_printed = fields.Datetime(string="Printed On", readonly=True, copy=False)
    printed_by_id = fields.Many2one(
        comodel_name="res.users",
        readonly=True,
        copy=False,
    )
    attachment_id = fields.Many2one(
        comodel_name="ir.attachment",
        string="Printed PDF",
        readonly=True,
        copy=False,
    )

    # === COMPUTE METHODS === #

    def _compute_letter_count(self):
        counts = dict(
            self.env["zeron.letter"]._read_group(
                [("batch_id", "in", self.ids)],
                groupby=["batch_id"],
                aggregates=["__count"],
            )
        )
        for batch in self:
            batch.letter_count = counts.get(batch, 0)

    # === CRUD METHODS === #

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                company = self.env["res.company"].browse(vals.get("company_id"))
                vals["name"] = self.env["ir.sequence"].with_company(
                    company or self.env.company
                ).next_by_code("zeron.letter.batch") or self.env._("New")
        return super().create(vals_list)

    # === ACTION METHODS === #

    def action_print(self):
        """Print this open batch: build its PDF and close it."""
        self.ensure_one()
        self._print()
        return self.action_download()

    def action_download(self):
        self.ensure_one()
        if not self.attachment_id:
            raise UserError(
                self.env._(
                    "Letter batch %(batch)s has not been printed yet.",
                    batch=self.display_name,
                )
            )
        return {
            "type": "ir.actions.act_url",
            "url": "/web/content/%s?download=true" % self.attachment_id.id,
            "target": "download",
        }

    # === BUSINESS METHODS === #

    @api.model
    def _get_open_batch(self, company):
        """Return the company's open batch, created if there is none."""
        batch = self.search(
            [("company_id", "=", company.id), ("state", "=", "draft")],
            order="id",
            limit=1,
        )
        return batch or self.create({"company_id": company.id})

    def _lock_for_printing(self):
        self.env.cr.execute(
            "SELECT id FROM zeron_letter_batch WHERE id = %s AND state = 'draft' "
            "FOR UPDATE NOWAIT",
            [self.id],
        )
        return bool(self.env.cr.fetchone())

    def _print(self):
        """Render the batch's PDF, attach it and mark the batch printed.

        Side effects: creates the attachment, marks the invoices sent and
        posts on the batch's chatter.
        """
        self.ensure_one()
        if self.state != "draft" or not self._lock_for_printing():
            raise UserError(
                self.env._(
                    "Letter batch %(batch)s is already printed.",
                    batch=self.display_name,
                )
            )
        if not self.letter_ids:
            raise UserError(
                self.env._(
                    "Letter batch %(batch)s has no letters to print.",
                    batch=self.display_name,
                )
            )
        pdf = self.letter_ids._render_letters_pdf()
        attachment = self.env["ir.attachment"].create(
            {
                "name": "%s.pdf" % self.name.replace("/", "_"),
                "datas": base64.b64encode(pdf),
                "mimetype": "application/pdf",
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        self.write(
            {
                "state": "printed",
                "date_printed": fields.Datetime.now(),
                "printed_by_id": self.env.user.id,
                "attachment_id": attachment.id,
            }
        )
        moves = self.letter_ids.move_id
        moves.write({"zeron_delivery_state": "printed", "is_move_sent": True})
        self.message_post(
            body=self.env._("%(count)s letters printed.", count=len(self.letter_ids)),
            attachment_ids=attachment.ids,
        )
        _logger.info("Zeron letter batch %s printed: %s letters", self.id, len(moves))
        return attachment


class ZeronLetter(models.Model):
    """One letter of a batch: an address page and the document it covers."""

    _name = "zeron.letter"
    _description = "Letter"
    _order = "batch_id, id"
    _check_company_auto = True

    batch_id = fields.Many2one(
        comodel_name="zeron.letter.batch",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="batch_id.company_id",
        store=True,
        index=True,
    )
    kind = fields.Selection(
        selection=[
            ("invoice", "Invoice"),
            ("expiry", "Expiry Warning"),
            ("price", "Price Revision"),
            ("currency", "Currency Changeover"),
        ],
        required=True,
    )
    contract_id = fields.Many2one(
        comodel_name="zeron.contract",
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Addressee",
        required=True,
    )
    move_id = fields.Many2one(
        comodel_name="account.move",
        string="Invoice",
        index="btree_not_null",
        ondelete="cascade",
        check_company=True,
    )
    reference_date = fields.Date(string="Announced Date")
    stage_id = fields.Many2one(
        comodel_name="zeron.expiry.stage",
        ondelete="set null",
    )
    state = fields.Selection(related="batch_id.state")

    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for letter in self:
            letter.display_name = "%s - %s" % (
                kinds.get(letter.kind, ""),
                letter.move_id.name or letter.contract_id.name or "",
            )

    def _get_letter_lang(self):
        self.ensure_one()
        return self.partner_id.lang or self.env.lang

    def _get_contract_term_end(self):
        """Return the end of the contract term this letter's date falls in."""
        self.ensure_one()
        if not self.contract_id or not self.reference_date:
            return False
        return self.contract_id._get_term_end(self.reference_date)

    def _get_sender_line(self):
        """Return the return address printed above the envelope window."""
        self.ensure_one()
        partner = self.company_id.partner_id
        city = " ".join(p for p in (partner.zip, partner.city) if p)
        parts = (self.company_id.name, partner.street, city, partner.country_id.name)
        return ", ".join(p for p in parts if p)

    def _render_pdf(self, report_ref, res_id):
        """Return the PDF bytes of one record's report."""
        streams = self.env["ir.actions.report"]._render_qweb_pdf_prepare_streams(
            report_ref, {}, [res_id]
        )
        return streams[res_id]["stream"].getvalue()

    def _render_address_pages(self):
        """Return ``{letter id: PDF bytes}`` of the address pages of these letters.

        The pages are rendered as one HTML document, one page per letter, so a
        batch needs a single wkhtmltopdf call; a letter the split misses is
        rendered alone.
        """
        streams = self.env["ir.actions.report"]._render_qweb_pdf_prepare_streams(
            ADDRESS_REPORT, {}, self.ids
        )
        return {
            letter.id: (streams.get(letter.id) or {}).get("stream")
            and streams[letter.id]["stream"].getvalue()
            or self._render_pdf(ADDRESS_REPORT, letter.id)
            for letter in self
        }

    def _render_letters_pdf(self):
        """Return the merged PDF of these letters: address page, then document.

        Each document is rendered on its own: an invoice reuses its stored PDF
        when it has one.
        TODO: render the documents of a batch in one wkhtmltopdf call, because
        it is faster; needs a wkhtmltopdf with patched Qt, which renders
        several bodies in one call (the Debian build exits with an error).
        """
        addresses = self._render_address_pages()
        parts = []
        for letter in self:
            parts.append(addresses[letter.id])
            if letter.move_id:
                parts.append(letter._render_pdf(INVOICE_REPORT, letter.move_id.id))
            else:
                parts.append(letter._render_pdf(LETTER_REPORT, letter.id))
        return merge_pdf(parts)
