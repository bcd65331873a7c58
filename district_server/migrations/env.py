"""Alembic environment: runs on the connection the server hands over (never a URL of its own)."""

from __future__ import annotations

from alembic import context

from district_server.schema import metadata

connection = context.config.attributes["connection"]
# One transaction per migration on PostgreSQL (database.migrate hands over a connection outside
# any): a migration may then build an index outside a transaction (op.get_context().autocommit_block).
# SQLite's migrations run inside the caller's one IMMEDIATE transaction instead.
context.configure(connection=connection, target_metadata=metadata, render_as_batch=connection.dialect.name == "sqlite",
                  transaction_per_migration=True)
with context.begin_transaction():
    context.run_migrations()
