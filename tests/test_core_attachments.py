"""Attachments are judged by their content and size, and stored by SHA-256 under the data directory."""

import hashlib

import pytest
from hypothesis import given, settings, strategies as st

from services.core import attachments as att
from services.core.errors import NotFound, PermissionDenied, ValidationError
from tests.files import pdf_bytes, png_bytes, write

ACTOR = object()


def test_a_real_pdf_and_png_pass_and_are_stored_by_hash(tmp_path):
    store = att.AttachmentStore.under(tmp_path / "data")
    pdf = write(tmp_path / "in", "合同.PDF", pdf_bytes())
    staged = att.stage(None, ACTOR, pdf, store=store)
    assert (staged.kind, staged.content_type, staged.filename) == ("pdf", "application/pdf", "合同.PDF")
    assert staged.sha256 == hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert (tmp_path / "data" / "attachments" / staged.sha256[:2] / staged.sha256).read_bytes() == pdf.read_bytes()
    assert store.get(staged.sha256) == pdf.read_bytes()
    png = write(tmp_path / "in", "scan.png", png_bytes())
    assert att.stage(None, ACTOR, png, store=store).kind == "png"
    # the same content twice is one file
    again = write(tmp_path / "in", "copy.pdf", pdf_bytes())
    assert att.stage(None, ACTOR, again, store=store).sha256 == staged.sha256
    assert len(list((tmp_path / "data" / "attachments").rglob("*"))) == 4  # two folders, two files


def test_a_text_file_renamed_pdf_is_refused_by_its_content(tmp_path):
    fake = write(tmp_path, "营业执照.pdf", "这不是PDF".encode())
    with pytest.raises(ValidationError) as refused:
        att.read_checked(fake, att.ATTACHMENT_TYPES)
    assert "不是 PDF/JPG/PNG 格式" in refused.value.message and refused.value.field == "path"
    # and the other way round: a real PDF under another name passes
    assert att.read_checked(write(tmp_path, "x.txt", pdf_bytes()), att.ATTACHMENT_TYPES).kind == "pdf"


def test_size_empty_missing_and_directory_are_refused(tmp_path):
    big = write(tmp_path, "big.pdf", b"%PDF-1.4\n" + b"0" * 200)
    with pytest.raises(ValidationError, match="文件过大"):
        att.read_checked(big, att.ATTACHMENT_TYPES, max_bytes=100)
    with pytest.raises(ValidationError, match="文件是空的"):
        att.read_checked(write(tmp_path, "empty.pdf", b""), att.ATTACHMENT_TYPES)
    with pytest.raises(ValidationError, match="文件不存在"):
        att.read_checked(tmp_path / "nope.pdf", att.ATTACHMENT_TYPES)
    with pytest.raises(ValidationError, match="不是文件"):
        att.read_checked(tmp_path, att.ATTACHMENT_TYPES)
    with pytest.raises(ValidationError, match="无法读取|路径无效|文件不存在"):
        att.read_checked("bad\x00name.pdf", att.ATTACHMENT_TYPES)


def test_twenty_megabytes_is_the_default_limit(tmp_path):
    assert att.MAX_BYTES == 20 * 1024 * 1024
    just = write(tmp_path, "ok.pdf", b"%PDF-1.7\n" + b"0" * (att.MAX_BYTES - 9))
    assert att.read_checked(just, att.ATTACHMENT_TYPES).size == att.MAX_BYTES
    over = write(tmp_path, "over.pdf", b"%PDF-1.7\n" + b"0" * (att.MAX_BYTES - 8))
    with pytest.raises(ValidationError, match="不能超过 20.0 MB"):
        att.read_checked(over, att.ATTACHMENT_TYPES)


def test_the_store_never_takes_a_name_from_outside_and_notices_damage(tmp_path):
    store = att.AttachmentStore(tmp_path / "store")
    for bad in ("../../etc/passwd", "A" * 64, "0" * 63, ""):
        with pytest.raises(NotFound):
            store.get(bad)
    sha = store.put(b"%PDF-1.4 x")
    (tmp_path / "store" / sha[:2] / sha).write_bytes(b"%PDF-1.4 y")
    with pytest.raises(NotFound, match="已损坏"):
        store.get(sha)


def test_staging_needs_a_logged_in_user(tmp_path):
    with pytest.raises(PermissionDenied):
        att.stage(None, None, write(tmp_path, "a.pdf", pdf_bytes()), store=att.AttachmentStore(tmp_path))


def test_spreadsheet_kinds_for_imports(tmp_path):
    assert att.extensions_of(("xlsx", "csv")) == (".xlsx", ".csv")
    assert att.check_bytes("a.csv", "小区,楼\n".encode("gb18030"), ("xlsx", "csv")).kind == "csv"
    with pytest.raises(ValidationError):
        att.check_bytes("a.csv", b"\x00\x01\x02", ("xlsx", "csv"))


@settings(max_examples=300, deadline=None)
@given(st.binary(min_size=1, max_size=64))
def test_random_bytes_are_accepted_only_with_a_signature(data):
    try:
        checked = att.check_bytes("x.pdf", data, att.ATTACHMENT_TYPES)
    except ValidationError:
        assert not data.startswith((b"%PDF-", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n"))
    else:
        assert checked.kind == {"%": "pdf", "\xff": "jpg", "\x89": "png"}[chr(data[0])]
