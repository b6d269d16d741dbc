"""The text track's residue rules at work inside whole articles.

Each case is a short article (invented text, not dev-set text) with the
residue that news and blog engines print around it: time stamps, comment
thread headers, "read also" pointers. The whole engine cleans it, and the
test checks both what went (with the rule that cut it) and that every
sentence of the article stayed. The last test scores the shared dev set's
text track when it is there.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import clean, restore
from cleaner.evaluate import read_jsonl, score

DEV_SET = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "dev.jsonl.gz"
DEV_STEP = 6  # every n-th document of the dev set is scored (spread over sources, a few seconds)
DEV_FLOOR = 0.93  # macro F1 of that slice; the whole text track scores about 0.948

RU_BODY = [
    "Правительство области утвердило новую программу поддержки сельских больниц на ближайшие три года.",
    "По словам министра здравоохранения, в программу войдут закупка оборудования и ремонт зданий.",
    "Первые средства поступят в районные больницы уже весной, а отчёт о работе опубликуют осенью.",
]
PL_BODY = [
    "Rada miasta zatwierdziła w środę nowy plan budowy ścieżek rowerowych w centrum i na osiedlach.",
    "Według urzędników prace rozpoczną się wiosną, a pierwsze odcinki zostaną oddane jeszcze w tym roku.",
    "Mieszkańcy mogą zgłaszać uwagi do projektu przez stronę internetową urzędu do końca miesiąca.",
]
EL_BODY = [
    "Το δημοτικό συμβούλιο ενέκρινε χθες το νέο σχέδιο για την ανακαίνιση των σχολικών κτιρίων της πόλης.",
    "Σύμφωνα με τον δήμαρχο, οι εργασίες θα ξεκινήσουν την άνοιξη και θα ολοκληρωθούν μέσα στο καλοκαίρι.",
    "Οι γονείς χαιρέτισαν την απόφαση, ζητώντας όμως περισσότερη ενημέρωση για το χρονοδιάγραμμα.",
]
EN_BODY = [
    "I finally finished the garden shed this weekend, after three months of evenings and one broken saw.",
    "The roof took longest: the boards warped in the rain and had to be replaced twice before it held.",
    "Next spring I want to add a small greenhouse along the south wall, where the light is best.",
]


def cleaned(lines: list[str], lang: str) -> tuple[str, dict[str, str]]:
    """The clean text of the lines as one document, and each cut line's rule."""
    text = "\n".join(lines) + "\n"
    result = clean(text, lang=lang)
    assert restore(result.text, result.removals) == result.original
    return result.text, {cut.text.strip(): cut.rule for cut in result.cuts}


def assert_body_kept(text: str, body: list[str]) -> None:
    for sentence in body:
        assert sentence in text


def test_russian_time_stamps_and_read_also_go() -> None:
    lines = ["Больницы получат новое оборудование", "время публикации: 3 марта 2015 г., 09:12",
             RU_BODY[0], "Читай также: Как выбрать зимние шины", RU_BODY[1], RU_BODY[2],
             "Смотри также: Пять упражнений для спины"]
    text, cuts = cleaned(lines, "ru")
    assert cuts["время публикации: 3 марта 2015 г., 09:12"] == "ru.dateline"
    assert cuts["Читай также: Как выбрать зимние шины"] == "ru.read-also"
    assert "Больницы получат новое оборудование" in text
    assert_body_kept(text, RU_BODY)


def test_russian_bare_stamp_goes_but_a_dated_sentence_stays() -> None:
    dated = "14 февраля 2013 года в городе прошёл первый весенний фестиваль уличной музыки."
    lines = ["14 февраля 2013 года, 10:05", RU_BODY[0], dated, RU_BODY[1], RU_BODY[2]]
    text, cuts = cleaned(lines, "ru")
    assert cuts["14 февраля 2013 года, 10:05"] == "ru.dateline"
    assert dated in text
    assert_body_kept(text, RU_BODY)


def test_numeric_stamp_goes_in_any_language() -> None:
    lines = ["12.05.2016 18:40", *EN_BODY, "11-03-2015, 07:20 PM"]
    text, cuts = cleaned(lines, "en")
    assert cuts["12.05.2016 18:40"] == "generic.timestamp"
    assert "11-03-2015, 07:20 PM" in text  # a forum's US-style post stamp: golds often keep those
    assert_body_kept(text, EN_BODY)


def test_polish_added_and_updated_stamps_go() -> None:
    stamp = "Data dodania: 2015-03-04 10:11:12 Ostatnia aktualizacja: 2015-03-05 08:00:00"
    text, cuts = cleaned([stamp, PL_BODY[0], "dodano: 12 marca 2014, 16:45", PL_BODY[1], PL_BODY[2]], "pl")
    assert cuts[stamp] == "pl.dateline"
    assert cuts["dodano: 12 marca 2014, 16:45"] == "pl.dateline"
    assert_body_kept(text, PL_BODY)


def test_greek_bare_stamp_goes_labelled_stamp_stays() -> None:
    labelled = "Ημερομηνία δημοσίευσης: 5 Μαρτίου 2014"
    text, cuts = cleaned(["[21 Φεβρουαρίου 2013, 10:15]", labelled, *EL_BODY], "el")
    assert cuts["[21 Φεβρουαρίου 2013, 10:15]"] == "el.dateline"
    assert labelled in text
    assert_body_kept(text, EL_BODY)


def test_blog_comment_thread_header_goes() -> None:
    header = "12 Responses to “Building a garden shed”"
    text, cuts = cleaned([*EN_BODY, header], "en")
    assert cuts[header] == "en.comment-prompt"
    assert_body_kept(text, EN_BODY)


def test_counting_sentence_is_not_a_thread_header() -> None:
    sentence = "3 comments on the draft were later withdrawn by the committee after a long debate."
    text, _ = cleaned([*EN_BODY, sentence], "en")
    assert sentence in text


def test_hard_wrapped_closing_paragraph_is_not_a_tail() -> None:
    wrapped = ["The roof is made of cedar shingles, which need a coat of oil every second",
               "summer, and they last for decades if you keep them clean. What I used:"]
    lines = [*EN_BODY, *wrapped, "Oil", "Brush", "Ladder", "Related posts", "Building a compost bin"]
    text, cuts = cleaned(lines, "en")
    assert all(line in text for line in wrapped)
    assert cuts["Oil"] == cuts["Ladder"] == "generic.tail"  # short lines after the paragraph still go
    assert "Related posts" in cuts
    assert clean(text, lang="en").text == text


@pytest.mark.skipif(not DEV_SET.exists(), reason=f"the shared dev set is not at {DEV_SET}")
def test_dev_text_track_slice_holds() -> None:
    figures = []
    for i, doc in enumerate(read_jsonl(DEV_SET)):
        text, gold = doc.get("scraped_container"), doc.get("gold")
        if i % DEV_STEP or not isinstance(text, str) or not isinstance(gold, str) or not gold.strip():
            continue
        figures.append(score(clean(text, url=doc.get("url")).text, gold).f1)
    assert len(figures) > 100
    assert sum(figures) / len(figures) >= DEV_FLOOR
