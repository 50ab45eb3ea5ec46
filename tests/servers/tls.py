"""Self-signed certificate for the loopback test servers.

Both the Dovecot and the SMTP harness serve this certificate, and clients in the
tests verify it for real (no ``CERT_NONE``), so that TLS code paths in mailflow are
exercised the way they are against a production server.
"""

from __future__ import annotations

import datetime
import ipaddress
import ssl
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CERT_NAME = "cert.pem"
KEY_NAME = "key.pem"


def make_cert(directory: Path) -> tuple[Path, Path]:
    """Write a self-signed cert/key pair for ``localhost``/``127.0.0.1`` into *directory*.

    Returns ``(cert_path, key_path)``. The certificate is its own CA, so the cert
    file doubles as the ``cafile`` for clients.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    # EC P-256: key generation is instant, unlike RSA-2048 which costs ~50-100 ms
    # per server start, and every TLS stack we talk to supports it.
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    # Backdate a little so a client whose clock is a bit behind still accepts it.
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(
            # Clients connect by IP (127.0.0.1) as well as by name; Python's
            # hostname check matches an IP only against an IP SAN, never the CN.
            x509.SubjectAlternativeName(
                [
                    x509.DNSName("localhost"),
                    x509.IPAddress(ipaddress.IPv4Address("127.0.0.1")),
                ]
            ),
            critical=False,
        )
        # CA:TRUE lets OpenSSL accept the self-signed cert as its own trust anchor;
        # OpenSSL 3 rejects a leaf used as anchor only in strict mode, but being
        # explicit avoids depending on that.
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path = directory / CERT_NAME
    key_path = directory / KEY_NAME
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    # The key never leaves the test's temp dir, but keep it private anyway; the
    # servers read it as the user that starts them (root for Dovecot's config
    # process, the test process for aiosmtpd).
    key_path.chmod(0o600)
    return cert_path, key_path


def client_context(cafile: Path | str) -> ssl.SSLContext:
    """A client context that trusts only *cafile* and checks the hostname/IP."""
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=str(cafile))
    # create_default_context already sets these; restated so a future edit that
    # loosens them has to be deliberate.
    context.check_hostname = True
    context.verify_mode = ssl.CERT_REQUIRED
    return context


def server_context(cert: Path | str, key: Path | str) -> ssl.SSLContext:
    """A server context serving *cert*/*key* (used by the SMTP harness)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert), str(key))
    return context
