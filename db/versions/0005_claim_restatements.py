"""Where else a paper states a claim's finding.

Extraction keeps one claim per finding and lists the paper's other statements of it (abstract,
introduction, conclusion); they are stored on the claim so reports, ``synth claims show`` and
the web page can show them as restatements, never as evidence.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("claim") as batch:
        batch.add_column(sa.Column("restatements", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("claim") as batch:
        batch.drop_column("restatements")
