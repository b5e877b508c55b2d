"""corrections: staff corrections of a message's sentiment or topics (labels only, training data)

Revision ID: 0005_corrections
Revises: 0004_case_loop
Create Date: 2026-12-16 10:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0005_corrections"
down_revision: str | None = "0004_case_loop"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "correction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("field", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("old_value", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("new_value", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["followupcase.id"]),
        sa.ForeignKeyConstraint(["message_id"], ["feedbackmessage.id"]),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("correction", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_correction_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_correction_created_at"), ["created_at"], unique=False)
        batch_op.create_index("ix_correction_message_field", ["message_id", "field", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("correction", schema=None) as batch_op:
        batch_op.drop_index("ix_correction_message_field")
        batch_op.drop_index(batch_op.f("ix_correction_created_at"))
        batch_op.drop_index(batch_op.f("ix_correction_case_id"))
    op.drop_table("correction")
