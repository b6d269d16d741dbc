"""Write the multilingual residue set: one small document per language lexicon.

Each document interleaves body sentences of its language (the `keep` lines of
the lexicon's rules: sentences that use a UI word in running text) with
residue in the same language (their `remove` lines: real wording of news
sites' widgets), and its expected clean text is the body sentences alone.
Run `python tests/multilingual/generate.py` after changing lexicon examples,
and review the diff: tests/test_multilingual.py checks the committed files.
"""

from __future__ import annotations

from pathlib import Path

from cleaner import default_rule_book

HERE = Path(__file__).resolve().parent
BODY_LINES = 8  # body sentences per document
RESIDUE_LINES = 12  # residue lines per document


def document(code: str) -> tuple[str, str]:
    """The document of one language and its expected clean text."""
    lexicon = default_rule_book().lexicons[code]
    single = [r for r in lexicon.rules if not r.examples.context]
    body = [k for r in single for k in r.examples.keep if "\n" not in k][:BODY_LINES]
    residue = [k for r in single for k in r.examples.remove if "\n" not in k][:RESIDUE_LINES]
    lines: list[str] = []
    for i, sentence in enumerate(body):
        lines.append(sentence)
        if i < len(residue):
            lines.append(residue[i])
    lines += residue[len(body):]
    return "\n".join(lines) + "\n", "\n\n".join(body) + "\n"


def main() -> None:
    for code in sorted(default_rule_book().lexicons):
        text, expected = document(code)
        (HERE / f"{code}.txt").write_text(text, encoding="utf-8")
        (HERE / f"{code}.expected.txt").write_text(expected, encoding="utf-8")


if __name__ == "__main__":
    main()
