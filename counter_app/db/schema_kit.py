"""Column declarations in one line each for both databases: the counter's migrations, the district
server's migrations and its tables (district_server/schema.py) write `name=TYPE.modifier` instead of
a `sa.Column(...)` line per column, so a table reads as a list of its columns and their kinds.

    op.create_table("setting", *columns(key=STR.pk, value_json=STR, updated_at=STR))

A column is NOT NULL unless `.null`; `.pk` makes it (part of) the primary key, `.serial` a primary
key that counts up by itself, `.unique` a UNIQUE column, `.default("0")` gives a server default and
`.references("dossier.id")` a foreign key. Keyword order is column order.

Frozen by contract: the old migrations build their tables through this module, so what a declaration
renders must never change, or a store made today would differ from one upgraded from last year's.
tests/unit/test_migrated_schema.py and tests/server/test_migrated_schema.py pin the schema the
migrations produce; a new kind of column gets a new name here instead of changing an old one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa


@dataclass(frozen=True)
class Col:
    """How one column is declared, before it has a name."""

    kind: Any  # a SQLAlchemy type or type class
    nullable: bool = False
    primary_key: bool = False
    autoincrement: bool = False
    is_unique: bool = False
    server_default: str | None = None
    foreign_key: str | None = None

    @property
    def null(self) -> Col:
        return replace(self, nullable=True)

    @property
    def pk(self) -> Col:
        return replace(self, primary_key=True)

    @property
    def serial(self) -> Col:
        return replace(self, primary_key=True, autoincrement=True)

    @property
    def unique(self) -> Col:
        return replace(self, is_unique=True)

    def default(self, value: str) -> Col:
        return replace(self, server_default=value)

    def references(self, target: str) -> Col:
        return replace(self, foreign_key=target)

    def column(self, name: str) -> sa.Column:
        args: list[Any] = [name, self.kind]
        if self.foreign_key:
            args.append(sa.ForeignKey(self.foreign_key))
        options: dict[str, Any] = {"primary_key": True} if self.primary_key else {"nullable": self.nullable}
        if self.autoincrement:
            options["autoincrement"] = True
        if self.is_unique:
            options["unique"] = True
        if self.server_default is not None:
            options["server_default"] = self.server_default
        return sa.Column(*args, **options)


def columns(**declared: Col) -> list[sa.Column]:
    """The named columns, in the order written."""
    return [col.column(name) for name, col in declared.items()]


def add_columns(table: str, **declared: Col) -> None:
    """A migration step: add the columns to an existing table (SQLite copies it only when it must)."""
    from alembic import op

    with op.batch_alter_table(table) as batch:
        for column in columns(**declared):
            batch.add_column(column)


def downgrade() -> None:
    """Every migration's way back: there is none (Alembic calls this only if asked to go down)."""
    raise NotImplementedError("This database never goes back to an older schema; restore a backup instead.")


# The counter's store: SQLite types without lengths (SQLite keeps any length anyway).
STR = Col(sa.String)
INT = Col(sa.Integer)
FLOAT = Col(sa.Float)
BOOL = Col(sa.Boolean)

# The district server: sized types, the same on SQLite and PostgreSQL.
TEXT = Col(sa.Text)
BIG = Col(sa.BigInteger)
# A 64-bit sequence on PostgreSQL; on SQLite the column must be exactly INTEGER to be the rowid.
BIG_SEQ = Col(sa.BigInteger().with_variant(sa.Integer(), "sqlite")).serial


def s(length: int) -> Col:
    """The server's VARCHAR(length)."""
    return Col(sa.String(length))
