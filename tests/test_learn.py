"""`cleaner learn`: templates learned from a sample of a site's pages, the guard, the CLI and --check."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from cleaner.cli import main
from cleaner.engine import Options, clean
from cleaner.examples import check_rules
from cleaner.learn_template import MAX_PAGE_SHARE, LearnSettings, learn, with_template
from cleaner.learn_text import SamplePage, normalise, page_counts, read_sample
from cleaner.rulefiles import default_rule_book, load_text

DEV_SET = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "dev.jsonl.gz"

# One distinct article per page; the rest of each page is the site's chrome.
BODIES = [
    "The city council approved the new budget for public libraries on Tuesday evening after a long debate.",
    "Farmers in the northern valley expect a smaller harvest this year because the spring was unusually dry.",
    "A local swimmer broke the regional record in the four hundred metres at the weekend championship.",
    "The museum will reopen its east wing in March, with a collection of maps from the eighteenth century.",
    "Residents asked the transport office for a later last bus on weekdays, citing the new evening shifts.",
    "Scientists at the university measured the lake's temperature every hour for a whole year to map its layers.",
]
SECOND = [
    "Members said the extra money would pay for longer opening hours and for two more librarians.",
    "Some growers have already switched to crops that need less water, such as chickpeas and lentils.",
    "Her coach said the result came after two years of training twice a day, six days a week.",
    "Curators spent months restoring the paper, which had been damaged by damp in the old storage rooms.",
    "The office said it would study passenger numbers before deciding on any change to the timetable.",
    "Their data show that the lake now mixes later in the autumn than it did thirty years ago.",
]
DISCLAIMER = "Letters to the editor are edited for length and clarity before they are published on this site."


def text_page(number: int) -> str:
    """A page of the imaginary Valley Courier: menu, byline, article, counters, footer."""
    return "\n".join([
        "Valley Courier", "Front page", "Local news", "Sports desk",
        "By Jane Okafor" if number % 2 else "By Tom Reyes",
        BODIES[number], f"Gallery: {3 + 7 * number} pictures of the week", "Pictures from the valley",
        SECOND[number], DISCLAIMER, "Print this story", "Courier app for your phone",
    ]) + "\n"


def samples(count: int = 6) -> list[SamplePage]:
    return [read_sample(f"p{i}", text_page(i), url=f"https://www.courier.example/story/{i}") for i in range(count)]


def entries_of(yaml_text: str) -> dict[str, list[str]]:
    loaded, problems = load_text(yaml_text, "learned.yaml")
    assert problems == [] and loaded.site is not None
    found: dict[str, list[str]] = {}
    for rule in loaded.site.rules:
        values = rule.options.get("phrases") or [p.pattern for p in rule.options.get("pattern") or ()]
        found[rule.id.split(".", 1)[1]] = list(values)
    return found


def test_learns_recurring_chrome_as_a_valid_template() -> None:
    learned = learn(samples(), "courier")
    loaded, problems = load_text(learned.yaml, "courier.yaml")
    assert problems == [] and loaded.site is not None
    assert check_rules(loaded.site.rules) == []
    assert loaded.site.domains == ("courier.example", "*.courier.example")
    everything = [v for values in entries_of(learned.yaml).values() for v in values]
    assert "front page" in everything and "pictures from the valley" in everything  # phrases are stored folded
    assert any(r"\d+" in v and "pictures" in v for v in everything)  # a counter: its digits vary
    assert not any("budget" in v or "harvest" in v for v in everything)  # articles are never learned
    assert any(k.pattern.startswith("^Letters") for k in learned.keep)  # body-like: protected, not removed
    assert "# on 6 of 6 pages, head" in learned.yaml  # evidence beside each entry


def test_bylines_are_removed_unless_kept() -> None:
    removed = learn(samples(), "courier")
    assert any(v == "by jane okafor" for vs in entries_of(removed.yaml).values() for v in vs)
    kept = learn(samples(), "courier", LearnSettings(keep_bylines=True))
    assert not any("okafor" in v for vs in entries_of(kept.yaml).values() for v in vs)
    assert any("Okafor" in k.pattern for k in kept.keep)


def test_no_learned_rule_removes_a_line_found_on_one_page_or_most_of_a_page() -> None:
    pages = samples()
    learned = learn(pages, "courier")
    book, site = with_template(default_rule_book(), learned.yaml)
    counts = page_counts(pages)
    for i in range(len(pages)):
        result = clean(text_page(i), options=Options(site=site.name), rules=book)
        ours = [c for c in result.cuts if c.rule.startswith("courier.")]
        assert ours, "the template removes the chrome of every sample page"
        assert all(counts[normalise(c.text)] >= 2 for c in ours)
        assert sum(len(c.text) for c in ours) <= MAX_PAGE_SHARE * len(text_page(i))
        assert BODIES[i] in result.text and SECOND[i] in result.text


def test_guard_drops_entries_that_would_eat_a_short_page() -> None:
    chrome = [f"Section {name}" for name in "alpha bravo charlie delta echo foxtrot golf hotel india juliet".split()]
    texts = ["\n".join([*chrome, BODIES[i]]) + "\n" for i in range(4)]
    pages = [read_sample(f"p{i}", t) for i, t in enumerate(texts)]
    learned = learn(pages, "menus")
    kept = sum(len(r.entries) for r in learned.rules)
    assert 0 < kept < len(chrome) and learned.dropped
    book, site = with_template(default_rule_book(), learned.yaml)
    for text in texts:
        cuts = [c for c in clean(text, rules=book, options=Options(site=site.name)).cuts if c.rule.startswith("menus.")]
        assert sum(len(c.text) for c in cuts) <= MAX_PAGE_SHARE * sum(len(line) for line in text.split("\n"))


HEADLINES = [
    "Repairs on the old stone bridge finished two weeks early.",
    "The school choir won a national prize in the capital.",
    "A new bakery opened its doors on Mill Street today.",
    "Volunteers planted two hundred oaks along the river path.",
    "The ferry timetable changes on the first of the month.",
    "Night trains to the coast return after a long pause.",
]


def boxed_page(number: int, box: list[str] | None = None) -> str:
    """A page ending with a box of other stories: each is on two pages, too few to be learned alone."""
    stories = box if box is not None else [HEADLINES[number % 6], HEADLINES[(number + 1) % 6]]
    return text_page(number) + "\n".join(["Elsewhere in the valley", *stories]) + "\n"


def test_a_tail_of_recurring_lines_becomes_a_zone_that_takes_new_lines_too() -> None:
    pages = [read_sample(f"p{i}", boxed_page(i)) for i in range(6)]
    learned = learn(pages, "courier")
    zones = [r for r in learned.rules if r.kind == "zone"]
    assert len(zones) == 1 and "      context: " in learned.yaml
    book, site = with_template(default_rule_book(), learned.yaml)
    assert check_rules(site.rules) == []
    fresh = "The mayor will open the summer fair on Saturday."  # never in the sample
    result = clean(boxed_page(1, [fresh]), rules=book, options=Options(site=site.name))
    assert fresh not in result.text and BODIES[1] in result.text and SECOND[1] in result.text
    assert any(c.text == fresh and c.rule == f"courier.{zones[0].id}" for c in result.cuts)


def test_no_zone_when_a_line_after_the_marker_is_a_pages_own() -> None:
    own = [f"The court will hear witness number {i} again when the trial resumes in the spring." for i in range(6)]
    pages = [read_sample(f"p{i}", boxed_page(i) + own[i] + "\n") for i in range(6)]
    assert not [r for r in learn(pages, "courier").rules if r.kind == "zone"]


def test_no_zone_over_a_fixed_box_that_line_rules_cover() -> None:
    pages = [read_sample(f"p{i}", boxed_page(i, HEADLINES[:2])) for i in range(6)]
    rules = learn(pages, "courier").rules
    assert not [r for r in rules if r.kind == "zone"]  # what follows such a box elsewhere may be the page's own
    assert any(HEADLINES[0] in e.value for r in rules for e in r.entries)


def test_learns_strip_selectors_of_recurring_html_furniture() -> None:
    def page(i: int, weather: str = "mild and dry") -> str:
        return ("<html><body><article><h1>Story</h1>"
                f'<div class="Weather-Strip"><p>Valley weather: {weather}</p></div>'
                f"<p>{BODIES[i]}</p><p>{SECOND[i]}</p></article></body></html>")

    pages = [read_sample(f"p{i}", page(i)) for i in range(5)]
    learned = learn(pages, "courier-html")
    assert "html:\n  strip:" in learned.yaml
    selectors = {e.value for r in learned.rules if r.kind == "strip" for e in r.entries}
    assert selectors == {".Weather-Strip"}  # spelt as the pages spell it; article containers never learned
    book, site = with_template(default_rule_book(), learned.yaml)
    assert check_rules(site.rules) == []
    result = clean(page(5, "storms by evening"), rules=book, options=Options(site=site.name))
    assert "storms by evening" not in result.text and BODIES[5] in result.text  # new text in the same furniture
    assert any(c.rule.endswith("-boxes") and "storms" in c.text for c in result.cuts)


def test_cli_learns_checks_and_passes_rules_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    for i in range(6):
        (pages / f"{i}.txt").write_text(text_page(i), encoding="utf-8")
    target = tmp_path / "courier.yaml"
    assert main(["learn", str(pages), "--site", "courier", "-o", str(target)]) == 0
    assert "courier: 6 pages" in capsys.readouterr().err
    assert main(["learn", str(pages), "--site", "courier", "-o", str(target)]) == 1  # no overwrite without --force
    assert main(["rules", "check", "--no-shipped-rules", "--rules", str(target)]) == 0
    capsys.readouterr()
    held_back = tmp_path / "held"
    held_back.mkdir()
    (held_back / "x.txt").write_text(text_page(1).replace(BODIES[1], "A new bridge opens in June."), encoding="utf-8")
    assert main(["learn", "--check", str(target), str(held_back), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["pages"] == 1 and report["removed_chars_with"] > report["removed_chars_without"]
    assert any("Pictures from the valley" in r["examples"] for r in report["rules"].values())


def test_cli_groups_jsonl_by_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "crawl.jsonl.gz"
    with gzip.open(source, "wt", encoding="utf-8") as out:
        for i in range(6):
            for host in ("www.courier.example", "news.other.example"):
                record = {"id": f"{host}/{i}", "url": f"https://{host}/{i}", "text": text_page(i)}
                out.write(json.dumps(record) + "\n")
        out.write(json.dumps({"id": "lonely", "url": "https://third.example/1", "text": text_page(0)}) + "\n")
    assert main(["learn", str(source), "-o", str(tmp_path / "sites"), "--min-pages", "3"]) == 0
    assert sorted(p.name for p in (tmp_path / "sites").iterdir()) == ["courier-example.yaml", "news-other-example.yaml"]
    assert "1 site(s) with fewer than 3 pages" in capsys.readouterr().err


def html_page(number: int) -> str:
    return ('<html><body><article><h1>Valley Courier</h1><div class="weather-strip"><p>Valley weather: mild</p></div>'
            f"<p>{BODIES[number]}</p><p>{SECOND[number]}</p></article></body></html>")


def test_cli_groups_warc_records_by_host(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    source = tmp_path / "crawl.warc.gz"
    with open(source, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for i in range(6):
            for host in ("www.courier.example", "other.example"):
                headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                           protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(
                    f"https://{host}/{i}", "response", payload=io.BytesIO(html_page(i).encode()), http_headers=headers))
    assert main(["learn", str(source), "-o", str(tmp_path / "sites")]) == 0
    learned = (tmp_path / "sites" / "courier-example.yaml").read_text(encoding="utf-8")
    assert '".weather-strip"' in learned and "courier.example" in learned
    assert (tmp_path / "sites" / "other-example.yaml").is_file()


def test_learning_from_too_few_or_unrelated_pages_says_why(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    for i in range(3):
        (pages / f"{i}.txt").write_text(BODIES[i] + "\n" + SECOND[i] + "\n", encoding="utf-8")
    assert main(["learn", str(pages), "--site", "nothing", "-o", str(tmp_path / "n.yaml")]) == 1
    assert "nothing recurs" in capsys.readouterr().err
    assert not (tmp_path / "n.yaml").exists()


def test_held_out_pages_of_a_dev_site_score_better_with_the_learned_template() -> None:
    if not DEV_SET.is_file():
        pytest.skip(f"no shared dev set at {DEV_SET} (it sits beside the repository, in shared/corpus/)")
    from cleaner.evaluate import read_jsonl
    from cleaner.learn_eval import by_site, evaluate_site

    docs = [d for d in read_jsonl(DEV_SET) if d.get("site") == "iatronet.gr"]
    site_docs = by_site(docs, "scraped_container", 10)["iatronet.gr"]
    result = evaluate_site("iatronet.gr", site_docs, "scraped_container", LearnSettings())
    assert result.rules > 0 and result.f1_learned > result.f1_shipped
    assert result.worst_recall_change >= -0.01


def framed_page(number: int) -> str:
    """A menu, then an article with its headline, a recurring heading over its text and a sign-off.

    Fewer than six lines stand over the first paragraph: the shipped `generic.head` leaves the menu
    to be learned.
    """
    return "\n".join([
        "Valley Courier", "Front page", "Courier app for your phone",
        HEADLINES[number], "Story highlights", BODIES[number], SECOND[number], "Ross",
    ]) + "\n"


def test_a_line_standing_inside_the_article_is_not_learned() -> None:
    pages = [read_sample(f"p{i}", framed_page(i)) for i in range(6)]
    everything = [v for vs in entries_of(learn(pages, "courier").yaml).values() for v in vs]
    assert "front page" in everything and "courier app for your phone" in everything  # chrome comes in runs
    assert "story highlights" not in everything  # a heading over the article's own text
    assert "ross" not in everything  # a sign-off after its last paragraph


def test_learn_eval_classes_sites_and_counts_the_target_where_a_template_fired() -> None:
    from cleaner.learn_eval import SiteScore, summary_lines

    scores = [
        SiteScore("a.example", 5, 5, 2, 4, 0.80, 0.85, 0.0, fired=5),
        SiteScore("b.example", 5, 5, 0, 0, 0.90, 0.90, 0.0, "nothing recurs"),
        SiteScore("c.example", 5, 5, 1, 1, 0.90, 0.90, 0.0, fired=0),
        SiteScore("d.example", 5, 5, 1, 1, 0.90, 0.89, -0.02, fired=3, recall_violations=2),
        SiteScore("e.example", 5, 5, 0, 0, 1.0, 1.0, 0.0, "nothing recurs"),
    ]
    assert [s.outcome for s in scores] == ["improved", "no rules learned", "nothing fired", "worse", "perfect already"]
    lines = summary_lines(scores)
    assert lines[0].startswith("1 of 5 sites meet the target")
    assert lines[1] == ("sites: 1 improved, 3 unchanged (1 perfect already, 1 no rules learned, 1 nothing fired), "
                        "1 worse")
    assert lines[2] == ("target met on 1 of 2 sites where a template fired; "
                        "1 site(s) at F1 0.9995+ with the shipped rules alone (nothing to raise)")
    assert lines[3].startswith("per-page recall check: 2 of 25 held-out documents") and "d.example: 2" in lines[3]


CHANNEL = ["Channel home", "Channel forum and blogs", "Channel on your phone", "Font size: large medium small"]
REPUBLISHED = ["Wire service", "Weather desk", "Storm warning for the coast",
               "Forecasters said the storm would reach the coast by Friday night, bringing strong winds and rain."]


def channel_page(number: int) -> str:
    """Pages of two templates: a channel's menu block on pages 0, 2, 4, 6 only (fewer than half).

    Five lines at most over the first paragraph: the shipped `generic.head` leaves them to be learned.
    """
    lines = ["Front page"]
    if number in (0, 2, 4, 6):
        lines += CHANNEL
    if number in (1, 3, 5):
        lines.append("Ann Lee reporting")  # on 3 pages, but alone: an author, not a block of chrome
    if number in (7, 8, 9):
        lines += REPUBLISHED  # one story on 3 pages: a block, but with a sentence of body text
    return "\n".join([*lines, (BODIES + SECOND)[number], "Courier app for your phone"]) + "\n"


def test_a_block_of_lines_on_the_same_few_pages_is_learned_as_a_sub_template() -> None:
    pages = [read_sample(f"p{i}", channel_page(i)) for i in range(10)]
    learned = learn(pages, "courier")
    everything = [v for vs in entries_of(learned.yaml).values() for v in vs]
    assert "channel home" in everything and "font size: large medium small" in everything
    assert "# on 4 of 10 pages, head" in learned.yaml and "same 3 or more pages (a sub-template)" in learned.yaml
    assert not any("ann lee" in v for v in everything)
    assert not any("storm" in v or "wire service" in v for v in everything)
    fewer = learn([read_sample(f"p{i}", channel_page(i)) for i in range(6)], "courier")  # 3 of 6 is half: no tier
    assert "sub-template" not in fewer.yaml
