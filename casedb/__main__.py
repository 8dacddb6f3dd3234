"""``python -m casedb`` runs the ``casedb`` command."""
from casedb.cli import main

main()
