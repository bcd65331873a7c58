"""A dossier as the scripted interface prints it (docs/cli.md) and as screens read it."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session, select

from counter_app.db.models import Applicant, Dossier, DossierDocument, Outbox
from counter_app.domain.statuses import label


def applicant_dict(a: Applicant) -> dict[str, Any]:
    data = {
        "full_name": a.full_name,
        "id_number": a.id_number,
        "birth_date": a.birth_date or "",
        "gender": a.gender,
        "address": a.address,
        "phone": a.phone,
        "email": a.email,
    }
    if a.old_id_number:
        data["old_id_number"] = a.old_id_number
    extra = json.loads(a.extra_json or "{}")
    if extra:
        data["extra"] = extra
    return data


def documents_of(session: Session, dossier_id: str) -> list[DossierDocument]:
    stmt = select(DossierDocument).where(DossierDocument.dossier_id == dossier_id).order_by(DossierDocument.position)
    return list(session.exec(stmt).all())


def sync_state(session: Session, dossier_id: str) -> str:
    """synced, pending (waiting for the network) or rejected (the server refused an event of it)."""
    states = set(session.exec(
        select(Outbox.state).where(Outbox.dossier_id == dossier_id, Outbox.sent_at == None)  # noqa: E711
    ).all())
    return "rejected" if "rejected" in states else "pending" if states else "synced"


def dossier_dict(
    session: Session,
    dossier: Dossier,
    *,
    applicant: Applicant | None = None,
    documents: list[DossierDocument] | None = None,
    sync: str | None = None,
) -> dict[str, Any]:
    applicant = applicant or session.get(Applicant, dossier.applicant_id)
    documents = documents if documents is not None else documents_of(session, dossier.id)
    recipient = None
    if dossier.recipient_name:
        recipient = {"full_name": dossier.recipient_name, "id_number": dossier.recipient_id_number or "",
                     "relation": dossier.recipient_relation or ""}
    return {
        "id": dossier.id,
        "code": dossier.code,
        "status": dossier.status,
        "status_label": label(dossier.status),
        "procedure_code": dossier.procedure_code,
        "procedure_name": dossier.procedure_name,
        "working_days": dossier.working_days,
        "applicant": applicant_dict(applicant) if applicant else None,
        "documents": [{"name": d.name, "form": d.form, "count": d.count} for d in documents],
        "channel": dossier.channel,
        "sets": dossier.sets,
        "received_at": dossier.received_at,
        "start_at": dossier.start_at,
        "due_at": dossier.due_at,
        "finished_at": dossier.finished_at,
        "returned_at": dossier.returned_at,
        "recipient": recipient,
        "note": dossier.note,
        "officer": dossier.officer,
        "agency_code": dossier.agency_code,
        "sync": sync or sync_state(session, dossier.id),
    }
