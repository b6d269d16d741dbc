"""Fuzz target for atheris: `make fuzz` runs it; CI does not (see the Makefile).

One input drives one of three paths, chosen by its first byte:

- plain text: `clean()` must return, and its log must restore the input;
- a page: `clean(format="html")` must return, its log must restore the
  page's rendering, and that rendering must be what `from_html` gives;
- a rule file: `load_text()` must report problems, never raise.

Run it by hand with `.venv/bin/python tests/fuzz/fuzz_clean.py CORPUS_DIR
-max_total_time=300`; seeds are in tests/fuzz/seeds/. atheris is imported
only when the target runs, so the test suite can import this module.
"""

from __future__ import annotations

import sys

PATHS = ("text", "html", "rules")
TIME_BUDGET_SECONDS = 5.0  # one input may take this long before clean() stops (and says so)


def check(data: bytes) -> None:
    """Run one fuzz input through the path its first byte picks; raise on a broken promise.

    >>> check(b"\\x00Title\\nS'abonner\\nBody text.\\n")
    >>> check(b"\\x01<html><body>" + b"<div>" * 3000 + b"x")
    >>> check(b"\\x02rules: [{id: a, kind: regex}]")
    """
    from cleaner import clean, restore
    from cleaner.engine import Options
    from cleaner.html import from_html
    from cleaner.rulefiles import load_text

    if not data:
        return
    path = PATHS[data[0] % len(PATHS)]
    text = data[1:].decode("utf-8", errors="replace")
    if path == "rules":
        _loaded, problems = load_text(text, "fuzz.yaml")
        assert all(p.line >= 1 and p.column >= 1 and p.message for p in problems), problems
        return
    options = Options(format=path, time_budget=TIME_BUDGET_SECONDS)
    result = clean(text, options=options)
    assert restore(result.text, result.removals) == result.original, "the log does not restore the original"
    if path == "text":
        assert result.original == text, "plain text must be its own original"
    else:
        assert result.original == from_html(text).text, "the original is not the page's rendering"
        if "<" not in text and "&" not in text:  # no markup at all: every word is text to keep
            lost = [w for w in text.split() if w.isalnum() and w not in result.original]
            assert not lost, f"words lost from a page without markup: {lost[:5]}"


def main(argv: list[str]) -> None:
    """atheris's entry point: instrument the package, then fuzz `check`."""
    import atheris  # only here: the test suite imports this module without it

    with atheris.instrument_imports():
        import cleaner.engine
        import cleaner.html
        import cleaner.rulefiles  # noqa: F401
    atheris.Setup(argv, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
