"""The multilingual residue set: every language's residue goes, its body stays.

tests/multilingual/<code>.txt mixes body sentences and widget residue in one
language (see tests/multilingual/generate.py); the whole engine runs on it,
language detection included, and must give <code>.expected.txt exactly.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import clean, restore

SET = Path(__file__).resolve().parent / "multilingual"
CODES = sorted(p.name.split(".")[0] for p in SET.glob("*.expected.txt"))


def test_the_set_covers_many_languages() -> None:
    assert len(CODES) >= 25


@pytest.mark.parametrize("code", CODES)
def test_residue_goes_and_body_stays(code: str) -> None:
    text = (SET / f"{code}.txt").read_text(encoding="utf-8")
    result = clean(text)
    assert result.text == (SET / f"{code}.expected.txt").read_text(encoding="utf-8")
    assert restore(result.text, result.removals) == text


@pytest.mark.parametrize("code", CODES)
def test_the_language_is_recognised(code: str) -> None:
    result = clean((SET / f"{code}.txt").read_text(encoding="utf-8"))
    close = {"ms": {"ms", "id"}, "id": {"ms", "id"}}
    assert result.lang in close.get(code, {code})
