"""The name index keeps prefixes of 4 to 7 letters too, so a bare common surname is one page.

FTS5 answers a prefix query ("nguyen"*) from a prefix index when it has one of that length;
without it, it reads and merges every matching row first: 50–120 ms for "nguyen" (38% of a
million names) before the first of 50 rows comes back. Vietnamese syllables are at most seven
letters ("nghiêng"), so with prefixes 1–7 every syllable typed in part or whole is read newest
first and stops after a page; a longer prefix matches only rare words, cheap to merge.

Cost: the index grows by about a third (75 → 98 MB per million dossiers, ~1% of the store), each
intake writes 4 more entries per word, and this upgrade rebuilds the index (~1 min per million
dossiers, a few seconds for a commune's store)."""

from __future__ import annotations

from alembic import op

from counter_app.db.schema_kit import downgrade as downgrade

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    op.execute("DROP TABLE dossier_search")
    op.execute(
        "CREATE VIRTUAL TABLE dossier_search USING fts5("
        "name, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4 5 6 7')"
    )
    op.execute(
        "INSERT INTO dossier_search(rowid, name) "
        "SELECT d.search_key, a.name_folded FROM dossier d JOIN applicant a ON a.id = d.applicant_id"
    )
    op.execute("INSERT INTO dossier_search(dossier_search) VALUES ('optimize')")

