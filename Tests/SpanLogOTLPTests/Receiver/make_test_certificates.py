#!/usr/bin/env python3
"""Writes the TLS files SpanLogOTLP's TLS tests use into a directory (argument 1), with the
`cryptography` package (no `openssl` command):

  ca.pem                  a test CA (also signs the client certificate)
  server.pem, server-key.pem   the receiver's certificate for 127.0.0.1 and localhost, by ca.pem
  client.pem, client-key.pem   a client certificate (mTLS), by ca.pem
  wrong-key.pem           a private key that belongs to neither certificate
  other-ca.pem            a CA that signed nothing here
  encrypted-key.pem       client-key.pem encrypted with a passphrase

Prints {"ok": true} when done. Keys are EC P-256: quick to make.
"""

import datetime
import ipaddress
import json
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def key():
    return ec.generate_private_key(ec.SECP256R1())


def name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def write(directory, file_name, data):
    with open(os.path.join(directory, file_name), "wb") as handle:
        handle.write(data)


def key_pem(private_key, password=None):
    encryption = serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    return private_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)


def certificate(subject, subject_key, issuer, issuer_key, is_ca, alternative_names=None, usage=None):
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(subject_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), critical=True)
    )
    if is_ca:
        builder = builder.add_extension(
            x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
                          key_encipherment=False, data_encipherment=False, key_agreement=False,
                          encipher_only=False, decipher_only=False), critical=True)
        builder = builder.add_extension(x509.SubjectKeyIdentifier.from_public_key(subject_key.public_key()), critical=False)
    else:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
    if alternative_names:
        builder = builder.add_extension(x509.SubjectAlternativeName(alternative_names), critical=False)
    if usage:
        builder = builder.add_extension(x509.ExtendedKeyUsage(usage), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def main():
    directory = sys.argv[1]
    os.makedirs(directory, exist_ok=True)
    pem = serialization.Encoding.PEM

    ca_key = key()
    ca = certificate(name("SpanLog test CA"), ca_key, name("SpanLog test CA"), ca_key, True)
    write(directory, "ca.pem", ca.public_bytes(pem))

    server_key = key()
    server = certificate(
        name("127.0.0.1"), server_key, ca.subject, ca_key, False,
        [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")],
        [ExtendedKeyUsageOID.SERVER_AUTH])
    write(directory, "server.pem", server.public_bytes(pem))
    write(directory, "server-key.pem", key_pem(server_key))

    client_key = key()
    client = certificate(name("spanlog-test-client"), client_key, ca.subject, ca_key, False, None,
                         [ExtendedKeyUsageOID.CLIENT_AUTH])
    write(directory, "client.pem", client.public_bytes(pem))
    write(directory, "client-key.pem", key_pem(client_key))
    write(directory, "encrypted-key.pem", key_pem(client_key, b"secret passphrase"))

    write(directory, "wrong-key.pem", key_pem(key()))

    other_key = key()
    other = certificate(name("Another CA"), other_key, name("Another CA"), other_key, True)
    write(directory, "other-ca.pem", other.public_bytes(pem))
    print(json.dumps({"ok": True}), flush=True)


if __name__ == "__main__":
    main()
