"""Golden files: real documents, the exact clean text and the exact removals.

Each directory under tests/golden/ holds one or more documents:

    NAME.txt                      the input
    NAME.expected.txt             clean(input).text, exactly
    NAME.expected-removals.tsv    the content removals in order: `category<TAB>text`
    NAME.xfail                    (optional) a known weakness: the reason, one line;
                                  the case is a strict xfail, so fixing it shows

A golden file is changed by hand, in a commit that shows the diff: there is no
switch that rewrites them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from cleaner import Options, clean, default_rule_book, restore
from cleaner.document import from_text
from cleaner.rulebook import identify_site

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
SEED = GOLDEN_DIR / "seed-sputnik-fr" / "000_2e4d54bf42a527fd"

# What only the Sputnik template catches in the seed: the image alt text under
# the photo credit and the related-article card (alt text + headline).
ONLY_THE_TEMPLATE = {
    "Soldats - Sputnik Afrique",
    "Jens Stoltenberg - Sputnik Afrique",
    "Stoltenberg déclare qu’éliminer Soleimani vient des seuls USA et met en garde l’Iran contre des provocations",
}
MIN_CAUGHT_WITHOUT_TEMPLATE = 8  # of the seed's 11 expected removals


@dataclass(frozen=True)
class Golden:
    """One golden document and its expectations."""

    input: Path

    def _sibling(self, suffix: str) -> Path:
        return self.input.with_name(self.input.name.removesuffix(".txt") + suffix)

    @property
    def id(self) -> str:
        return f"{self.input.parent.name}/{self.input.name.removesuffix('.txt')}"

    def text(self) -> str:
        return self.input.read_text(encoding="utf-8")

    def expected_text(self) -> str:
        return self._sibling(".expected.txt").read_text(encoding="utf-8")

    def expected_removals(self) -> list[tuple[str, str]]:
        """(category, text) rows of the TSV, without its header."""
        header, *rows = self._sibling(".expected-removals.tsv").read_text(encoding="utf-8").split("\n")
        assert header == "category\ttext", f"{self.id}: the TSV must start with `category<TAB>text`"
        return [tuple(row.split("\t", 1)) for row in rows if row]  # type: ignore[misc]

    def xfail_reason(self) -> str | None:
        path = self._sibling(".xfail")
        return path.read_text(encoding="utf-8").strip() if path.exists() else None


def _goldens() -> list[Golden]:
    inputs = sorted(GOLDEN_DIR.glob("*/*.txt"))
    return [Golden(p) for p in inputs if not p.name.endswith(".expected.txt")]


def _params() -> list[object]:
    params = []
    for golden in _goldens():
        reason = golden.xfail_reason()
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(golden, id=golden.id, marks=marks))
    return params


GOLDENS = _params()


def test_there_are_golden_documents() -> None:
    assert len(GOLDENS) >= 1
    for golden in _goldens():
        assert golden.expected_text(), f"{golden.id}: empty expected text"


@pytest.mark.parametrize("golden", GOLDENS)
def test_clean_text_is_exactly_the_expected_text(golden: Golden) -> None:
    result = clean(golden.text())
    assert result.text.split("\n") == golden.expected_text().split("\n")  # a readable line diff first
    assert result.text == golden.expected_text()


@pytest.mark.parametrize("golden", GOLDENS)
def test_content_removals_are_exactly_the_expected_rows(golden: Golden) -> None:
    result = clean(golden.text())
    assert [(cut.category.value, cut.text) for cut in result.cuts] == golden.expected_removals()


@pytest.mark.parametrize("golden", GOLDENS)
def test_the_log_restores_the_golden_input(golden: Golden) -> None:
    text = golden.text()
    result = clean(text)
    assert restore(result.text, result.removals) == text


# The seed, without its site template, and the recognition of its site.


def _seed() -> Golden:
    return Golden(SEED.with_suffix(".txt"))


def test_seed_without_template_keeps_every_expected_line() -> None:
    seed = _seed()
    result = clean(seed.text(), options=Options(use_sites=False))
    assert result.site is None
    kept = set(result.text.split("\n"))
    missing = [line for line in seed.expected_text().split("\n") if line and line not in kept]
    assert missing == []


def test_seed_without_template_still_removes_most_residue() -> None:
    seed = _seed()
    expected = [text for _category, text in seed.expected_removals()]
    removed = [cut.text for cut in clean(seed.text(), options=Options(use_sites=False)).cuts]
    assert set(removed) <= set(expected), "generic and French rules removed a line the golden file keeps"
    assert len(removed) >= MIN_CAUGHT_WITHOUT_TEMPLATE
    assert set(expected) - set(removed) == ONLY_THE_TEMPLATE


def test_the_template_names_what_only_it_catches() -> None:
    cuts = clean(_seed().text()).cuts
    by_template = {cut.text for cut in cuts if cut.rule.startswith("sputnik.")}
    assert ONLY_THE_TEMPLATE.issubset(by_template)


def test_seed_is_recognised_as_sputnik_by_fingerprints() -> None:
    text = _seed().text()
    assert identify_site(default_rule_book(), None, from_text(text).blocks).name == "sputnik"
    assert clean(text).site == "sputnik"


@pytest.mark.parametrize("url", [
    "https://fr.sputniknews.africa/20200107/larmee-americaine-annonce-1042798471.html",
    "http://sputniknews.africa/afrique/",
    "fr.sputniknews.africa/20200107/article.html",
])
def test_a_sputnik_url_picks_the_template_even_without_fingerprints(url: str) -> None:
    body = "\n\n".join(line for line in _seed().expected_text().split("\n") if line)
    assert clean(body).site is None  # the clean text has no fingerprint left...
    assert clean(body, url=url).site == "sputnik"  # ...the host alone is enough


def test_an_unrelated_url_does_not_pick_the_template() -> None:
    body = _seed().expected_text()
    assert clean(body, url="https://www.lemonde.fr/international/article.html").site is None
