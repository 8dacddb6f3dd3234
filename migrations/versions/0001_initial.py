"""Initial schema: documents and their versions, import runs, notices, cases, places, visits, relations.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _span_and_version() -> list[sa.Column]:
    return [
        sa.Column("span_start", sa.Integer(), nullable=True),
        sa.Column("span_end", sa.Integer(), nullable=True),
        sa.Column("parser_version", sa.String(32), nullable=False),
    ]


def _document_fk(table: str) -> sa.Column:
    return sa.Column("document_id", sa.Integer(),
                     sa.ForeignKey("documents.id", name=f"fk_{table}_document_id_documents", ondelete="CASCADE"),
                     nullable=False)


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source", sa.String(2048), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("encoding", sa.String(32), nullable=False),
        sa.Column("media_type", sa.String(128), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("first_seen", sa.DateTime(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.Column("source_present", sa.Boolean(), nullable=False),
        sa.Column("parser_version", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
        sa.UniqueConstraint("source", name="uq_documents_source"),
    )
    op.create_index("ix_documents_sha256", "documents", ["sha256"])

    op.create_table(
        "document_versions",
        sa.Column("id", sa.Integer(), primary_key=True),
        _document_fk("document_versions"),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("first_seen", sa.DateTime(), nullable=False),
        sa.Column("superseded_at", sa.DateTime(), nullable=False),
        sa.Column("parser_version", sa.String(32), nullable=False),
        sa.Column("cases_count", sa.Integer(), nullable=False),
        sa.Column("visits_count", sa.Integer(), nullable=False),
        sa.Column("relations_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_document_versions"),
    )
    op.create_index("ix_document_versions_document_id", "document_versions", ["document_id"])

    op.create_table(
        "import_runs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("command", sa.String(32), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("parser_version", sa.String(32), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in (
            "files_seen", "files_new", "files_changed", "files_unchanged", "files_failed", "files_missing",
            "rows_written")),
        sa.Column("errors", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_import_runs"),
    )

    op.create_table(
        "places",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("normalised_name", sa.String(512), nullable=False),
        sa.Column("city", sa.String(64), nullable=False),
        sa.Column("district", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_places"),
        sa.UniqueConstraint("normalised_name", "city", name="uq_places_name_city"),
    )

    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), primary_key=True),
        _document_fk("notices"),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("number", sa.String(64), nullable=True),
        sa.Column("issuer", sa.Text(), nullable=True),
        sa.Column("city", sa.String(64), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("year_in_text", sa.Boolean(), nullable=False),
        *_span_and_version(),
        sa.PrimaryKeyConstraint("id", name="pk_notices"),
    )
    for column in ("document_id", "city", "published"):
        op.create_index(f"ix_notices_{column}", "notices", [column])

    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("notice_id", sa.Integer(),
                  sa.ForeignKey("notices.id", name="fk_cases_notice_id_notices", ondelete="CASCADE"), nullable=False),
        _document_fk("cases"),
        sa.Column("label", sa.String(64), nullable=True),
        sa.Column("series", sa.String(32), nullable=True),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("sex", sa.String(8), nullable=True),
        sa.Column("age", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(16), nullable=True),
        sa.Column("occupation", sa.Text(), nullable=True),
        sa.Column("residence", sa.Text(), nullable=True),
        sa.Column("isolation_date", sa.Date(), nullable=True),
        sa.Column("positive_date", sa.Date(), nullable=True),
        sa.Column("diagnosis", sa.Text(), nullable=True),
        *_span_and_version(),
        sa.PrimaryKeyConstraint("id", name="pk_cases"),
    )
    for column in ("notice_id", "document_id", "category", "positive_date"):
        op.create_index(f"ix_cases_{column}", "cases", [column])
    op.create_index("ix_cases_series_number", "cases", ["series", "number"])

    op.create_table(
        "visits",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(),
                  sa.ForeignKey("cases.id", name="fk_visits_case_id_cases", ondelete="CASCADE"), nullable=True),
        sa.Column("notice_id", sa.Integer(),
                  sa.ForeignKey("notices.id", name="fk_visits_notice_id_notices", ondelete="CASCADE"), nullable=False),
        _document_fk("visits"),
        sa.Column("place_id", sa.Integer(), sa.ForeignKey("places.id", name="fk_visits_place_id_places"),
                  nullable=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("start", sa.DateTime(), nullable=True),
        sa.Column("end", sa.DateTime(), nullable=True),
        sa.Column("part_of_day", sa.String(8), nullable=True),
        sa.Column("place_text", sa.Text(), nullable=True),
        sa.Column("activity", sa.Text(), nullable=True),
        sa.Column("vehicle", sa.Text(), nullable=True),
        *_span_and_version(),
        sa.PrimaryKeyConstraint("id", name="pk_visits"),
    )
    for column in ("notice_id", "document_id"):
        op.create_index(f"ix_visits_{column}", "visits", [column])
    op.create_index("ix_visits_place_date", "visits", ["place_id", "date"])
    op.create_index("ix_visits_case_date", "visits", ["case_id", "date"])
    op.create_index("ix_visits_date", "visits", ["date"])

    op.create_table(
        "relations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(),
                  sa.ForeignKey("cases.id", name="fk_relations_case_id_cases", ondelete="CASCADE"), nullable=False),
        _document_fk("relations"),
        sa.Column("other_label", sa.String(64), nullable=False),
        sa.Column("other_case_id", sa.Integer(),
                  sa.ForeignKey("cases.id", name="fk_relations_other_case_id_cases", ondelete="SET NULL"),
                  nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("phrase", sa.Text(), nullable=True),
        *_span_and_version(),
        sa.PrimaryKeyConstraint("id", name="pk_relations"),
    )
    for column in ("case_id", "document_id", "other_label", "other_case_id", "kind"):
        op.create_index(f"ix_relations_{column}", "relations", [column])


def downgrade() -> None:
    for table in ("relations", "visits", "cases", "notices", "places", "import_runs", "document_versions",
                  "documents"):
        op.drop_table(table)
