"""Where the slip's look-up QR points (docs/server-web.md, "The slip's QR"): citizens' phones do not
trust the district server's own CA, so a counter pinned to it prints the QR only at the public
address the district announces; a server citizens can reach without a warning is used as it is."""

from __future__ import annotations

from pathlib import Path

import pytest

from counter_app.services import papers
from counter_app.sync import commands
from district_server import config
from tests.pdf_reading import decode, needs_pdftoppm, rasterise
from tests.server.helpers import LiveServer, intake_many, link_to

PUBLIC = "https://tracuu.binhmy.gov.vn"


def _lookup(store) -> str:  # noqa: ANN001 - Store
    with store.read() as session:
        return papers.lookup_url(session)


def _qrs_of_a_new_slip(store, tmp_path: Path) -> set[str]:  # noqa: ANN001 - Store
    """The QR codes a phone reads off a new dossier's slip, printed at 200 dpi."""
    from counter_app.db.models import Dossier

    [dossier_id] = intake_many(store, 1)
    with store.read() as session:
        pdf = papers.slip_pdf(session, session.get(Dossier, dossier_id).code)
    return decode(rasterise(pdf, tmp_path)[0])["qr"]


@needs_pdftoppm
def test_a_counter_pinned_to_the_districts_own_certificate_prints_no_lookup_qr(server_db, tokens,  # noqa: ANN001
                                                                               counter0, tmp_path: Path) -> None:
    with LiveServer(server_db) as server:
        link_to(counter0, server, tokens["c0"])
        commands.sync_once(counter0)
    assert _lookup(counter0) == "" and _qrs_of_a_new_slip(counter0, tmp_path) == set()


@needs_pdftoppm
def test_the_public_address_the_district_announces_reaches_the_slip_on_the_next_sync(  # noqa: ANN001
        server_db, tokens, counter0, tmp_path: Path) -> None:
    with LiveServer(server_db) as server:
        link_to(counter0, server, tokens["c0"])
    assert _lookup(counter0) == ""
    with LiveServer(server_db, public_url=PUBLIC, port=server.port) as server:  # the district set --public-url
        commands.sync_once(counter0)
    [qr] = _qrs_of_a_new_slip(counter0, tmp_path)
    assert _lookup(counter0) == f"{PUBLIC}/tra-cuu/" and qr.startswith(f"{PUBLIC}/tra-cuu/000.00.20.H12-")
    with LiveServer(server_db, port=server.port) as server:  # and taken back
        commands.sync_once(counter0)
    assert _lookup(counter0) == ""


def test_linking_to_a_server_with_a_public_address_takes_it_at_once(server_db, tokens, counter0) -> None:  # noqa: ANN001
    with LiveServer(server_db, public_url=PUBLIC) as server:
        link_to(counter0, server, tokens["c0"])
    assert _lookup(counter0) == f"{PUBLIC}/tra-cuu/"


def test_a_plain_http_server_is_its_own_lookup_address(server_db, tokens, counter0) -> None:  # noqa: ANN001
    with LiveServer(server_db, cert=None) as server:
        commands.link(counter0, server.url, tokens["c0"], plain_http=True)
        assert _lookup(counter0) == f"{server.url}/tra-cuu/"


@pytest.mark.parametrize("typed", ["tracuu.binhmy.gov.vn", "ftp://x.vn", "https://x.vn/?a=1", "https://"])
def test_a_mistyped_public_address_is_refused_in_vietnamese(typed: str) -> None:
    with pytest.raises(ValueError, match="không hợp lệ"):
        config.public_url(typed)
