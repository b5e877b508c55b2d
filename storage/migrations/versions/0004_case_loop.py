"""case loop: one prompt per case and person (edited in place), why a case came back, shared notes

Revision ID: 0004_case_loop
Revises: 0003_enrolment_lockout
Create Date: 2026-12-09 10:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0004_case_loop"
down_revision: str | None = "0003_enrolment_lockout"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("followupcase", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reopen_reason", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
        batch_op.add_column(sa.Column("note_shared", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "caseprompt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("live", sa.Boolean(), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["followupcase.id"]),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("caseprompt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_caseprompt_case_id"), ["case_id"], unique=False)
        batch_op.create_index("ux_caseprompt_case_chat", ["case_id", "chat_id"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("caseprompt", schema=None) as batch_op:
        batch_op.drop_index("ux_caseprompt_case_chat")
        batch_op.drop_index(batch_op.f("ix_caseprompt_case_id"))
    op.drop_table("caseprompt")
    with op.batch_alter_table("followupcase", schema=None) as batch_op:
        batch_op.drop_column("note_shared")
        batch_op.drop_column("reopen_reason")
