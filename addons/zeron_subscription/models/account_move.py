from collections import defaultdict

from odoo import api, fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    zeron_contract_id = fields.Many2one(
        comodel_name="zeron.contract",
        string="Subscription Contract",
        index="btree_not_null",
        readonly=True,
        copy=False,
        help="The contract this invoice was made for; on an invoice grouping "
        "several contracts, the first of them.",
    )
    zeron_contract_ids = fields.Many2many(
        comodel_name="zeron.contract",
        relation="zeron_contract_account_move_rel",
        column1="move_id",
        column2="contract_id",
        string="Subscription Contracts",
        compute="_compute_zeron_contract_ids",
        store=True,
        copy=False,
        help="Every contract this invoice bills.",
    )

    # === COMPUTE METHODS === #

    @api.depends("zeron_contract_id", "line_ids.zeron_contract_line_id")
    def _compute_zeron_contract_ids(self):
        for move in self:
            move.zeron_contract_ids = (
                move.zeron_contract_id
                | move.line_ids.zeron_contract_line_id.contract_id
            )

    # === BUSINESS METHODS === #

    def _post(self, soft=True):
        # an invoice cancelled, billed again, then reset and posted must not
        # bill its periods a second time: record them again, or refuse
        self.line_ids._zeron_record_periods()
        posted = super()._post(soft=soft)
        # a credit note reversing a billed period makes it due again
        posted.line_ids._zeron_release_credited_periods()
        return posted

    def button_cancel(self):
        # a cancelled invoice no longer bills its periods: make them due again
        self._zeron_release_periods()
        return super().button_cancel()

    def _zeron_release_periods(self):
        self.line_ids._zeron_release_periods()

    @api.model
    def _zeron_create_run_invoices(self, vals_list):
        """Create the invoices of an invoicing run, their journal items complete.

        Odoo completes an invoice's journal items (the taxes, the receivable
        by payment term, the amounts of the product lines) by comparing every
        item of the batch before and after each create or write. A run only
        creates new invoices, so their items are computed here once, by the
        same tax and payment term methods Odoo's synchronisation calls, and
        created in one go; the invoices are then posted without that
        comparison (see ``_zeron_post_run_invoices``). Invoices outside what is
        computed here (see ``_zeron_can_complete_lines``) are left to Odoo.

        :param list vals_list: vals dicts of invoices whose ``invoice_line_ids``
            are product lines (or sections and notes)
        :return: the invoices, in the order of ``vals_list``
        """
        completed = [self._zeron_can_complete_lines(vals) for vals in vals_list]
        today = fields.Date.context_today(self)
        fast = self.with_context(
            skip_invoice_sync=True,
            skip_invoice_line_sync=True,
            check_move_validity=False,
        ).create(
            [
                # Odoo's due date until the payment terms give one: today
                {"invoice_date_due": today, **vals}
                for vals, ok in zip(vals_list, completed, strict=True)
                if ok
            ]
        )
        fast._zeron_complete_lines()
        slow = self.create(
            [vals for vals, ok in zip(vals_list, completed, strict=True) if not ok]
        )
        fast_iter, slow_iter = iter(fast), iter(slow)
        return self.browse(
            [next(fast_iter if ok else slow_iter).id for ok in completed]
        )

    @api.model
    def _zeron_can_complete_lines(self, vals):
        """Whether ``_zeron_complete_lines`` computes all the journal items of
        the invoice ``vals``; not: early payment discounts, cash rounding,
        journal items other than invoice lines, invoices without product
        lines."""
        term = self.env["account.payment.term"].browse(
            vals.get("invoice_payment_term_id")
        )
        lines = vals.get("invoice_line_ids", [])
        return (
            vals.get("move_type") in ("out_invoice", "out_refund")
            and not term.early_discount
            and not vals.get("invoice_cash_rounding_id")
            and not vals.get("line_ids")
            and all(
                command[0] == fields.Command.CREATE
                and command[2].get("display_type", "product")
                in ("product", "line_section", "line_note")
                for command in lines
            )
            # Odoo gives an invoice without product lines no receivable
            and any(
                command[2].get("display_type", "product") == "product"
                for command in lines
            )
        )

    def _zeron_complete_lines(self):
        """Give these new invoices their tax and payment term items and the
        amounts of their product items, as Odoo's synchronisation would.

        The amounts come from Odoo's own methods (``account.tax``'s tax lines,
        the payment term's ``_compute_terms``); the invoices must hold only
        product lines, sections and notes, created without synchronisation.
        """
        # balanced once complete: posting checks it
        moves = self.with_context(
            skip_invoice_sync=True,
            skip_invoice_line_sync=True,
            check_move_validity=False,
            skip_is_manually_modified=True,
        )
        to_create = []
        due_dates = defaultdict(list)
        # the due date is set from the payment terms, not recomputed from the
        # items on each change
        with self.env.protecting([self._fields["invoice_date_due"]], self):
            for move in moves:
                items, due = move._zeron_prepare_complete_lines()
                to_create += items
                if due != move.invoice_date_due:
                    due_dates[due].append(move.id)
            moves.env["account.move.line"].create(to_create)
            for due, move_ids in due_dates.items():
                moves.browse(move_ids).write({"invoice_date_due": due})

    def _zeron_prepare_complete_lines(self):
        """Write this new invoice's product item amounts and return the values
        of its tax and payment term items, and its due date.

        :return: tuple (list of vals dicts for ``account.move.line``, date)
        """
        self.ensure_one()
        AccountTax = self.env["account.tax"]
        base_lines, _tax_lines = self._get_rounded_base_and_tax_lines(
            round_from_tax_lines=False
        )
        AccountTax._add_accounting_data_in_base_lines_tax_details(
            base_lines, self.company_id, include_caba_tags=self.always_tax_exigible
        )
        tax_results = AccountTax._prepare_tax_lines(base_lines, self.company_id)
        # totals signed as the receivable: positive on a customer invoice
        untaxed = untaxed_currency = tax = tax_currency = 0.0
        for base_line, to_update in tax_results["base_lines_to_update"]:
            base_line["record"].with_env(self.env).write(to_update)
            untaxed -= to_update["balance"]
            untaxed_currency -= to_update["amount_currency"]
        to_create = []
        for tax_vals in tax_results["tax_lines_to_add"]:
            to_create.append({**tax_vals, "display_type": "tax", "move_id": self.id})
            tax -= tax_vals["balance"]
            tax_currency -= tax_vals["amount_currency"]
        terms = self._zeron_get_payment_terms(
            untaxed, untaxed_currency, tax, tax_currency
        )
        for date_maturity, amounts in terms.items():
            to_create.append(
                {
                    **amounts,
                    "move_id": self.id,
                    "display_type": "payment_term",
                    "date_maturity": date_maturity,
                    "discount_date": False,
                    "discount_balance": 0.0,
                    "discount_amount_currency": 0.0,
                }
            )
        return to_create, max(terms)

    def _zeron_get_payment_terms(self, untaxed, untaxed_currency, tax, tax_currency):
        """Return ``{due date: {balance, amount_currency}}``, the receivable
        items of this invoice by due date, as Odoo's ``needed_terms``.

        The amounts, given and returned, are signed as the receivable: positive
        on a customer invoice, negative on a credit note. Without payment
        terms, the whole total is due on the invoice's due date (set at its
        creation: Odoo's default, today, unless given).
        """
        self.ensure_one()
        if not self.invoice_payment_term_id:
            return {
                self.invoice_date_due: {
                    "balance": untaxed + tax,
                    "amount_currency": untaxed_currency + tax_currency,
                }
            }
        computed = self.invoice_payment_term_id._compute_terms(
            date_ref=self.invoice_date or self.date or fields.Date.context_today(self),
            currency=self.currency_id,
            tax_amount_currency=tax_currency,
            tax_amount=tax,
            untaxed_amount_currency=untaxed_currency,
            untaxed_amount=untaxed,
            company=self.company_id,
            cash_rounding=self.invoice_cash_rounding_id,
            sign=1 if self.is_inbound(include_receipts=True) else -1,
        )
        terms = {}
        for term in computed["line_ids"]:
            due = fields.Date.to_date(term.get("date"))
            amounts = terms.setdefault(due, {"balance": 0.0, "amount_currency": 0.0})
            amounts["balance"] += term["company_amount"]
            amounts["amount_currency"] += term["foreign_amount"]
        return terms

    def _zeron_post_run_invoices(self):
        """Post the invoices of an invoicing run, in one batch.

        What Odoo does one invoice at a time when posting is done here for
        the whole batch first, and posting then finds it done:

        - the invoice numbers (see ``_zeron_number_for_posting``);
        - each customer following its invoice (one insert);
        - the "Checked" box: Odoo ticks it with a separate write per invoice,
          which runs the whole invoice update (line synchronisation, lock date
          checks) again; here it is stored with the posting's own update.
        """
        numbered = self._zeron_number_for_posting()
        self._zeron_subscribe_customers()
        # Their journal items are complete (see ``_zeron_create_run_invoices``):
        # posting need not compare them again, unless a lock date moves the
        # accounting date (and with it the currency rate) meanwhile.
        moved = self.filtered(
            lambda m: m._get_violated_lock_dates(m.date, m._affect_tax_report())
        )
        # the due dates stand (the payment terms gave them): posting changes
        # the totals' state, not the terms
        protected = [self._fields["checked"], self._fields["invoice_date_due"]]
        with self.env.protecting(protected, self):
            for moves, complete in ((self - moved, True), (moved, False)):
                if moves:
                    moves.with_context(
                        tracking_disable=True, skip_invoice_sync=complete
                    ).action_post()
        self.modified(["checked"])
        # Each number follows one that exists, but the one before the first
        # may have been committed by another run after this transaction's
        # snapshot, where Odoo looks for it: it would see a gap that is not.
        flagged = numbered.filtered("made_sequence_gap")
        if flagged:
            flagged.flush_recordset(["made_sequence_gap"])
            self.env.cr.execute(
                "UPDATE account_move SET made_sequence_gap = FALSE WHERE id IN %s",
                [tuple(flagged.ids)],
            )
            flagged.invalidate_recordset(["made_sequence_gap"])

    def _zeron_subscribe_customers(self):
        """Make each invoice's customer a follower, with the default subtypes.

        As Odoo's posting does for each invoice: archived customers are left
        out; customers get the external subtypes, internal users the default
        ones.
        """
        moves = self.sudo().filtered(
            lambda m: m.partner_id.active and m.partner_id not in m.message_partner_ids
        )
        if not moves:
            return
        default, _internal, external = self.env[
            "mail.message.subtype"
        ].default_subtypes(self._name)
        self.env["mail.followers"].sudo().create(
            [
                {
                    "res_model": self._name,
                    "res_id": move.id,
                    "partner_id": move.partner_id.id,
                    "subtype_ids": [
                        fields.Command.set(
                            (external if move.partner_id.partner_share else default).ids
                        )
                    ],
                }
                for move in moves
            ]
        )
        moves.invalidate_recordset(["message_follower_ids", "message_partner_ids"])

    def _zeron_number_for_posting(self):
        """Number these draft invoices of one invoicing run in one go.

        Odoo numbers an invoice when it is posted, one at a time: two lookups
        of the journal's last number, a savepoint and two updates each. The run
        holds its company's numbering lock while it posts, so the numbers of a
        journal and day can be taken together, in one statement, from the
        last number: the highest of the one this transaction sees and the one
        committed meanwhile by another run (this transaction's snapshot may be
        older than that run's commit). The format of a new sequence (a new
        year, say) is Odoo's own, as it numbers the first invoice. Invoices
        that already have a number are left as they are.

        :return: the invoices numbered here
        """
        to_number = self.filtered(
            lambda m: m.state == "draft" and (not m.name or m.name == "/")
        )
        numbered = self.browse()
        for (journal, _day), moves in to_number.grouped(
            lambda m: (m.journal_id, m.date)
        ).items():
            # the order in which Odoo itself would number them when posting
            moves = moves.sorted(lambda m: (m.ref or "", m.id))
            last = moves[0]._get_last_sequence()
            if last:
                format_string, values = moves[:1]._get_sequence_format_param(last)
            else:
                # a new sequence (a new year, say): Odoo chooses its format
                # for the first invoice, whose number is then given again below
                moves[0]._set_next_sequence()
                format_string, values = moves[:1]._get_sequence_format_param(
                    moves[0].name
                )
                values["seq"] -= 1
            prefix = format_string.split("{seq")[0].format(**values)
            values["seq"] = max(
                values["seq"], self._zeron_get_committed_number(journal, prefix)
            )
            rows = []
            for move in moves:
                values["seq"] += 1
                rows.append(
                    (move.id, format_string.format(**values), prefix, values["seq"])
                )
            moves.flush_recordset()
            self.env.cr.execute_values(
                """
                UPDATE account_move AS move
                   SET name = row.name, sequence_prefix = row.prefix,
                       sequence_number = row.number
                  FROM (VALUES %s) AS row(id, name, prefix, number)
                 WHERE move.id = row.id
                """,
                rows,
                page_size=len(rows),
            )
            moves.invalidate_recordset(["name", "sequence_prefix", "sequence_number"])
            # what depends on the number follows, as if Odoo had written it:
            # the payment reference (Odoo's inverse of the number; its other
            # half, clearing the gap flag of the numbers that follow, has
            # nothing to do: these are the sequence's last numbers)
            moves.modified(["name"])
            moves._conditional_add_to_compute("payment_reference", bool)
            numbered |= moves
        return numbered

    def _zeron_get_committed_number(self, journal, prefix):
        """Return the highest number of ``journal``'s sequence ``prefix`` that
        is committed, seen on a fresh snapshot (0 if none)."""
        with self.env.registry.cursor() as cr:
            cr.execute(
                """
                SELECT COALESCE(MAX(sequence_number), 0) FROM account_move
                 WHERE journal_id = %s AND sequence_prefix = %s
                """,
                [journal.id, prefix],
            )
            return cr.fetchone()[0]
