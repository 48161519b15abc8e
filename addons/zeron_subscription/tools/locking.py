"""Row locks that leave to another worker what it already holds."""

import logging

import psycopg2

from odoo.tools import mute_logger

_logger = logging.getLogger(__name__)


def lock_skip_locked(cr, query, params):
    """Run ``query``, a ``SELECT id ... FOR UPDATE SKIP LOCKED``, and return
    the ids it locked, sorted.

    Rows that another transaction changed and committed after this one's
    snapshot cannot be locked under Odoo's REPEATABLE READ isolation:
    PostgreSQL raises a serialization failure, and Odoo retries the request
    or the scheduled job in a new transaction, which then skips those rows.
    That is how two runs at once are meant to meet, not an error: it is
    logged as information instead of as a bad query, and raised on.

    :param cr: database cursor
    :param query: the SQL query, with ``%s`` placeholders
    :param params: the query's parameters
    :return: sorted list of ids
    """
    try:
        with cr.savepoint(flush=False), mute_logger("odoo.sql_db"):
            cr.execute(query, params)
            return sorted(row[0] for row in cr.fetchall())
    except psycopg2.errors.SerializationFailure:
        _logger.info(
            "Rows to lock were changed by a concurrent transaction; Odoo retries"
        )
        raise
