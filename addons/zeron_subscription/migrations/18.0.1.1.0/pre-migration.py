"""Fill the contracts of each invoice before the ORM computes them one by one.

``account.move.zeron_contract_ids`` is a new stored field; left to the ORM,
the update would load every journal entry of the database to compute it.
"""

import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        CREATE TABLE IF NOT EXISTS zeron_contract_account_move_rel (
            move_id INTEGER NOT NULL,
            contract_id INTEGER NOT NULL,
            PRIMARY KEY (move_id, contract_id)
        );
        CREATE INDEX IF NOT EXISTS zeron_contract_account_move_rel_contract_idx
            ON zeron_contract_account_move_rel (contract_id, move_id);
        INSERT INTO zeron_contract_account_move_rel (move_id, contract_id)
        SELECT id, zeron_contract_id
          FROM account_move
         WHERE zeron_contract_id IS NOT NULL
         UNION
        SELECT aml.move_id, zcl.contract_id
          FROM account_move_line aml
          JOIN zeron_contract_line zcl ON zcl.id = aml.zeron_contract_line_id
        ON CONFLICT DO NOTHING
        """
    )
    _logger.info("Linked %s invoices to their subscription contracts", cr.rowcount)
