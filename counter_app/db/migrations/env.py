"""Alembic environment: always runs on the connection the store hands over (never a URL)."""

from __future__ import annotations

from alembic import context

from counter_app.db.models import SQLModel

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,  # SQLite can only ALTER by copying tables; batch mode does that safely
)
with context.begin_transaction():
    context.run_migrations()
