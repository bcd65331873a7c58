"""Real PKCS#11 signing tokens for the tests (docs/signing.md): Debian's SoftHSM 2 (package
softhsm2), two tokens made by softhsm2-util in a throw-away SOFTHSM2_CONF folder, keys generated on
them through python-pkcs11, certificates issued by a test CA made here with cryptography. Used by
tests/e2e/test_signing.py and the window's signing test (tests/ui/test_signing_window.py)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from counter_app.digitise.signing import TokenSettings

SOFTHSM = Path("/usr/lib/softhsm/libsofthsm2.so")
PIN = "246810"
OFFICE_TOKEN, OLD_TOKEN = "UBND xa Phu Xuan", "Token cu"
OFFICE_KEY, OLD_KEY, EC_KEY = "can-bo-mot-cua", "chung-thu-het-han", "khoa-ec-moi"


@dataclass(frozen=True)
class Tokens:
    ca: x509.Certificate
    ca_key: rsa.RSAPrivateKey
    office: TokenSettings  # the token the office signs with: one valid certificate
    old: TokenSettings  # a second token plugged in: an RSA certificate expired last year, a valid EC one


def subject_name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "UBND xã Phú Xuân"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common)])


def issue_certificate(holder: x509.Name, public_key, issuer: x509.Name, issuer_key: rsa.RSAPrivateKey,  # noqa: ANN001
           days: tuple[int, int], *extensions: x509.ExtensionType) -> x509.Certificate:
    """A certificate valid from `days[0]` to `days[1]` days from now, every extension critical."""
    now = datetime.now(UTC)
    builder = (x509.CertificateBuilder().subject_name(holder).issuer_name(issuer).public_key(public_key)
               .serial_number(x509.random_serial_number())
               .not_valid_before(now + timedelta(days=days[0])).not_valid_after(now + timedelta(days=days[1])))
    for extension in extensions:
        builder = builder.add_extension(extension, critical=True)
    return builder.sign(issuer_key, hashes.SHA256())


# Digital signature and non-repudiation, as a CA issues a signing certificate.
SIGNING = x509.KeyUsage(True, True, False, False, False, False, False, False, False)


def _key_on_token(lib, label: str, key_label: str, key_id: bytes, holder: str, ca: x509.Certificate,  # noqa: ANN001
                  ca_key: rsa.RSAPrivateKey, days: tuple[int, int], *, ec: bool = False) -> None:
    """A signing key generated inside the token (it never leaves it, as on a real one) and the CA's
    certificate for its public half stored beside it with the same CKA_ID."""
    from pkcs11 import Attribute, CertificateType, KeyType, ObjectClass
    from pkcs11.util.ec import encode_ec_public_key, encode_named_curve_parameters

    token = lib.get_token(token_label=label)
    with token.open(rw=True, user_pin=PIN) as session:
        if ec:
            curve = session.create_domain_parameters(
                KeyType.EC, {Attribute.EC_PARAMS: encode_named_curve_parameters("secp256r1")}, local=True)
            public, _ = curve.generate_keypair(id=key_id, label=key_label, store=True)
            public_key = serialization.load_der_public_key(encode_ec_public_key(public))
        else:
            public, _ = session.generate_keypair(KeyType.RSA, 2048, id=key_id, label=key_label, store=True)
            public_key = rsa.RSAPublicNumbers(int.from_bytes(public[Attribute.PUBLIC_EXPONENT], "big"),
                                              int.from_bytes(public[Attribute.MODULUS], "big")).public_key()
        subject = subject_name(holder)
        certificate = issue_certificate(subject, public_key, ca.subject, ca_key, days, SIGNING)
        session.create_object({
            Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
            Attribute.TOKEN: True, Attribute.LABEL: key_label, Attribute.ID: key_id,
            Attribute.SUBJECT: subject.public_bytes(), Attribute.VALUE:
                certificate.public_bytes(serialization.Encoding.DER)})


@pytest.fixture(scope="module")
def tokens(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tokens]:
    """The office's token and an old one, for the whole test module."""
    assert SOFTHSM.is_file() and shutil.which("softhsm2-util"), \
        "SoftHSM 2 is missing: apt-get install softhsm2"
    import pkcs11

    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    with pytest.MonkeyPatch.context() as patch:
        # SoftHSM reads its configuration when the module is initialised, in this process and in softhsm2-util.
        patch.setenv("SOFTHSM2_CONF", str(conf))
        for label in (OFFICE_TOKEN, OLD_TOKEN):
            subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", label, "--so-pin", "13572468",
                            "--pin", PIN], check=True, capture_output=True)
        lib = pkcs11.lib(str(SOFTHSM))
        lib.reinitialize()  # another module of this run may have loaded SoftHSM before these tokens existed
        ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        authority = subject_name("CA thử nghiệm")
        ca = issue_certificate(authority, ca_key.public_key(), authority, ca_key, (-900, 900),
                               x509.BasicConstraints(ca=True, path_length=0),
                               x509.KeyUsage(True, False, False, False, False, True, True, False, False))
        _key_on_token(lib, OFFICE_TOKEN, OFFICE_KEY, b"\x01", "Nguyễn Thị Một Cửa", ca, ca_key,
                      (-1, 365))
        _key_on_token(lib, OLD_TOKEN, OLD_KEY, b"\x07", "Trần Văn Cũ", ca, ca_key,
                      (-800, -400))
        _key_on_token(lib, OLD_TOKEN, EC_KEY, b"\x08", "Trần Văn Cũ", ca, ca_key,
                      (-1, 365), ec=True)
        yield Tokens(ca, ca_key, TokenSettings(str(SOFTHSM), OFFICE_TOKEN),
                     TokenSettings(str(SOFTHSM), OLD_TOKEN, OLD_KEY))
