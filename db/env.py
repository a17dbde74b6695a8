"""Alembic environment for synth's database.

synth runs migrations itself (``synth.store.migrate``) with an open connection, so this file
only wires that connection and the SQLModel metadata into Alembic. To write a new migration
from the models::

    alembic -c db/alembic.ini revision --autogenerate -m "what changed"

To take a database back to an earlier schema (synth itself only ever upgrades)::

    alembic -c db/alembic.ini -x url=sqlite:///path/to/synth.db downgrade 0006
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import synth.store.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from synth.store.db import include_object

config = context.config
target_metadata = SQLModel.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:  # invoked from the alembic command line (`-x url=...` names the db)
        url = context.get_x_argument(as_dictionary=True).get("url")
        # A plain engine: SQLite's foreign keys stay off, so a downgrade that rebuilds a table
        # (batch mode) never cascades into the rows that point at it.
        engine = create_engine(url or config.get_main_option("sqlalchemy.url"))
        with engine.begin() as connection:
            _migrate(connection)
    else:
        _migrate(connection)


def _migrate(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_object=include_object,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
    )
    with context.begin_transaction():
        context.run_migrations()


run()
