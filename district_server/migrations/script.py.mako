"""${message}"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

# Columns are declared with schema_kit (columns, add_columns): see its docstring.
from counter_app.db.schema_kit import downgrade as downgrade
${imports if imports else ""}

revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}
