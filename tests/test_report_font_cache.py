"""The print child's font cache (reports.font_cache): the same PDF, byte for byte, whether what fpdf2
derives from the fonts is parsed or read back; a damaged, stale or unwritable cache is derived again."""

import os
from dataclasses import replace

import pytest

from reports import SIGN_SHEET, TASK_ORDER, font_cache, render
from reports.fonts import font_chain
from reports.frame import font_path
from tests.pdf_text import pdf_text
from tests.report_samples import STAMP, sample_lines, sample_order


def _with_rare_owner():
    """A sign sheet whose first owner needs the first fallback font (an Extension B character)."""
    primary, fallback = font_chain(font_path())[0][2], font_chain(font_path())[1][2]
    rare = next(chr(c) for c in sorted(fallback) if 0x20000 <= c <= 0x2A6DF and c not in primary)
    lines = sample_lines(12)
    return replace(sample_order(lines), lines=(replace(lines[0], owner=f"王{rare}"),) + lines[1:]), rare


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    directory = tmp_path / "fonts"
    monkeypatch.setattr(font_cache, "directory", directory)
    return directory


def _plain(doc_type, data):
    saved, font_cache.directory = font_cache.directory, None
    try:
        return render(doc_type, data, STAMP)
    finally:
        font_cache.directory = saved


@pytest.mark.parametrize("doc_type", [TASK_ORDER, SIGN_SHEET])
def test_a_cached_font_prints_the_same_file(cache_dir, doc_type):
    data, rare = _with_rare_owner()
    plain = _plain(doc_type, data)
    cold = render(doc_type, data, STAMP)  # derives and writes the entries
    assert sorted(p.suffix for p in cache_dir.iterdir()).count(".fpdf") >= 1
    warm = render(doc_type, data, STAMP)  # reads them back
    assert plain == cold == warm
    if doc_type == SIGN_SHEET:
        assert f"王{rare}" in pdf_text(warm)


def test_a_damaged_entry_is_derived_again(cache_dir):
    data = sample_order(sample_lines(6))
    render(TASK_ORDER, data, STAMP)
    for entry in cache_dir.iterdir():
        if entry.suffix == ".fpdf":
            entry.write_bytes(b"\x00not marshal")
    assert render(TASK_ORDER, data, STAMP) == _plain(TASK_ORDER, data)
    assert all(entry.read_bytes() != b"\x00not marshal" for entry in cache_dir.iterdir())


@pytest.mark.skipif(os.getuid() != 0, reason="another account's file needs root to make")
def test_an_entry_another_account_wrote_is_not_believed(cache_dir):
    import marshal

    data = sample_order(sample_lines(6))
    render(TASK_ORDER, data, STAMP)
    for entry in cache_dir.iterdir():
        if entry.suffix == ".fpdf":
            forged = marshal.loads(entry.read_bytes())
            entry.write_bytes(marshal.dumps({**forged, "cw": {k: 1 for k in forged["cw"]}}))  # every width 1
            os.chown(entry, 65534, 65534)
    assert render(TASK_ORDER, data, STAMP) == _plain(TASK_ORDER, data)


def test_an_unwritable_cache_still_prints(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setattr(font_cache, "directory", blocker / "fonts")
    data = sample_order(sample_lines(6))
    assert render(TASK_ORDER, data, STAMP) == _plain(TASK_ORDER, data)


def test_the_entry_follows_the_font_file(tmp_path):
    font = tmp_path / "font.otf"
    font.write_bytes(b"0" * 10)
    before = font_cache._key(font, "fpdf")
    os.utime(font, ns=(1, 1))
    assert font_cache._key(font, "fpdf") != before
    assert font_cache._key(font, "fpdf") != font_cache._key(font, "coverage")


def test_the_print_child_keeps_its_cache_in_the_data_directory(tmp_path, monkeypatch):
    from services.printing.render_child import font_cache_dir, render_elsewhere

    monkeypatch.setenv("WXZJ_DATA_DIR", str(tmp_path / "data"))
    assert font_cache_dir() == tmp_path / "data" / "cache" / "fonts"
    data = sample_order(sample_lines(6))
    assert pdf_text(render_elsewhere(TASK_ORDER, data, STAMP)) == pdf_text(_plain(TASK_ORDER, data))
    entries = list((tmp_path / "data" / "cache" / "fonts").iterdir())
    assert any(e.suffix == ".fpdf" for e in entries) and any(e.suffix == ".coverage" for e in entries)
    assert not [e for e in entries if e.name.endswith(".tmp")]
