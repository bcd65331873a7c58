"""The server's TLS certificate: a real one given with --cert/--key, or its own, made on first use.

Its own is a small private CA (ca.pem, ca-key.pem) and a server certificate it signed (server.pem
holds the server certificate then the CA's, server-key.pem its key), EC P-256, in the TLS folder
(config.tls_dir). The keys are owner-only and written atomically. Once made they are kept as they
are: counters pin the server certificate's SHA-256 fingerprint (counter_app/sync/pinning.py), so
a new one would stop every counter until it is linked again. Delete server.pem and server-key.pem
to have a new one made (from the same CA) on the next start — then link every counter again.

The names in it (localhost, 127.0.0.1, the host name, --host and --tls-name) matter to browsers
opening the web pages, not to the counters: a pinned certificate is checked by fingerprint only.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from counter_app.atomic_file import write_atomically, write_private
from counter_app.errors import UserError
from counter_app.sync.pinning import fingerprint

CA_CERT = "ca.pem"
CA_KEY = "ca-key.pem"
SERVER_CERT = "server.pem"
SERVER_KEY = "server-key.pem"
CA_YEARS = 20
SERVER_YEARS = 10  # pinned, so its expiry is not checked by counters; a browser may want less
ANY_ADDRESS = frozenset({"", "0.0.0.0", "::", "[::]"})


@dataclass(frozen=True)
class ServerCertificate:
    cert_file: Path
    key_file: Path
    fingerprint: str  # SHA-256 of the server certificate, "AA:BB:…"
    own: bool  # made by this server (True) or given (--cert/--key)
    missing_names: tuple[str, ...] = ()  # asked for, but not in the certificate kept from before


def names_for(host: str | None = None, extra: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The names a new certificate of our own is made for, without repeats, in a stable order."""
    wanted = ["localhost", "127.0.0.1", socket.gethostname(), socket.getfqdn()]
    if host and host.strip() not in ANY_ADDRESS:
        wanted.append(host.strip().strip("[]"))
    wanted.extend(n.strip() for n in extra)
    names: list[str] = []
    for name in wanted:
        if name and name.lower() not in {n.lower() for n in names}:
            names.append(name)
    return names


def server_certificate(*, cert: str | None = None, key: str | None = None, directory: Path | None,
                       names: list[str]) -> ServerCertificate:
    """The certificate to serve: the given one (checked to load, with its key), else our own in
    `directory`."""
    if bool(cert) != bool(key):
        raise UserError("Cần cả --cert và --key (chứng chỉ và khóa riêng của nó, dạng PEM) để dùng chứng chỉ riêng.")
    if cert and key:
        return _given(Path(cert), Path(key))
    if directory is None:
        raise ValueError("our own certificate needs its folder")
    return _own(directory, names)


def _given(cert: Path, key: Path) -> ServerCertificate:
    for path in (cert, key):
        if not path.is_file():
            raise UserError(f"Không tìm thấy tệp '{path}'.")
    try:
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(cert, key)
    except (ssl.SSLError, OSError) as exc:
        raise UserError(f"Không dùng được chứng chỉ '{cert}' với khóa '{key}' (cần PEM, khóa không mật khẩu, "
                        f"đúng cặp): {exc.strerror or exc}.") from None
    return ServerCertificate(cert, key, _leaf_fingerprint(cert), own=False)


def _leaf_fingerprint(cert_file: Path) -> str:
    """The fingerprint of the first certificate in a PEM file (the server's own, before its chain)."""
    pem = cert_file.read_text(encoding="ascii", errors="replace")
    end = "-----END CERTIFICATE-----"
    first = pem[: pem.index(end) + len(end)] if end in pem else pem
    try:
        return fingerprint(ssl.PEM_cert_to_DER_cert(first.strip() + "\n"))
    except ValueError:
        raise UserError(f"Tệp '{cert_file}' không chứa chứng chỉ PEM.") from None


def _own(directory: Path, names: list[str]) -> ServerCertificate:
    cert_file, key_file = directory / SERVER_CERT, directory / SERVER_KEY
    if not (cert_file.is_file() and key_file.is_file()):
        _issue(directory, names)
    missing = tuple(n for n in names if n.lower() not in {h.lower() for h in _names_in(cert_file)})
    return ServerCertificate(cert_file, key_file, _leaf_fingerprint(cert_file), own=True, missing_names=missing)


def _names_in(cert_file: Path) -> list[str]:
    from cryptography import x509

    leaf = x509.load_pem_x509_certificates(cert_file.read_bytes())[0]
    try:
        sans = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return []
    return [*sans.get_values_for_type(x509.DNSName), *(str(ip) for ip in sans.get_values_for_type(x509.IPAddress))]


def _issue(directory: Path, names: list[str]) -> None:
    """A server certificate for `names`, signed by our CA (made first if there is none)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.now(UTC) - timedelta(hours=1)  # a counter's clock a little behind
    ca_cert_file, ca_key_file = directory / CA_CERT, directory / CA_KEY
    if ca_cert_file.is_file() and ca_key_file.is_file():
        ca_key = serialization.load_pem_private_key(ca_key_file.read_bytes(), password=None)
        ca_cert = x509.load_pem_x509_certificate(ca_cert_file.read_bytes())
    else:
        ca_key = ec.generate_private_key(ec.SECP256R1())
        ca_name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Quầy Một Cửa"),
                             x509.NameAttribute(NameOID.COMMON_NAME, f"CA máy chủ huyện {socket.gethostname()}")])
        ca_cert = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
                   .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now).not_valid_after(now + timedelta(days=365 * CA_YEARS))
                   .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                   .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False,
                                                key_encipherment=False, data_encipherment=False, key_agreement=False,
                                                key_cert_sign=True, crl_sign=True, encipher_only=False,
                                                decipher_only=False), critical=True)
                   .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
                   .sign(ca_key, hashes.SHA256()))
        write_private(_key_pem(ca_key), ca_key_file)
        write_atomically(ca_cert.public_bytes(serialization.Encoding.PEM), ca_cert_file)
    key = ec.generate_private_key(ec.SECP256R1())
    sans: list[x509.GeneralName] = []
    for name in names:
        try:
            sans.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            sans.append(x509.DNSName(name))
    subject = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Quầy Một Cửa"),
                         x509.NameAttribute(NameOID.COMMON_NAME, names[0] if names else "localhost")])
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(ca_cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + timedelta(days=365 * SERVER_YEARS))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.SubjectAlternativeName(sans), critical=False)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    # The key first: a certificate on disk without its key would be kept and never load.
    write_private(_key_pem(key), directory / SERVER_KEY)
    chain = cert.public_bytes(serialization.Encoding.PEM) + ca_cert.public_bytes(serialization.Encoding.PEM)
    write_atomically(chain, directory / SERVER_CERT)


def _key_pem(key: object) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,  # type: ignore[attr-defined]
                             serialization.NoEncryption())
