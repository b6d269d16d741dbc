"""The engine's decisions: site `keep` and `disable`, the guard, zones, language, scripts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cleaner import Options, clean, load_rule_book
from cleaner.rulebook import RuleBook

WriteFile = Callable[[str, "str | bytes"], Path]

FR_BODY = [
    "Le Parlement irakien a réclamé dimanche au gouvernement l'expulsion des troupes américaines du pays, "
    "faisant redouter plus de violence encore dans la région.",
    "Une copie du message en question a été consultée par l’AFP, qui a dévoilé que les militaires américains "
    "ont confirmé la décision de quitter le pays.",
    "Le commandant des opérations militaires américaines en Irak a informé par courrier ses homologues irakiens "
    "du repositionnement des troupes.",
]
CYRILLIC_UI = "Заголовок открываемого материала"
RUSSIAN_QUOTE_IN_FRENCH = ("Le ministre a répondu «Мы уважаем ваше суверенное решение» avant de quitter la salle "
                           "de presse sous les applaudissements.")
RUSSIAN_QUOTE_LINE = "«Мы уважаем ваше суверенное решение», говорится в письме."
CHINESE = [
    "国家统计局周一公布的数据显示，今年前三个季度国内生产总值同比增长百分之五，消费和投资保持稳定。",
    "春节期间到访的游客人数明显增加，多家酒店的入住率创下新高，餐饮和零售企业的营业额也大幅上升。",
    "专家认为，下一阶段应继续扩大内需，支持中小企业发展，并进一步稳定就业和物价水平。",
]
JAPANESE = [
    "政府は月曜日、新しい経済対策を発表し、来年度の予算に盛り込む方針を示した。",
    "東京都議会",
    "首相は記者会見で、物価高への対応を急ぐ考えを強調した。関係者によると、対策の規模は十兆円を超える見通しだという。",
    "ニュース速報",
]


def _doc(*lines: str) -> str:
    return "\n\n".join(lines) + "\n"


def _cut(text: str, **kwargs: object) -> dict[str, tuple[str, str]]:
    """Removed line -> (rule, category)."""
    return {c.text: (c.rule, c.category.value) for c in clean(text, **kwargs).cuts}  # type: ignore[arg-type]


DEMO_SITE = """\
site: demo
description: a pets magazine whose menu names animals
match:
  domains: [demo.example, "*.demo.example"]
keep: ['^Chat$']
disable: [{disabled}]
rules:
  - id: menu
    kind: regex
    category: navigation
    description: the menu of animal sections
    pattern: '^(Chat|Chien|Lapin)$'
    examples: {{remove: ["Chien"], keep: ["Le chien aboie."]}}
"""


@pytest.fixture
def demo_book(write_file: WriteFile) -> Callable[[str], RuleBook]:
    """The shipped rules plus the `demo` site, which disables the given rule id."""

    def load(disabled: str) -> RuleBook:
        return load_rule_book([write_file("demo.yaml", DEMO_SITE.format(disabled=disabled))])

    return load


def test_site_keep_beats_every_rule(demo_book: Callable[[str], RuleBook]) -> None:
    text = _doc(FR_BODY[0], "Chat", "Chien", FR_BODY[1], "S'abonner")
    assert "Chat" in _cut(text)  # without the site, a generic rule takes it
    book = demo_book("generic.counter")
    result = clean(text, url="https://www.demo.example/chats/", rules=book)
    assert result.site == "demo"
    removed = {c.text: c.rule for c in result.cuts}
    assert "Chat" not in removed  # its own menu rule and the generic one both claim it
    assert removed["Chien"] == "demo.menu"
    assert "S'abonner" in removed
    assert result.stats.kept_by_site == 1
    assert "\nChat\n" in result.text


def test_disable_turns_a_rule_off_for_that_site_only(demo_book: Callable[[str], RuleBook]) -> None:
    text = _doc(FR_BODY[0], "0", FR_BODY[1])
    assert _cut(text) == {"0": ("generic.counter", "widget")}
    book = demo_book("generic.counter")
    assert _cut(text, url="https://demo.example/a", rules=book) == {}
    assert _cut(text, rules=book) == {"0": ("generic.counter", "widget")}
    assert _cut(text, url="https://fr.sputniknews.africa/a", rules=book) == {"0": ("generic.counter", "widget")}


GREEDY = """\
rules:
  - id: any-line
    kind: regex
    category: widget
    description: a careless rule that matches every line with a letter
    pattern: '\\w'
    max_length: 1000
    examples: {remove: ["Body text."], keep: ["***"]}
"""


def test_the_guard_stops_a_rule_file_that_would_eat_the_body(write_file: WriteFile) -> None:
    greedy = write_file("greedy.yaml", GREEDY)
    book = load_rule_book([greedy])
    text = _doc(FR_BODY[0], "S'abonner", FR_BODY[1], FR_BODY[2])
    result = clean(text, rules=book)
    assert result.stats.guarded == (str(greedy),)
    assert [c.text for c in result.cuts] == ["S'abonner"]  # other rule files still apply
    assert result.text == _doc(FR_BODY[0], FR_BODY[1], FR_BODY[2])


def test_the_guard_threshold_is_an_option(write_file: WriteFile) -> None:
    book = load_rule_book([write_file("greedy.yaml", GREEDY)])
    text = _doc(FR_BODY[0], "S'abonner", FR_BODY[1])
    result = clean(text, rules=book, options=Options(max_rule_file_share=1.0))
    assert result.stats.guarded == ()
    assert result.text == ""


def test_the_shipped_rules_do_not_trip_the_guard_on_the_seed(seed_text: str) -> None:
    assert clean(seed_text).stats.guarded == ()


RELATED_ZONE = """\
rules:
  - id: read-also-list
    kind: zone
    category: related
    description: a related-articles list, from its heading on
    start: '^À lire aussi$'
    min_position: {position}
    examples:
      context: "{body}"
      remove: ["À lire aussi\\nTitre d'un autre article"]
      keep: ["À la une"]
"""
HEADLINES = [f"Titre numéro {n} d'un autre article du même site sur un tout autre sujet" for n in range(8)]


def test_the_guard_lets_a_zone_take_a_list_of_headlines_longer_than_the_article(write_file: WriteFile) -> None:
    related = write_file("related.yaml", RELATED_ZONE.format(position=0.1, body=FR_BODY[1]))
    book = load_rule_book([related], shipped=False)
    result = clean(_doc(FR_BODY[0], "À lire aussi", *HEADLINES), rules=book)
    assert result.stats.guarded == ()  # the headlines outweigh the article: what the marker announces
    assert result.text == _doc(FR_BODY[0])


def test_the_guard_stops_a_zone_that_runs_into_the_article(write_file: WriteFile) -> None:
    related = write_file("related.yaml", RELATED_ZONE.format(position=0.0, body=FR_BODY[1]))
    result = clean(_doc("À lire aussi", *FR_BODY, HEADLINES[0]), rules=load_rule_book([related], shipped=False))
    assert result.stats.guarded == (str(related),)
    assert result.text == _doc("À lire aussi", *FR_BODY, HEADLINES[0])


FEED = ["Fil d’actu", "Pour participer aux discussions, identifiez-vous ou créez-vous un compte",
        "Trump menace l’Iran de représailles", "0"]


def test_zone_marks_yield_to_specific_rules() -> None:
    text = _doc(*FR_BODY, *FEED)
    cuts = _cut(text, options=Options(site="sputnik"))
    assert cuts == {
        "Fil d’actu": ("fr.live-feed", "widget"),
        "Pour participer aux discussions, identifiez-vous ou créez-vous un compte": ("fr.comments", "comments"),
        "Trump menace l’Iran de représailles": ("sputnik.feed-tail", "widget"),  # only the zone claims it
        "0": ("generic.counter", "widget"),
    }


def test_a_zone_marker_in_the_first_half_takes_nothing() -> None:
    text = _doc("Fil d’actu", "Trump menace l’Iran de représailles", *FR_BODY)
    cuts = _cut(text, options=Options(site="sputnik"))
    assert "Trump menace l’Iran de représailles" not in cuts


def test_a_given_language_is_used_as_is() -> None:
    text = _doc(FR_BODY[0], "S'abonner", FR_BODY[1])
    result = clean(text, lang="fr")
    assert (result.lang, result.stats.lang_method) == ("fr", "given")
    other = clean(text, lang="de")
    assert (other.lang, other.stats.lang_method) == ("de", "given")
    assert "fr.subscribe" not in other.stats.per_rule  # the French lexicon applies to French only


def test_a_language_is_detected_when_not_given() -> None:
    result = clean(_doc(FR_BODY[0], "S'abonner", FR_BODY[1]))
    assert (result.lang, result.stats.lang_method) == ("fr", "stopwords")
    assert result.stats.per_rule.get("fr.subscribe") == 1


SPANISH_WITH_SHARED_WORDS = (
    "La operadora de la red de gas anunció que desde las siete de la mañana de este miércoles se interrumpe "
    "el paso de gas por la estación de la zona, que es una de las más grandes de la región y de la que "
    "depende la mitad de la provincia."
)


def test_related_languages_are_told_apart_by_their_own_stop_words() -> None:
    # `de`, `la`, `que` are French and Portuguese stop words too: counted with the others, Spanish
    # does not win by the margin (32 against French's 22); its own words (`el`, `las`, `del`) decide.
    result = clean(_doc(SPANISH_WITH_SHARED_WORDS))
    assert (result.lang, result.stats.lang_method) == ("es", "stopwords")


@pytest.mark.parametrize(("text", "lang"), [
    (_doc(*CHINESE), "zh"),
    (_doc(*JAPANESE), "ja"),
    (_doc("Ο πρωθυπουργός δήλωσε ότι η κυβέρνηση θα παρουσιάσει νέα μέτρα στήριξης την επόμενη εβδομάδα."), "el"),
])
def test_the_script_names_the_language(text: str, lang: str) -> None:
    result = clean(text)
    assert (result.lang, result.stats.lang_method) == (lang, "script")


def test_without_lexicons_langdetect_decides(write_file: WriteFile) -> None:
    book = load_rule_book([write_file("g.yaml", GREEDY.replace("\\\\w", "^zzz$"))], shipped=False)
    text = _doc("The committee published its report on Tuesday, after two years of hearings and forty witnesses.")
    result = clean(text, rules=book)
    assert (result.lang, result.stats.lang_method) == ("en", "langdetect")


def test_a_short_text_has_no_language() -> None:
    result = clean("Hi\n")
    assert (result.lang, result.stats.lang_method) == (None, "too-short")


def test_a_cyrillic_ui_line_goes_from_a_french_text_but_russian_quotations_stay() -> None:
    text = _doc(FR_BODY[0], CYRILLIC_UI, RUSSIAN_QUOTE_IN_FRENCH, RUSSIAN_QUOTE_LINE, FR_BODY[1], FR_BODY[2])
    result = clean(text)
    assert result.lang == "fr"
    assert {c.text: c.category.value for c in result.cuts} == {CYRILLIC_UI: "mixed-script"}
    kept = result.text.split("\n")
    assert RUSSIAN_QUOTE_IN_FRENCH in kept and RUSSIAN_QUOTE_LINE in kept


def test_cyrillic_is_native_in_a_russian_text() -> None:
    text = _doc("Президент заявил журналистам, что переговоры продолжатся на следующей неделе в Женеве.",
                CYRILLIC_UI, "По словам министра, стороны обсудят также вопросы безопасности и торговли.")
    assert "mixed-script" not in clean(text).stats.per_category


def test_kanji_and_kana_are_not_foreign_in_japanese() -> None:
    result = clean(_doc(*JAPANESE))
    assert result.lang == "ja"
    assert "mixed-script" not in result.stats.per_category
    assert "東京都議会" in result.text.split("\n")


def test_a_cyrillic_ui_line_goes_from_a_chinese_text() -> None:
    cuts = _cut(_doc(CHINESE[0], CYRILLIC_UI, CHINESE[1], CHINESE[2]))
    assert cuts == {CYRILLIC_UI: ("generic.mixed-script", "mixed-script")}


def test_a_script_with_a_large_share_of_the_letters_is_native() -> None:
    """In a short text the Cyrillic line holds a third of the letters: it is not judged foreign."""
    assert CYRILLIC_UI not in _cut(_doc(CHINESE[2], CYRILLIC_UI))


def test_clean_takes_only_str() -> None:
    with pytest.raises(TypeError, match="not bytes"):
        clean(b"S'abonner\n")  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["", "\n\n", " \t\r\n\u00a0"])
def test_a_blank_text_cleans_to_nothing(text: str) -> None:
    result = clean(text)
    assert result.text == ""
    assert result.cuts == ()
    assert "".join(r.text for r in result.removals) == text


def test_stats_count_the_removals(seed_text: str) -> None:
    result = clean(seed_text)
    stats = result.stats
    assert stats.removed_blocks == len(result.cuts) == sum(stats.per_rule.values()) == sum(stats.per_category.values())
    assert stats.removed_chars == sum(len(c.text) for c in result.cuts)
    assert stats.blocks == 24


EN_BODY = [
    "Portsmouth made the best possible start to the new year with a 2-0 win over ten-man Reading at the stadium.",
    "The writing was on the wall for Reading as early as the second minute, when the defender was sent off.",
]
SPORT_MENU = ["Football", "Cricket", "Tennis", "Golf", "Other Sport"]  # fewer than generic.name-list's 8 lines


def test_a_section_menu_goes_but_the_headline_under_it_stays() -> None:
    text = _doc("Sport", *SPORT_MENU, "Reading 0-2 Portsmouth", *EN_BODY)
    cuts = _cut(text, lang="en")
    assert {line for line, (rule, _) in cuts.items() if rule == "en.section-menu"} == {
        "Sport", "Football", "Cricket", "Tennis", "Golf"}
    # The entry after the last known section is not the section menu's: the head's menu rule takes it.
    assert cuts["Other Sport"][0] == "generic.head"
    assert clean(text, lang="en").text == _doc("Reading 0-2 Portsmouth", *EN_BODY)
    dated = _doc("Sport", *SPORT_MENU, "Reading 0-2 Portsmouth", "20080109 15:24", *EN_BODY)  # no run line
    assert "Reading 0-2 Portsmouth" in clean(dated, lang="en").text


def test_short_capitalised_lines_with_too_few_section_names_are_no_menu() -> None:
    text = _doc("Ingredients", "Flour", "Sugar", "Business", "Sports", "Butter", *EN_BODY)
    assert "en.section-menu" not in {rule for rule, _ in _cut(text, lang="en").values()}


PAGE_MENU = ["Crosswords", "Masterclasses", "Holidays", "Patrons", "Book shop", "Gift cards"]  # in no lexicon


def test_a_page_menu_before_the_first_paragraph_goes_and_the_headline_stays() -> None:
    text = _doc(*PAGE_MENU, "Reading 0-2 Portsmouth", *EN_BODY, "Contact us", "Privacy")
    result = clean(text, lang="en")
    assert {c.text: c.rule for c in result.cuts if c.rule == "generic.head"} == dict.fromkeys(PAGE_MENU, "generic.head")
    assert result.text.startswith("Reading 0-2 Portsmouth\n\n")
    assert clean(result.text, lang="en").text == result.text  # the headline is not judged again as a menu entry


def test_a_head_that_outweighs_the_rest_is_the_article() -> None:
    # A fixtures list closed by one paragraph: the list is the article, not a menu over it.
    fixtures = ["Leeds United v Hull City", "Derby County v Stoke City", "Bury Town v Crewe Alexandra",
                "Luton Town v Bristol Rovers", "Swansea City v Cardiff City", "Norwich City v Ipswich Town"]
    assert not clean(_doc(*fixtures, *fixtures, EN_BODY[0]), lang="en").cuts  # (generic.head's examples: alone too)
    menu_over_article = clean(_doc(*fixtures, EN_BODY[0], EN_BODY[1], EN_BODY[0]), lang="en")
    assert [c.text for c in menu_over_article.cuts] == fixtures[:-1]  # the last line stands over the article


def test_the_head_rule_leaves_a_pages_blocks_to_the_dom_rules() -> None:
    items = "".join(f"<p>{entry}</p>" for entry in PAGE_MENU)
    body = "".join(f"<p>{line}</p>" for line in EN_BODY * 3)
    page = f"<html><body><div>{items}</div><article><h1>Reading 0-2 Portsmouth</h1>{body}</article></body></html>"
    assert not [c for c in clean(page, lang="en").cuts if c.rule == "generic.head"]
