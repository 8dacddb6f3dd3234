"""Imported by the parse workers' fork server (:func:`casedb.store.worker.pool_context`), and only there: it makes,
once in the server, what each worker forked from it would otherwise make when it starts or parses its first
document (together about 40 ms of CPU a worker): the pool's worker loop and ``ctypes`` imported (for
:func:`casedb.store.worker.start_worker`), the rows module imported, the table of divisions read, and the rule that
tells which characters the traditional → simplified conversion may change compiled, and the start of every rows
digest (a digest of the store's sources) made."""
import concurrent.futures.process  # noqa: F401  (imported for the workers, as are the two below)
import ctypes  # noqa: F401
import multiprocessing.synchronize  # noqa: F401

from casedb import places, read
from casedb.store import parsed, rows  # noqa: F401

places._table()
read._t2s_changes()
parsed._rows_digest_start()
