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
        with self.env.protecting([self._fields["checked"]], self):
            self.with_context(tracking_disable=True).action_post()
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
            # what depends on the number follows, as if Odoo had written it
            moves.modified(["name"])
            moves._inverse_name()
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
