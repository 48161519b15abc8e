"""Type the invoiced periods before the ORM computes their new fields.

``zeron.contract.period`` gets a type and a stored computed adjustment; left to
the ORM, the update would compute it period by period. Every period so far is
an invoiced one (or an opening balance), except the days a change carried over
to a successor line: those keep their old meaning, with no adjustment.
"""

import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        ALTER TABLE zeron_contract_period
            ADD COLUMN IF NOT EXISTS period_type VARCHAR,
            ADD COLUMN IF NOT EXISTS adjust BOOLEAN,
            ADD COLUMN IF NOT EXISTS adjustment_amount NUMERIC,
            ADD COLUMN IF NOT EXISTS adjustment_due BOOLEAN;
        UPDATE zeron_contract_period
           SET period_type = 'invoice',
               adjust = TRUE,
               adjustment_amount = 0.0,
               adjustment_due = FALSE
         WHERE period_type IS NULL;
        UPDATE zeron_contract_period period
           SET period_type = 'carried', adjust = FALSE
          FROM zeron_contract_line line
         WHERE line.id = period.line_id
           AND line.predecessor_id IS NOT NULL
           AND period.invoice_line_id IS NULL
           AND period.date_start = line.date_start
        """
    )
    _logger.info("Typed the days %s successor lines carried over", cr.rowcount)
