# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""TLS, through the ansible command as a user runs it, against the emulator serving HTTPS.

The test makes its own CA and a certificate for 127.0.0.1 signed by it. The
module must refuse that server by default, with a message that says what to
do (TLS, certificate, ca_path); accept it with ca_path; accept it with
validate_certs false or HW_INSECURE=true, with a warning that verification
is off. It must also refuse a certificate of another CA and one made out to
another host, and say clearly when ca_path is not a file it can read.
"""

import datetime
import ipaddress
import os
import shutil
import ssl
import tempfile

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from support import ansible_cli, seeds
from support.emulator import EmulatorProcess

DAILY = seeds.policy_id(1)
V = seeds.volume_id
MODULE = "vbs_policy_resources"


def _name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def make_ca(common_name):
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder()
                   .subject_name(_name(common_name)).issuer_name(_name(common_name))
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(hours=1))
                   .not_valid_after(now + datetime.timedelta(days=1))
                   .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                   .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                                content_commitment=False, key_encipherment=False,
                                                data_encipherment=False, key_agreement=False, encipher_only=False,
                                                decipher_only=False), critical=True)
                   .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
                   .sign(key, hashes.SHA256()))
    return key, certificate


def make_server_certificate(ca_key, ca_certificate, names):
    """A server certificate signed by the CA, for ``names`` (IP addresses or DNS names)."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    alternative = []
    for name in names:
        try:
            alternative.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            alternative.append(x509.DNSName(name))
    certificate = (x509.CertificateBuilder()
                   .subject_name(_name(names[0])).issuer_name(ca_certificate.subject)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(hours=1))
                   .not_valid_after(now + datetime.timedelta(days=1))
                   .add_extension(x509.SubjectAlternativeName(alternative), critical=False)
                   .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                   .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
                   .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                                  critical=False)
                   .sign(ca_key, hashes.SHA256()))
    return key, certificate


def write_pem(path, certificate=None, key=None):
    with open(path, "wb") as handle:
        if key is not None:
            handle.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
        if certificate is not None:
            handle.write(certificate.public_bytes(serialization.Encoding.PEM))
    return path


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    directory = tmp_path_factory.mktemp("pki")
    ca_key, ca_certificate = make_ca("huaweicloud.vbs test CA")
    other_key, other_ca = make_ca("another CA")
    files = dict(ca=write_pem(str(directory / "ca.pem"), ca_certificate),
                 other_ca=write_pem(str(directory / "other-ca.pem"), other_ca))
    for label, names, signer in (("server", ["127.0.0.1"], (ca_key, ca_certificate)),
                                 ("wrong_host", ["vbs.example.com"], (ca_key, ca_certificate))):
        key, certificate = make_server_certificate(signer[0], signer[1], names)
        files[label + "_cert"] = write_pem(str(directory / (label + ".pem")), certificate)
        files[label + "_key"] = write_pem(str(directory / (label + "-key.pem")), key=key)
    return files


def https_emulator(pki, label="server"):
    context = ssl.create_default_context(cafile=pki["ca"])
    context.check_hostname = label == "server"
    if label != "server":
        context.verify_mode = ssl.CERT_REQUIRED
    return EmulatorProcess(seed=seeds.seed(), ssl_context=context,
                           args=["--tls-cert", pki[label + "_cert"], "--tls-key", pki[label + "_key"]])


@pytest.fixture(scope="module")
def emulator(pki):
    with https_emulator(pki) as process:
        assert process.url.startswith("https://127.0.0.1:")
        yield process


@pytest.fixture
def fresh(emulator):
    emulator.reset(seeds.seed())
    emulator.clear_requests()
    return emulator


def run(emulator, args=None, env=None):
    options = {"backup_policy_id": DAILY, "volumes": [V(1)]}
    options.update(args or {})
    environment = seeds.aksk_env(emulator.url)
    environment.update(env or {})
    return ansible_cli.adhoc(MODULE, options, environment)


def assert_refused_for_tls(result):
    assert result.rc != 0, result
    message = result.result["msg"]
    assert "TLS" in message and "certificate" in message.lower(), message
    assert "ca_path" in message, message
    assert "Traceback" not in result.output, result


def test_a_private_ca_is_refused_by_default(fresh):
    result = run(fresh)
    assert_refused_for_tls(result)
    assert fresh.members(DAILY) == []
    assert fresh.requests() == []  # the handshake failed: no request reached the emulator


def test_ca_path_makes_it_trusted(fresh, pki):
    result = run(fresh, {"ca_path": pki["ca"]})
    assert result.rc == 0, result
    assert result.result["changed"] is True
    assert fresh.members(DAILY) == [V(1)]
    assert "verification is off" not in result.output


def test_validate_certs_false_accepts_it_and_warns(fresh):
    result = run(fresh, {"validate_certs": False})
    assert result.rc == 0, result
    assert fresh.members(DAILY) == [V(1)]
    assert "TLS certificate verification is off" in result.output, result


def test_hw_insecure_does_the_same_as_validate_certs_false(fresh):
    result = run(fresh, env={"HW_INSECURE": "true"})
    assert result.rc == 0, result
    assert fresh.members(DAILY) == [V(1)]
    assert "TLS certificate verification is off" in result.output, result


def test_validate_certs_true_wins_over_hw_insecure(fresh):
    result = run(fresh, {"validate_certs": True}, env={"HW_INSECURE": "true"})
    assert_refused_for_tls(result)


def test_a_certificate_of_another_ca_is_refused(fresh, pki):
    result = run(fresh, {"ca_path": pki["other_ca"]})
    assert_refused_for_tls(result)
    assert fresh.members(DAILY) == []


def test_a_certificate_for_another_host_is_refused_even_with_its_ca(pki):
    with https_emulator(pki, "wrong_host") as process:
        result = run(process, {"ca_path": pki["ca"]})
        assert_refused_for_tls(result)
        assert process.members(DAILY) == []


@pytest.mark.parametrize("what", ["missing", "not a certificate"])
def test_a_ca_path_that_is_no_ca_bundle_is_a_clear_error(fresh, what):
    directory = tempfile.mkdtemp(prefix="vbs-tls-")  # not tmp_path: its name would hold the words looked for
    path = os.path.join(directory, "bundle.pem")
    if what == "not a certificate":
        with open(path, "w") as handle:
            handle.write("this is not PEM\n")
    try:
        result = run(fresh, {"ca_path": path})
    finally:
        shutil.rmtree(directory)
    assert result.rc != 0, result
    message = result.result["msg"]
    assert "ca_path" in message and "exception" not in result.result, result.result
    assert not message.startswith(("Task failed", "Module failed")), message  # how ansible shows a crash
    assert "Traceback" not in result.output, result
    if what == "missing":
        assert path in message and fresh.requests() == [], message
    else:
        assert "TLS" in message, message
