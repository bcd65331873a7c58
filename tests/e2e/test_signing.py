"""Signing a component PDF with a real PKCS#11 token (docs/signing.md).

The token is Debian's SoftHSM 2 (package softhsm2): two tokens made by softhsm2-util in a throw-away
SOFTHSM2_CONF folder, keys generated on them through python-pkcs11, certificates issued by a test CA
made here with cryptography. pyHanko's validator is the judge of what was signed.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from reportlab.pdfgen import canvas

from counter_app.digitise.signing import TokenSettings, installed_modules, list_tokens, sign_pdf, verify_pdf
from counter_app.errors import UserError
from tests.signing_tokens import (
    EC_KEY,
    OFFICE_KEY,
    OFFICE_TOKEN,
    OLD_KEY,
    OLD_TOKEN,
    PIN,
    SOFTHSM,
    Tokens,
    issue_certificate,
    subject_name,
)


@pytest.fixture(scope="module")
def time_stamp_server(tokens: Tokens) -> Iterator[str]:
    """An RFC 3161 time-stamp server on localhost (pyHanko's own TSA behind HTTP), its certificate
    issued by the test CA for time-stamping only."""
    from asn1crypto import tsp
    from pyhanko.sign.timestamps import DummyTimeStamper

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    certificate = issue_certificate(subject_name("TSA thử nghiệm"), key.public_key(), tokens.ca.subject,
                                    tokens.ca_key, (-1, 365),
                                    x509.ExtendedKeyUsage([x509.ExtendedKeyUsageOID.TIME_STAMPING]))
    tsa = DummyTimeStamper(_asn1(certificate), _asn1_key(key))

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 — http.server's name
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            answer = tsa.request_tsa_response(request).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def _component_pdf(serial: str = "0001") -> bytes:
    """A one-page component as the scan step leaves it; its page text kept uncompressed so a test
    can change one byte of what was signed without breaking the file."""
    buffer = BytesIO()
    page = canvas.Canvas(buffer, pageCompression=0)
    page.drawString(72, 720, f"Giay khai sinh - ban sao dien tu {serial}")
    page.showPage()
    page.save()
    return buffer.getvalue()


def _sign(token: TokenSettings, pin: str = PIN, pdf: bytes | None = None) -> bytes:
    return sign_pdf(pdf or _component_pdf(), token, pin, reason="Sao y bản chính", location="UBND xã Phú Xuân")


def test_a_component_signed_with_the_office_token_verifies_as_the_officer(tokens: Tokens) -> None:
    original = _component_pdf()
    signed = _sign(tokens.office, pdf=original)

    assert signed.startswith(original)  # an incremental update: the scanned bytes are untouched
    assert b"/ETSI.CAdES.detached" in signed  # PAdES, not the older adbe.pkcs7.detached
    report = verify_pdf(signed, [tokens.ca])
    assert report.valid and report.intact and report.trusted, report
    assert report.signer == "Nguyễn Thị Một Cửa" and report.count == 1 and report.problem == ""
    assert report.signed_at is not None and abs(report.signed_at - datetime.now(UTC)) < timedelta(minutes=5)

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    embedded = PdfFileReader(BytesIO(signed)).embedded_signatures[0]
    status = validate_pdf_signature(embedded, ValidationContext(trust_roots=[_asn1(tokens.ca)]))
    assert status.bottom_line and embedded.sig_object["/Reason"] == "Sao y bản chính"


def test_a_signed_component_with_one_byte_changed_is_reported_altered(tokens: Tokens) -> None:
    signed = _sign(tokens.office)
    assert signed.count(b"ban sao dien tu 0001") == 1
    tampered = signed.replace(b"ban sao dien tu 0001", b"ban sao dien tu 0007")

    report = verify_pdf(tampered, [tokens.ca])
    assert not report.valid and not report.intact
    assert report.problem == "Tệp đã bị sửa sau khi ký: chữ ký số không còn giá trị."
    assert verify_pdf(signed, [tokens.ca]).valid  # the same file before the change


def test_text_drawn_on_the_page_after_signing_voids_the_signature(tokens: Tokens) -> None:
    from pyhanko.pdf_utils.generic import StreamObject
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(BytesIO(_sign(tokens.office)))
    stream = writer.add_object(StreamObject(stream_data=b"BT /F1 12 Tf 72 700 Td (da sua) Tj ET"))
    writer.add_stream_to_page(0, stream)
    later = BytesIO()
    writer.write(later)

    report = verify_pdf(later.getvalue(), [tokens.ca])
    assert report.intact and report.trusted and not report.valid  # the signed bytes are still there
    assert report.problem == "Tệp đã bị thêm nội dung sau khi ký: chữ ký số không còn giá trị."


def test_a_signed_component_cut_short_is_refused_as_damaged(tokens: Tokens) -> None:
    signed = _sign(tokens.office)
    with pytest.raises(UserError, match="Tệp PDF bị hỏng"):
        verify_pdf(signed[: len(signed) - 2000], [tokens.ca])


def test_a_signature_from_an_unknown_authority_is_intact_but_not_trusted(tokens: Tokens) -> None:
    report = verify_pdf(_sign(tokens.office), [])
    assert report.intact and not report.trusted and not report.valid
    assert "không xác nhận được người ký" in report.problem


def test_two_worker_threads_signing_at_once_both_get_a_valid_copy(tokens: Tokens) -> None:
    # The window signs on a worker lane; the attach path may sign from another: the module takes turns.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as pool:
        copies = list(pool.map(lambda n: _sign(tokens.office, pdf=_component_pdf(n)), ["0101", "0202"]))
    assert all(verify_pdf(copy, [tokens.ca]).valid for copy in copies)
    assert b"0101" in copies[0] and b"0202" in copies[1]


def test_a_second_signature_keeps_the_first_valid(tokens: Tokens) -> None:
    twice = _sign(tokens.office, pdf=_sign(tokens.office))
    report = verify_pdf(twice, [tokens.ca])
    assert report.count == 2 and report.valid, report


def test_with_a_time_stamp_server_the_signature_carries_its_time(tokens: Tokens, time_stamp_server: str) -> None:
    report = verify_pdf(_sign(replace(tokens.office, tsa_url=time_stamp_server)), [tokens.ca])
    assert report.valid and report.timestamped, report  # PAdES B-T
    assert abs(report.signed_at - datetime.now(UTC)) < timedelta(minutes=5)
    assert not verify_pdf(_sign(tokens.office), [tokens.ca]).timestamped  # without one: B-B


def test_a_time_stamp_server_that_does_not_answer_is_named_and_nothing_is_signed(tokens: Tokens) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{unused.getsockname()[1]}/"
    with pytest.raises(UserError) as refused:
        _sign(replace(tokens.office, tsa_url=dead))
    assert refused.value.message.startswith(f"Máy chủ cấp dấu thời gian '{dead}' không trả lời")


def test_a_wrong_pin_is_refused_in_vietnamese_and_nothing_is_signed(tokens: Tokens) -> None:
    with pytest.raises(UserError) as refused:
        _sign(tokens.office, pin="000000")
    assert refused.value.message == "Mã PIN của USB ký số không đúng. Chưa ký gì."
    with pytest.raises(UserError, match="Hãy nhập mã PIN"):
        _sign(tokens.office, pin="")
    assert verify_pdf(_sign(tokens.office), [tokens.ca]).valid  # the token still signs after the refusal


def test_an_expired_certificate_is_refused_before_signing(tokens: Tokens) -> None:
    with pytest.raises(UserError) as refused:
        _sign(tokens.old)
    message = refused.value.message
    assert message.startswith("Chứng thư số của Trần Văn Cũ đã hết hạn từ ngày ") and "Chưa ký gì." in message


def test_an_ec_key_signs_too(tokens: Tokens) -> None:
    report = verify_pdf(_sign(replace(tokens.old, key_label=EC_KEY)), [tokens.ca])
    assert report.valid and report.signer == "Trần Văn Cũ", report


def test_a_token_that_only_knows_raw_rsa_signs_a_digest_made_here(tokens: Tokens,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from counter_app.digitise import signing

    monkeypatch.setattr(signing, "_raw_signing", lambda token, key: True)  # as if SHA256_RSA_PKCS were missing
    assert verify_pdf(_sign(tokens.office), [tokens.ca]).valid


def test_the_settings_screen_lists_each_token_and_its_certificate(tokens: Tokens) -> None:
    found = {t.label: t for t in list_tokens(str(SOFTHSM))}
    assert set(found) == {OFFICE_TOKEN, OLD_TOKEN}
    office = found[OFFICE_TOKEN]
    assert office.pin_state == "ok" and office.manufacturer.startswith("SoftHSM")
    (certificate,) = office.certificates
    assert (certificate.key_label, certificate.key_id, certificate.subject, certificate.issuer) == \
        (OFFICE_KEY, "01", "Nguyễn Thị Một Cửa", "CA thử nghiệm")
    assert certificate.not_before < datetime.now(UTC) < certificate.not_after
    old = {c.key_label: c for c in found[OLD_TOKEN].certificates}
    assert set(old) == {OLD_KEY, EC_KEY} and old[OLD_KEY].not_after < datetime.now(UTC)


def test_the_settings_screen_offers_the_token_modules_installed(tmp_path: Path) -> None:
    for name in ("viettel-ca_v6.dll", "vnpt-ca_csp11.dll", "khac.dll"):
        (tmp_path / name).write_bytes(b"MZ")
    assert installed_modules(tmp_path) == [str(tmp_path / "viettel-ca_v6.dll"), str(tmp_path / "vnpt-ca_csp11.dll")]
    assert installed_modules(tmp_path / "khong-co") == []


def test_a_token_or_key_that_is_not_there_is_named_in_the_refusal(tokens: Tokens) -> None:
    with pytest.raises(UserError) as several:
        _sign(TokenSettings(str(SOFTHSM)))  # two tokens plugged in and none chosen
    assert several.value.message.startswith("Đang cắm 2 USB ký số") and several.value.field == "signing.token_label"
    with pytest.raises(UserError) as absent:
        _sign(TokenSettings(str(SOFTHSM), "Token xa khac"))
    assert absent.value.message.startswith("Chưa cắm USB ký số 'Token xa khac'")
    assert OFFICE_TOKEN in absent.value.message  # the tokens that are plugged in are named
    with pytest.raises(UserError) as no_key:
        _sign(TokenSettings(str(SOFTHSM), OFFICE_TOKEN, "khoa-khac"))
    assert no_key.value.message == f"USB ký số không có khóa ký 'khoa-khac'. Các khóa trên USB ký số: '{OFFICE_KEY}'."
    with pytest.raises(UserError) as two_keys:
        _sign(replace(tokens.old, key_label=""))
    assert two_keys.value.message.startswith(f"USB ký số có 2 khóa ký ('{OLD_KEY}', '{EC_KEY}')")
    by_id = _sign(TokenSettings(str(SOFTHSM), OFFICE_TOKEN, "01"))  # the key named by its CKA_ID
    assert verify_pdf(by_id, [tokens.ca]).valid


def test_a_missing_or_foreign_module_is_refused_in_vietnamese(tokens: Tokens, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="Chưa chọn thư viện PKCS#11"):
        _sign(TokenSettings(""))
    with pytest.raises(UserError, match="Không tìm thấy thư viện USB ký số"):
        _sign(TokenSettings(str(tmp_path / "viettel-ca_v6.dll")))
    not_a_module = tmp_path / "vnpt-ca_csp11.dll"
    not_a_module.write_bytes(b"MZ not a library")
    with pytest.raises(UserError, match="Không nạp được thư viện USB ký số"):
        list_tokens(str(not_a_module))


def test_a_damaged_or_unsigned_pdf_is_refused_in_vietnamese(tokens: Tokens) -> None:
    with pytest.raises(UserError, match="Tệp PDF bị hỏng hoặc không phải PDF: không ký được."):
        _sign(tokens.office, pdf=b"%PDF-1.7\nkhong phai pdf")
    with pytest.raises(UserError, match="không kiểm tra được chữ ký"):
        verify_pdf(b"JFIF not a pdf", [tokens.ca])
    unsigned = verify_pdf(_component_pdf(), [tokens.ca])
    assert not unsigned.signed and not unsigned.valid and unsigned.problem == "Tệp PDF này chưa được ký số."


def test_the_office_names_its_token_in_the_settings_and_signs_with_it(tokens: Tokens, office_store) -> None:  # noqa: ANN001
    from counter_app.desk import Desk
    from counter_app.digitise.signing import office_token
    from tests.conftest import clerk

    admin = Desk(office_store, clerk())
    with office_store.read() as session:
        assert office_token(session) is None  # no module chosen: components stay unsigned
    with pytest.raises(UserError, match="đường dẫn đầy đủ"):
        admin.set_setting("signing.module", "viettel-ca_v6.dll")
    with pytest.raises(UserError, match="Không tìm thấy tệp"):
        admin.set_setting("signing.module", "/khong/co/viettel-ca_v6.dll")
    with pytest.raises(UserError, match="https://"):
        admin.set_setting("signing.tsa_url", "tsa.example.vn")
    admin.set_settings({"signing.module": str(SOFTHSM), "signing.token_label": OFFICE_TOKEN,
                        "signing.key_label": OFFICE_KEY})
    with office_store.read() as session:
        token = office_token(session)
    assert token == TokenSettings(str(SOFTHSM), OFFICE_TOKEN, OFFICE_KEY, "")
    assert "signing.pin" not in admin.settings()  # the PIN is typed at each signing, never kept
    assert verify_pdf(_sign(token), [tokens.ca]).valid


def test_a_pdf_its_author_locked_against_changes_is_refused(tokens: Tokens) -> None:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    author = signers.SimpleSigner(_asn1(tokens.ca), _asn1_key(tokens.ca_key), None)
    certified = signers.sign_pdf(IncrementalPdfFileWriter(BytesIO(_component_pdf())), signers.PdfSignatureMetadata(
        field_name="TacGia", certify=True, docmdp_permissions=fields.MDPPerm.NO_CHANGES), author).getvalue()
    with pytest.raises(UserError, match="Tệp PDF này không nhận thêm chữ ký"):
        _sign(tokens.office, pdf=certified)


def test_a_locked_or_pulled_token_is_worded_in_vietnamese() -> None:
    # SoftHSM never locks a PIN nor loses its token, so these PKCS#11 answers are fed in directly.
    import pkcs11

    from counter_app.digitise.signing import _token_failure

    assert _token_failure(pkcs11.PinLocked()).startswith("Mã PIN của USB ký số đã bị khóa")
    assert _token_failure(pkcs11.DeviceRemoved()).startswith("USB ký số đã bị rút ra")
    assert _token_failure(pkcs11.TokenNotPresent()).startswith("USB ký số đã bị rút ra")
    assert "FunctionFailed" in _token_failure(pkcs11.FunctionFailed())


def _asn1(certificate: x509.Certificate):  # noqa: ANN202
    from asn1crypto import x509 as asn1_x509

    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _asn1_key(key: rsa.RSAPrivateKey):  # noqa: ANN202
    from asn1crypto import keys

    return keys.PrivateKeyInfo.load(key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                                      serialization.NoEncryption()))


def _dossier_at(store):  # noqa: ANN001, ANN202 - (a Desk acting as an officer, a dossier's code)
    from counter_app.desk import Desk
    from counter_app.services import intake
    from tests.conftest import applicant, clerk

    req = intake.parse_intake({"procedure_code": "9.000003", "applicant": applicant()})
    with store.write() as session:
        code = intake.create_dossier(session, req, actor=clerk()).dossier["code"]
    return Desk(store, clerk("cb.an")), code


def test_a_component_saved_with_the_token_is_kept_signed_as_an_electronic_copy(tokens: Tokens,
                                                                             desk) -> None:  # noqa: ANN001
    from counter_app.desk_digitise import attach, file_bytes

    officer, code = _dossier_at(desk)
    officer.set_settings({"signing.module": str(SOFTHSM), "signing.token_label": OFFICE_TOKEN,  # as the admin does
                          "signing.key_label": OFFICE_KEY})
    done = attach(officer, code, [_component_pdf()], component=1, sign_pin=PIN)
    assert "Đã ký số" in " ".join(done.notes)
    kept = file_bytes(officer, code, done.file.sha256)
    report = verify_pdf(kept, [tokens.ca])
    assert (report.valid, report.signer) == (True, "Nguyễn Thị Một Cửa")
    unsigned = attach(officer, code, [_component_pdf("0002")], component=2)  # no PIN given: kept unsigned
    assert not verify_pdf(file_bytes(officer, code, unsigned.file.sha256), [tokens.ca]).signed


def test_signing_asked_of_an_office_without_a_token_is_refused_and_nothing_is_kept(desk) -> None:  # noqa: ANN001
    from counter_app.desk_digitise import attach, files

    officer, code = _dossier_at(desk)
    with pytest.raises(UserError, match="chưa khai báo USB ký số") as refused:
        attach(officer, code, [_component_pdf()], component=1, sign_pin=PIN)
    assert refused.value.field == "signing.module"
    assert files(officer, code) == []


def test_a_wrong_pin_at_the_attach_keeps_nothing(tokens: Tokens, desk) -> None:  # noqa: ANN001
    from counter_app.desk_digitise import attach, files

    officer, code = _dossier_at(desk)
    officer.set_settings({"signing.module": str(SOFTHSM), "signing.token_label": OFFICE_TOKEN,
                          "signing.key_label": OFFICE_KEY})
    with pytest.raises(UserError, match="PIN"):
        attach(officer, code, [_component_pdf()], component=1, sign_pin="000000")
    assert files(officer, code) == []
