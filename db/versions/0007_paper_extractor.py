"""The extraction version of a paper's stored text.

A paper stored from the same PDF bytes was never read again, so improvements to sentence
splitting and headings never reached a database that already held the paper. ``extractor``
records :data:`synth.extract.EXTRACTOR_VERSION`; papers stored before (0) are read again at
their next ingest.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("paper") as batch:
        batch.add_column(sa.Column("extractor", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("paper") as batch:
        batch.drop_column("extractor")
