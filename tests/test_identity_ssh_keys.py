"""SSH public keys: fingerprints as ssh-keygen prints them, what an administrator may paste, and the
session's key read only from a file sshd wrote."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.core.errors import ValidationError
from services.identity.ssh_keys import parse_key_text, session_key
from tests.ssh_keys_files import make_key, ssh_environ, sshd_auth_file


@pytest.fixture(scope="module")
def key(tmp_path_factory):
    return make_key(tmp_path_factory.mktemp("keys"))


def test_a_pasted_key_has_ssh_keygens_fingerprint(key):
    line, shown = key
    parsed = parse_key_text(line)
    assert parsed.fingerprint == shown and parsed.key_type == "ssh-ed25519"
    assert parse_key_text(f'from="10.0.0.0/8",no-pty {line}').fingerprint == shown  # an authorized_keys line
    assert parse_key_text("  " + " ".join(line.split()[:2]) + "\n").fingerprint == shown  # no comment


def test_a_fingerprint_alone_or_ssh_keygen_output(key):
    _line, shown = key
    assert parse_key_text(shown) == parse_key_text(f"256 {shown} me@pc (ED25519)")
    assert parse_key_text(shown).key_type is None


@pytest.mark.parametrize("text, message", [
    ("", "请粘贴SSH公钥"),
    ("ssh-ed25519 not-base64!", "无法识别"),
    ("ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIH1F+jkkFrblOlcLbkkxMy9p5L5sOvV40hlDPBCXXMSi", "无法识别"),  # type ≠ blob
    ("MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48", "SHA256"),
    ("16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48", "SHA256"),
    ("SHA256:short", "无法识别"),
    ("x" * 20000, "过长"),
])
def test_what_is_not_a_key_is_refused(text, message):
    with pytest.raises(ValidationError, match=message) as caught:
        parse_key_text(text)
    assert caught.value.field == "key"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_a_key_or_a_clear_refusal(text):
    try:
        parsed = parse_key_text(text)
    except ValidationError as exc:
        assert exc.message
    else:
        assert parsed.fingerprint.startswith("SHA256:") and len(parsed.fingerprint) == 50


def test_the_key_sshd_wrote_is_the_sessions_key(key):
    line, shown = key
    with sshd_auth_file(f"publickey {' '.join(line.split()[:2])}\n") as path:
        found = session_key(ssh_environ(path))
    assert found is not None and found.fingerprint == shown


def test_a_key_and_a_password_method_still_name_the_key(key):
    line, shown = key
    with sshd_auth_file(f"publickey {' '.join(line.split()[:2])}\npassword\n") as path:
        assert session_key(ssh_environ(path)).fingerprint == shown


def test_no_key_without_a_trustworthy_sshd_file(key, tmp_path):
    line, _shown = key
    content = f"publickey {' '.join(line.split()[:2])}\n"
    assert session_key({}) is None
    with sshd_auth_file(content) as path:
        assert session_key({"SSH_USER_AUTH": path}) is None  # not in an SSH session
        link = f"/tmp/sshauth.{os.path.basename(path)[-15:][::-1]}"
        os.symlink(path, link)
        try:
            assert session_key(ssh_environ(link)) is None  # a symlink, even to the real file
        finally:
            os.unlink(link)
        hard = f"{path[:-1]}{'a' if path[-1] != 'a' else 'b'}"
        os.link(path, hard)
        try:
            assert session_key(ssh_environ(path)) is None  # a second name for it
        finally:
            os.unlink(hard)
    elsewhere = tmp_path / "sshauth.ABCDEFGHIJKLMNO"
    elsewhere.write_text(content)
    elsewhere.chmod(0o600)
    assert session_key(ssh_environ(str(elsewhere))) is None  # not where sshd writes
    with sshd_auth_file(content, mode=0o644) as path:
        assert session_key(ssh_environ(path)) is None  # others may read it: not sshd's
    with sshd_auth_file("password\n") as path:
        assert session_key(ssh_environ(path)) is None
    with sshd_auth_file(content + content.replace("publickey", "publickey ")) as path:
        assert session_key(ssh_environ(path)) is None  # two keys: whose would it be?
    assert session_key(ssh_environ("/tmp/sshauth.doesnotexist012")) is None


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_a_file_of_another_user_is_not_sshds(key):
    line, _shown = key
    with sshd_auth_file(f"publickey {' '.join(line.split()[:2])}\n") as path:
        os.chown(path, 65534, -1)
        assert session_key(ssh_environ(path)) is None
