"""Alembic environment: runs migrations on the connection Vigil hands it."""

from __future__ import annotations

from alembic import context

from vigil.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("vigil migrations run through vigil.store.engine.open_workspace")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
