"""Bytes in, correct text out: byte-order marks, declared charsets, UTF-8, detection.

A page in an encoding nobody can name, or in bytes no encoding decodes, is
reported with its reason in the run summary; the run goes on.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

import cleaner.encoding
from cleaner.cli import main
from cleaner.encoding import codec_for, decode_page
from cleaner.io import InputError, decode

WriteFile = Callable[[str, "str | bytes"], Path]

RUSSIAN = "Правительство утвердило новый бюджет после долгих споров о финансировании школ и налогах для семей."
JAPANESE = "政府は学校の資金と家族の税金をめぐる長い議論の末、新しい予算を承認した。議会は火曜日に採決した。"
CHINESE = "政府在关于学校资金和家庭税收的长期辩论后批准了新的预算。议会在星期二进行了投票。"
GREEK = "Η κυβέρνηση ενέκρινε τον νέο προϋπολογισμό μετά από μακρά συζήτηση για τη χρηματοδότηση των σχολείων."
FRENCH = "Le conseil a approuvé le budget après un long débat sur le financement des écoles – «enfin», dit-il."


def page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body><p>{body}</p></body></html>"


CASES = {
    "cp1251 in <meta charset>": (page(RUSSIAN, '<meta charset="windows-1251">'), "cp1251"),
    "shift_jis in http-equiv": (
        page(JAPANESE, '<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">'), "shift_jis"),
    "gb18030 declared as gb2312": (page(CHINESE, '<meta charset="gb2312">'), "gb18030"),
    "iso-8859-7 declared": (page(GREEK, '<meta charset="iso-8859-7">'), "iso-8859-7"),
    "utf-16 with its BOM": (page(GREEK), "utf-16"),
    "utf-32 with its BOM": (page(RUSSIAN), "utf-32"),
    "utf-8 with its BOM": ("\ufeff" + page(FRENCH), "utf-8"),
    "a lying <meta>: utf-8 declared, cp1252 bytes": (page(FRENCH, '<meta charset="utf-8">'), "cp1252"),
    "nothing declared, cp1251 bytes": (page(RUSSIAN), "cp1251"),
    "utf-8 bytes declared latin-1": (page(FRENCH, '<meta charset="iso-8859-1">'), "utf-8"),
}


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("strict", [True, False])
def test_pages_decode_to_their_text(name: str, strict: bool) -> None:
    text, encoding = CASES[name]
    assert decode_page(text.encode(encoding), "", strict=strict) == text


def test_the_http_header_comes_before_the_meta() -> None:
    data = page(GREEK, '<meta charset="windows-1251">').encode("iso-8859-7")
    assert decode_page(data, "text/html; charset=ISO-8859-7") == page(GREEK, '<meta charset="windows-1251">')


def test_an_unknown_charset_is_refused_with_its_name() -> None:
    data = page(RUSSIAN, '<meta charset="x-unknown-42">').encode("cp1251")
    with pytest.raises(InputError, match=r"^unknown charset \('x-unknown-42' declared in the <meta>"):
        decode_page(data, "")
    ascii_only = page("Plain words.", '<meta charset="x-unknown-42">')
    assert decode_page(ascii_only.encode("ascii"), "") == ascii_only  # the same in any ASCII-based charset


def test_bytes_no_encoding_decodes_are_refused_when_strict_and_replaced_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cleaner.encoding, "guesses", lambda data: [])  # detection has no idea either
    data = page("x").encode("ascii").replace(b"x", bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 4)
    with pytest.raises(InputError, match=r"^undecodable bytes \(tried: utf-8, windows-1252"):
        decode_page(data, "", strict=True)
    assert "\ufffd" in decode_page(data, "", strict=False)


def test_labels_are_read_as_browsers_read_them() -> None:
    assert [codec_for(x) for x in ("latin1", "US-ASCII", "GBK", "EUC-KR", "UTF-16LE", "koi8-r", "nonsense")] == [
        "cp1252", "cp1252", "gb18030", "cp949", "utf-8", "koi8-r", None]


def test_text_files_take_a_bom_but_are_not_guessed() -> None:
    assert decode(FRENCH.encode("utf-16")) == FRENCH
    assert decode(FRENCH.encode("utf-32")) == FRENCH
    with pytest.raises(InputError, match="not valid UTF-8"):
        decode(FRENCH.encode("cp1252"))
    with pytest.raises(InputError, match="binary"):
        decode(b"\x00\x01\x02binary")


def test_a_corpus_run_decodes_each_page_and_reports_the_bad_ones(
    write_file: WriteFile, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for number, (text, encoding) in enumerate(CASES.values()):
        write_file(f"in/{number}-{encoding}.html", text.encode(encoding))
    write_file("in/unknown.html", page(RUSSIAN, '<meta charset="x-unknown-42">').encode("cp1251"))
    out = tmp_path / "out"
    assert main(["clean", str(tmp_path / "in"), "-o", str(out), "-j", "1", "-q"]) == 1
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["errors"] == {
        f"{(tmp_path / 'in').as_posix()}/unknown.html":
            "unknown charset ('x-unknown-42' declared in the <meta>, and the bytes are not UTF-8)"}
    assert summary["errors_by_reason"] == {"unknown charset": 1}
    texts = {p.name: p.read_text(encoding="utf-8") for p in out.glob("*.txt")}
    assert len(texts) == len(CASES)
    for number, (text, encoding) in enumerate(CASES.values()):
        body = text.split("<p>")[1].split("</p>")[0]
        assert texts[f"{number}-{encoding}.html.txt"] == body + "\n", (number, encoding)
