"""A document over its time budget is written with what finished, and reported as failed."""

from __future__ import annotations

import json
from pathlib import Path

from cleaner.cli import main


def test_a_document_over_its_time_budget_is_reported(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    body = "Le Parlement irakien a réclamé dimanche l'expulsion des troupes américaines du pays.\n"
    (inputs / "slow.txt").write_text((body + "S'abonner\n") * 2000, encoding="utf-8")
    out = tmp_path / "out"
    code = main(["clean", str(inputs), "-o", str(out), "-q", "--jobs", "1", "--time-budget", "0.000001"])
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert code == 1
    (reason,) = summary["errors"].values()
    assert "time budget" in reason
    assert (out / "slow.txt").read_text(encoding="utf-8").startswith("Le Parlement irakien")


def test_pages_in_jsonl_keep_the_time_budget(tmp_path: Path) -> None:
    """A record cleaned as a page (its html field) runs under the same --time-budget as text."""
    paragraph = "<p>Le Parlement irakien a réclamé dimanche l'expulsion des troupes américaines du pays.</p>"
    page = f"<html><body>{(paragraph + '<p>S’abonner</p>') * 2000}</body></html>"
    corpus = tmp_path / "pages.jsonl"
    corpus.write_text(json.dumps({"id": "p1", "html": page}) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    code = main(["clean", str(corpus), "-o", str(out), "-q", "--jobs", "1", "--time-budget", "0.000001"])
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert code == 1
    assert "time budget" in summary["errors"]["p1"]
