"""Each dossier's two digitisation flags (docs/server-web.md, "Statistics"): `dossier.digitised`, every
paper of its checklist has a kept file (services/digitisation_stats.fully_digitised_sql, the one
definition), and `dossier.result_kept`, its result has one. Triggers keep them (migration 0009):
when a file reference is stored, and when a dossier arrives or its checklist size (`papers`)
changes. The statistics' running totals count them on the day received and the day ended
(counter_app/db/tally_sql.py), so the district's indicators read ~70k total rows a year instead of
probing `file_ref` for each of a year's dossiers.

A flag's update is itself a write of the dossier, so the totals' trigger moves its counts; it
happens only when a flag changes (a dossier with no file never is).
"""

from __future__ import annotations

import re

from counter_app.services.digitisation_stats import DISTRICT_FILES, fully_digitised_sql, result_digitised_sql


def _of_dossier(sql: str) -> str:
    """The definitions name the dossier `d`; an UPDATE inside a SQLite trigger takes no alias."""
    return re.sub(r"\bd\.", "dossier.", sql)


_FULL = _of_dossier(f"CASE WHEN {fully_digitised_sql(DISTRICT_FILES)} THEN 1 ELSE 0 END")
_RESULT = _of_dossier(f"CASE WHEN {result_digitised_sql(DISTRICT_FILES)} THEN 1 ELSE 0 END")


def _update(dossier_id: str) -> str:
    """Both flags of the dossier `dossier_id` (SQL) set from its file references, if either changes."""
    return (f"UPDATE dossier SET digitised = {_FULL}, result_kept = {_RESULT} WHERE dossier.id = {dossier_id} "
            f"AND (dossier.digitised <> {_FULL} OR dossier.result_kept <> {_RESULT});")


# The dossiers already held that have a file (the others keep 0).
FILL = (f"UPDATE dossier SET digitised = {_FULL}, result_kept = {_RESULT} "
        "WHERE dossier.id IN (SELECT dossier_id FROM file_ref)")

_HAS_FILE = "EXISTS (SELECT 1 FROM file_ref f WHERE f.dossier_id = NEW.id)"


def sqlite_triggers() -> list[str]:
    return [
        f"CREATE TRIGGER digitised_file_added AFTER INSERT ON file_ref BEGIN {_update('NEW.dossier_id')} END",
        f"CREATE TRIGGER digitised_dossier_added AFTER INSERT ON dossier WHEN {_HAS_FILE} "
        f"BEGIN {_update('NEW.id')} END",
        "CREATE TRIGGER digitised_papers_moved AFTER UPDATE OF papers ON dossier WHEN OLD.papers IS NOT NEW.papers "
        f"BEGIN {_update('NEW.id')} END",
    ]


def postgresql_triggers() -> list[str]:
    """One function for both tables; PostgreSQL's trigger WHEN takes no subquery, so the function
    checks whether a new dossier has a file."""
    return [
        "CREATE FUNCTION digitised_flags() RETURNS trigger LANGUAGE plpgsql AS $flags$ BEGIN "
        f"IF TG_TABLE_NAME = 'file_ref' THEN {_update('NEW.dossier_id')} "
        f"ELSIF TG_OP = 'INSERT' THEN IF {_HAS_FILE} THEN {_update('NEW.id')} END IF; "
        f"ELSIF OLD.papers IS DISTINCT FROM NEW.papers THEN {_update('NEW.id')} "
        "END IF; RETURN NULL; END $flags$",
        "CREATE TRIGGER digitised_file_added AFTER INSERT ON file_ref FOR EACH ROW EXECUTE FUNCTION digitised_flags()",
        "CREATE TRIGGER digitised_dossier_moved AFTER INSERT OR UPDATE OF papers ON dossier "
        "FOR EACH ROW EXECUTE FUNCTION digitised_flags()",
    ]
