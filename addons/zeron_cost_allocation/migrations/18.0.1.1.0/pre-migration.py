"""Keep the journal items of existing companies' landed costs as they were.

Version 18.0.1.1.0 adds the company setting *Landed Cost Journal Items*, whose
default sums the goods' debits of a landed cost per account. Companies of a
database upgraded from an earlier version booked one debit per goods line until
now: they keep it, until someone chooses otherwise in the settings. Companies
created later take the default.
"""

import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        ALTER TABLE res_company
            ADD COLUMN IF NOT EXISTS zeron_landed_cost_entry_detail VARCHAR;
        UPDATE res_company
           SET zeron_landed_cost_entry_detail = 'product'
         WHERE zeron_landed_cost_entry_detail IS NULL
        """
    )
    _logger.info(
        "Kept one landed cost journal item per product for %s companies",
        cr.rowcount,
    )
