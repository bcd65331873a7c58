"""Personal data: one citizen's dossiers on request."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from counter_app import clock
from counter_app.db.models import Applicant, Dossier
from counter_app.domain import validation
from counter_app.services.dossiers import dossier_dict
from counter_app.services.workflow import history


def export_person(session: Session, id_number: str) -> dict[str, Any]:
    number = validation.id_number(id_number)
    stmt = (select(Dossier).join(Applicant, Applicant.id == Dossier.applicant_id)
            .where(Applicant.id_number == number).order_by(Dossier.received_at))
    dossiers = [{**dossier_dict(session, d), "history": history(session, d.code)} for d in session.exec(stmt)]
    return {"id_number": number, "exported_at": clock.iso(clock.now()), "dossiers": dossiers}
