"""Imported by the parse workers' fork server (:func:`casedb.store.worker.pool_context`), and only there: it makes,
once in the server, what each worker forked from it would otherwise make on its first document (together about
70 ms of CPU a worker): the rows module imported, the table of divisions read, and the rule that tells which
characters the traditional → simplified conversion may change compiled."""
from casedb import places, read
from casedb.store import rows  # noqa: F401  (imported for the workers)

places._table()
read._t2s_changes()
