"""The first schema: office, catalogue, applicants, dossiers, documents, events, outbox, codes,
calendar."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from counter_app.db.schema_kit import BOOL, FLOAT, INT, STR, columns
from counter_app.db.schema_kit import downgrade as downgrade

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table("office", *columns(
        id=INT.pk, agency_code=STR, agency_name=STR, office_name=STR, place=STR, counter=INT, created_at=STR,
        settings_json=STR))
    op.create_table("procedure", *columns(
        code=STR.pk, name=STR, name_folded=STR, field=STR, working_days=FLOAT, fee=STR, fee_amount=INT.null,
        documents_json=STR, active=BOOL, updated_at=STR))
    op.create_table("applicant", *columns(
        id=STR.pk, full_name=STR, name_folded=STR, id_number=STR, old_id_number=STR, birth_date=STR.null,
        gender=STR, address=STR, phone=STR, email=STR, extra_json=STR))
    op.create_index("ix_applicant_id_number", "applicant", ["id_number"])
    op.create_index("ix_applicant_phone", "applicant", ["phone"])
    op.create_table("dossier", *columns(
        id=STR.pk, code=STR.unique, agency_code=STR, counter=INT, procedure_code=STR, procedure_name=STR,
        working_days=FLOAT, applicant_id=STR.references("applicant.id"), status=INT, channel=INT, sets=INT,
        received_at=STR, start_at=STR, due_at=STR, returned_at=STR.null,
        recipient_name=STR.null, recipient_id_number=STR.null, recipient_relation=STR.null,
        note=STR, officer=STR, created_at=STR, updated_at=STR))
    op.create_index("ix_dossier_received_at", "dossier", ["received_at"])
    op.create_index("ix_dossier_status_due", "dossier", ["status", "due_at"])
    op.create_index("ix_dossier_applicant", "dossier", ["applicant_id"])
    op.create_table("dossier_document", *columns(
        id=INT.pk, dossier_id=STR.references("dossier.id"), position=INT, name=STR, form=STR, count=INT))
    op.create_index("ix_dossier_document_dossier", "dossier_document", ["dossier_id", "position"])
    op.create_table("status_event", *columns(
        id=STR.pk, dossier_id=STR.references("dossier.id"), kind=STR, from_status=INT.null, to_status=INT,
        at=STR, officer=STR, actor=STR, note=STR, payload_json=STR))
    op.create_index("ix_status_event_dossier", "status_event", ["dossier_id", "at"])
    op.create_table("outbox", *columns(
        seq=INT.serial, event_id=STR.unique, dossier_id=STR, kind=STR, payload_json=STR, created_at=STR,
        sent_at=STR.null, attempts=INT, last_error=STR, state=STR))
    op.create_index("ix_outbox_pending", "outbox", ["seq"], sqlite_where=sa.text("sent_at IS NULL"))
    op.create_table("code_counter", *columns(
        id=INT.pk, agency_code=STR, day=STR, counter=INT, last_n=INT),
        sa.UniqueConstraint("agency_code", "day", "counter"))
    op.create_table("calendar_year", *columns(year=INT.pk, official=BOOL, source=STR, updated_at=STR))
    op.create_table("calendar_day", *columns(day=STR.pk, year=INT, kind=STR, name=STR, origin=STR))
    op.create_index("ix_calendar_day_year", "calendar_day", ["year"])
