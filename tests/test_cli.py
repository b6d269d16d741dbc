"""Contract tests of the command line, through `main(argv)`, plus one real process.

Exit codes: 0 all went well, 1 some documents failed, 2 usage or rule-file error.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest

from cleaner import clean
from cleaner.cli import main
from cleaner.io import BINARY, EMPTY

WriteFile = Callable[[str, "str | bytes"], Path]
Capture = pytest.CaptureFixture[str]

ENGLISH = (
    "Officials said the new bridge would open to traffic next spring, weather permitting.\r\n"
    "\r\n"
    "Share\r\n"
    "Facebook Twitter WhatsApp\r\n"
    "   The committee published its report on Tuesday, after two years of hearings.   \r\n"
    "© 2024 Example News. All rights reserved.\r\n"
)
# Line ends that text mode or str.splitlines() would mangle: a lone \r inside a line, U+2028 on a blank line.
ODD_BREAKS = (
    "Le titre de l'article\rsuite du titre\n"
    "\u2028\n"
    "Le corps de l'article, assez long pour être du texte, parle des élections de dimanche.\n"
    "S'abonner\n"
)
LOG_KEYS = {"doc", "start", "end", "line", "text", "rule", "category", "source"}


@pytest.fixture
def tree(write_file: WriteFile, seed_text: str, tmp_path: Path) -> Path:
    """An input directory with nested documents (and a file that is not *.txt)."""
    write_file("in/seed.txt", seed_text)
    write_file("in/en/2024/bridge.txt", ENGLISH)
    write_file("in/fr/odd.txt", ODD_BREAKS)
    write_file("in/notes.md", "not a document")
    return tmp_path / "in"


def _log(out: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in (out / "removals.jsonl").read_text(encoding="utf-8").split("\n") if line]


def test_clean_mirrors_the_tree_and_writes_log_and_summary(tree: Path, tmp_path: Path, capsys: Capture) -> None:
    out = tmp_path / "out"
    assert main(["clean", str(tree), "-o", str(out)]) == 0
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == ["en/2024/bridge.txt", "fr/odd.txt", "removals.jsonl", "seed.txt", "summary.json"]
    for name in ("seed.txt", "en/2024/bridge.txt", "fr/odd.txt"):
        original = (tree / name).read_bytes().decode("utf-8")
        assert (out / name).read_bytes().decode("utf-8") == clean(original).text
    assert "documents: 3  cleaned: 3  failed: 0" in capsys.readouterr().err


def test_the_log_records_every_removal_with_its_document(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    main(["clean", str(tree), "-o", str(out), "-q"])
    records = _log(out)
    assert records and all(LOG_KEYS.issubset(r) for r in records)
    bridge = f"{tree.as_posix()}/en/2024/bridge.txt"
    cut = {r["text"]: r for r in records if r["doc"] == bridge and r["category"] != "whitespace"}
    assert set(cut) == {"Share", "Facebook Twitter WhatsApp", "© 2024 Example News. All rights reserved."}
    share = cut["Share"]
    assert (share["line"], share["start"], share["end"]) == (3, ENGLISH.index("Share"), ENGLISH.index("Share") + 5)
    assert share["category"] == "widget" and share["rule"] == "generic.ui-words"
    assert share["source"] == "rules/generic/widgets.yaml"
    seed = [r for r in records if r["doc"] == f"{tree.as_posix()}/seed.txt" and r["category"] != "whitespace"]
    assert len(seed) == 11


def test_the_summary_adds_up(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    main(["clean", str(tree), "-o", str(out), "-q"])
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert (summary["documents"], summary["cleaned"], summary["failed"], summary["errors"]) == (3, 3, 0, {})
    cuts = [r for r in _log(out) if r["category"] != "whitespace"]
    assert summary["removed_blocks"] == len(cuts)
    assert sum(summary["per_category"].values()) == len(cuts)
    assert summary["per_site"]["sputnik"] == 1


def test_bad_inputs_are_reported_and_good_ones_still_cleaned(
    write_file: WriteFile, tmp_path: Path, capsys: Capture
) -> None:
    write_file("in/good.txt", ENGLISH)
    write_file("in/binary.txt", b"PK\x03\x04\x00\x00binary\x00data")
    write_file("in/empty.txt", b"")
    write_file("in/blank.txt", b" \n\t\n")
    write_file("in/latin1.txt", "Le président a parlé à la presse.".encode("latin-1"))
    out = tmp_path / "out"
    assert main(["clean", str(tmp_path / "in"), "-o", str(out)]) == 1
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    doc = f"{(tmp_path / 'in').as_posix()}/"
    assert summary["errors"] == {
        doc + "binary.txt": BINARY,
        doc + "blank.txt": EMPTY,
        doc + "empty.txt": EMPTY,
        doc + "latin1.txt": "not valid UTF-8 (byte 0xe9 at offset 5)",
    }
    assert (summary["documents"], summary["cleaned"], summary["failed"]) == (5, 1, 4)
    assert summary["errors_by_reason"] == {"binary file": 1, EMPTY: 2, "not valid UTF-8": 1}
    assert sorted(p.name for p in out.glob("*.txt")) == ["good.txt"]
    assert (out / "good.txt").read_text(encoding="utf-8") == clean(ENGLISH).text
    assert {r["doc"] for r in _log(out)} == {doc + "good.txt"}
    err = capsys.readouterr().err
    assert "failed: 4" in err and "binary.txt: binary file (not text)" in err


def test_a_missing_input_is_counted_as_failed(write_file: WriteFile, tmp_path: Path, capsys: Capture) -> None:
    good = write_file("good.txt", ENGLISH)
    out = tmp_path / "out"
    assert main(["clean", str(good), str(tmp_path / "nope.txt"), "-o", str(out), "-q"]) == 1
    assert f"{tmp_path / 'nope.txt'}: no such file or directory" in capsys.readouterr().err
    assert (out / "good.txt").exists()


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=io.BytesIO(data)))


def test_clean_reads_stdin_and_writes_stdout(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: Capture) -> None:
    _stdin(monkeypatch, ENGLISH.encode("utf-8"))
    log = tmp_path / "log.jsonl"
    assert main(["clean", "-", "--log", str(log)]) == 0
    assert capsys.readouterr().out == clean(ENGLISH).text
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").split("\n") if line]
    assert {r["doc"] for r in records} == {"-"}
    assert [r["text"] for r in records if r["category"] != "whitespace"] == [
        "Share", "Facebook Twitter WhatsApp", "© 2024 Example News. All rights reserved."]


def test_clean_refuses_binary_stdin(monkeypatch: pytest.MonkeyPatch, capsys: Capture) -> None:
    _stdin(monkeypatch, b"\x00\x01\x02binary")
    assert main(["clean", "-"]) == 1
    assert capsys.readouterr().err == f"cleaner clean: stdin: {BINARY}\n"


@pytest.mark.parametrize("argv", [["clean", "{file}"], ["clean", "-", "{file}", "-o", "{out}"]])
def test_clean_usage_errors(argv: list[str], write_file: WriteFile, tmp_path: Path, capsys: Capture) -> None:
    file = write_file("a.txt", ENGLISH)
    assert main([a.format(file=file, out=tmp_path / "out") for a in argv]) == 2
    assert capsys.readouterr().err.startswith("cleaner clean: ")


def test_explain_marks_each_removed_line_with_rule_and_category(
    seed_text: str, write_file: WriteFile, capsys: Capture
) -> None:
    path = write_file("seed.txt", seed_text)
    assert main(["explain", str(path), "--color", "never"]) == 0
    out = capsys.readouterr().out.split("\n")
    lines = seed_text.split("\n")
    cuts = {cut.line: cut for cut in clean(seed_text).cuts}
    for number, line in enumerate(lines, start=1):
        shown = out[number - 1]
        if number in cuts:
            cut = cuts[number]
            assert shown.startswith(f"{number:>2} - {line.strip()}  [{cut.rule} · {cut.category.value}")
        else:
            assert shown == f"{number:>2}   {line.rstrip()}"
    assert out[4] == " 5 - S'abonner  [fr.subscribe · subscribe]"
    assert "lang: fr (stopwords)  site: sputnik  removed: 11 of 24 blocks" in out


def test_explain_with_colour_paints_removed_lines(write_file: WriteFile, capsys: Capture) -> None:
    assert main(["explain", str(write_file("en.txt", ENGLISH)), "--color", "always"]) == 0
    assert "\033[31mShare\033[0m" in capsys.readouterr().out


def test_restore_rebuilds_every_input_byte_for_byte(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    main(["clean", str(tree), "-o", str(out), "-q"])
    for name in ("seed.txt", "en/2024/bridge.txt", "fr/odd.txt"):
        restored = tmp_path / "restored" / name
        restored.parent.mkdir(parents=True, exist_ok=True)
        doc = f"{tree.as_posix()}/{name}"
        assert main(["restore", str(out / name), str(out / "removals.jsonl"), "--doc", doc, "-o", str(restored)]) == 0
        assert restored.read_bytes() == (tree / name).read_bytes(), name


def test_restore_finds_the_document_by_file_name_and_writes_stdout(
    tree: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    out = tmp_path / "out"
    main(["clean", str(tree), "-o", str(out), "-q"])
    capsysbinary.readouterr()
    assert main(["restore", str(out / "en/2024/bridge.txt"), str(out / "removals.jsonl")]) == 0
    assert capsysbinary.readouterr().out == ENGLISH.encode("utf-8")


def test_restore_says_when_the_clean_text_does_not_fit(tree: Path, tmp_path: Path, capsys: Capture) -> None:
    out = tmp_path / "out"
    main(["clean", str(tree), "-o", str(out), "-q"])
    (out / "seed.txt").write_text("Something else entirely.\n", encoding="utf-8")
    doc = f"{tree.as_posix()}/seed.txt"
    assert main(["restore", str(out / "seed.txt"), str(out / "removals.jsonl"), "--doc", doc]) == 1
    assert capsys.readouterr().err.startswith("cleaner restore: ")


def test_rules_check_passes_on_the_shipped_rules(capsys: Capture) -> None:
    assert main(["rules", "check"]) == 0
    assert capsys.readouterr().out.rstrip().endswith(": 0 example failure(s)")


BROKEN = """\
rules:
  - id: credit
    kind: regexp
    category: photo-credit
    description: a credit
    pattern: '^©'
    examples: {remove: ["© AFP"], keep: ["Body text."]}
  - id: chat
    kind: phrases
    category: chat
    description: the chat button
    phrases: [Chat]
    examples: {remove: ["Chat"], keep: ["Body text."]}
"""


def test_rules_check_prints_every_problem_located(write_file: WriteFile, capsys: Capture) -> None:
    broken = write_file("broken.yaml", BROKEN)
    assert main(["rules", "check", "--rules", str(broken)]) == 2
    err = capsys.readouterr().err
    assert f"{broken}:3:11: rule \"credit\": unknown kind 'regexp'" in err
    assert f"{broken}:10:15: rule \"chat\": unknown category 'chat'" in err
    assert err.rstrip().endswith("2 problem(s) in rule files")
    assert "Traceback" not in err


def test_rules_check_reports_failing_examples(write_file: WriteFile, capsys: Capture) -> None:
    wrong = write_file("wrong.yaml", BROKEN.replace("regexp", "regex").replace("category: chat", "category: widget")
                       .replace('keep: ["Body text."]}\n', 'keep: ["Chat"]}\n'))
    assert main(["rules", "check", "--no-shipped-rules", "--rules", str(wrong)]) == 2
    captured = capsys.readouterr()
    assert f"{wrong}:8:1: rule generic.chat: removes ['Chat'], which it must keep: 'Chat'" in captured.err
    assert captured.out.strip() == "1 files, 2 rules, 0 sites, 0 languages: 1 example failure(s)"


def test_rules_list_names_every_rule_with_its_location(capsys: Capture) -> None:
    assert main(["rules", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    subscribe = next(line for line in lines if line.startswith("fr.subscribe "))
    assert "subscribe" in subscribe and "rules/lang/fr.yaml:" in subscribe


def test_clean_with_a_broken_rule_file_is_a_usage_error(write_file: WriteFile, tmp_path: Path, capsys: Capture) -> None:
    doc = write_file("a.txt", ENGLISH)
    broken = write_file("broken.yaml", BROKEN)
    assert main(["clean", str(doc), "-o", str(tmp_path / "out"), "--rules", str(broken)]) == 2
    err = capsys.readouterr().err
    assert f"{broken}:3:11: " in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", ["clean", "explain"])
def test_an_unknown_site_is_a_usage_error(command: str, write_file: WriteFile, tmp_path: Path, capsys: Capture) -> None:
    doc = write_file("a.txt", ENGLISH)
    argv = [command, str(doc), "--site", "no-such-site"] + (["-o", str(tmp_path / "out")] if command == "clean" else [])
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("cleaner: unknown site 'no-such-site' (known: ")
    assert "sputnik" in err


def test_python_m_cleaner_cleans_the_seeds(repo_root: Path, tmp_path: Path) -> None:
    """One real process: the installed entry point, as a user runs it."""
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "cleaner", "clean", str(repo_root / "seeds"), "-o", str(out)],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    seeds = sorted(p.relative_to(repo_root / "seeds") for p in (repo_root / "seeds").rglob("*.txt"))
    assert seeds and all((out / p).is_file() for p in seeds)
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["failed"] == 0
    assert "Traceback" not in done.stderr
