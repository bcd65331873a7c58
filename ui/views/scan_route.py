"""What a scan does, from any screen (ui/scanner.py hears it; the window hands it here): a dossier
code opens the return view (the citizen is back with the slip); an ID card's QR fills the intake
form, or elsewhere looks up that person's dossiers; a shop barcode or a garbled read is named as
such, and nothing is typed into any field."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from counter_app.domain.product_codes import product_barcode
from counter_app.errors import UserError
from ui import strings
from ui.scanner import ScanKind, classify

if TYPE_CHECKING:
    from ui.views.main_window import MainWindow


def route_scan(window: MainWindow, text: str) -> None:
    if window.office is None or QApplication.activeModalWidget() is not None:
        return  # no store yet, or a dialog is asking something: a scan is not its answer
    kind = classify(text)
    if kind is ScanKind.DOSSIER:
        window.open_return(text)
    elif kind is ScanKind.ID_CARD and window.tabs.currentWidget() is window.intake:
        try:
            window.intake.fill_from_card(text)  # it says so beside the fields it filled
        except UserError as exc:
            window.show_message(exc.message, "error")
        else:
            window.clear_error()
    elif kind is ScanKind.ID_CARD:
        number = text.split("|", 1)[0].strip()
        window.show_message(strings.Scan.CARD_SEARCH.format(number=number))
        window.tabs.setCurrentWidget(window.worklist)
        window.worklist.search_for(number)
    elif kind is ScanKind.PRODUCT:
        window.show_message(strings.Scan.PRODUCT.format(kind=product_barcode(text)), "error")
    elif "|" in text or text[:12].isdigit():
        window.show_message(strings.Scan.GARBLED_QR, "error")
    else:
        shown = text if len(text) <= 40 else text[:40] + "…"
        window.show_message(strings.Scan.GARBLED.format(text=shown), "error")
