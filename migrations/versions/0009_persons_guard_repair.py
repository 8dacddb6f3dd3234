"""Repair person links made without the sex/age guard (issue 19, Low).

Revision 0004 re-linked every stored case to its (city, year, series, number) person without the guard
the writer applies when it links a case (``casedb.store.write._person_id``): a case is not linked when a
case of another document already linked to that person has another sex or an age more than a year apart,
for then the same label names someone else. 0004 is now fixed in place, but that only helps databases
that had not run it yet: alembic never runs an applied revision again, so this revision applies the guard
to the links already stored. It walks each person's cases in the order they were written (by id) and
unlinks (``person_id = NULL``) each case that contradicts one kept before it; cases of one document are
not checked against each other, as the writer does not. On links the writer made, or the fixed 0004,
it changes nothing.

Downgrade changes nothing: the unguarded links were wrong, and are not made again.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    kept: dict[int, list[tuple]] = {}
    wrong = []
    for case_id, person_id, document_id, sex, age in bind.execute(sa.text(
            "SELECT id, person_id, document_id, sex, age FROM cases WHERE person_id IS NOT NULL ORDER BY id")):
        known = kept.setdefault(person_id, [])
        if any(document != document_id and ((other_sex and sex and other_sex != sex)
                                            or (other_age is not None and age is not None and abs(other_age - age) > 1))
               for document, other_sex, other_age in known):
            wrong.append(case_id)
        else:
            known.append((document_id, sex, age))
    unlink = sa.text("UPDATE cases SET person_id = NULL WHERE id IN :ids").bindparams(
        sa.bindparam("ids", expanding=True))
    for start in range(0, len(wrong), 1000):
        bind.execute(unlink, {"ids": wrong[start:start + 1000]})


def downgrade() -> None:
    pass
