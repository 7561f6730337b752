"""Alembic environment: the engine comes from the caller (checklists.store), never from a file."""

from __future__ import annotations

from alembic import context

from checklists.orm import Base

engine = context.config.attributes["engine"]
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
