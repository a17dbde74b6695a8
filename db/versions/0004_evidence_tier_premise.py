"""Evidence tier and the exact premise the model read.

A piece of evidence is a restatement, a citation, body support or independent cross-paper
support (see ``synth.verify.tiers``); reports and audits show the tier, and the JSON gives the
premise the NLI model actually read (the sentence with the context or neighbours it needed).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("evidence") as batch:
        batch.add_column(sa.Column("tier", sa.String(), nullable=False, server_default=""))
        batch.add_column(sa.Column("premise", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("evidence") as batch:
        batch.drop_column("premise")
        batch.drop_column("tier")
