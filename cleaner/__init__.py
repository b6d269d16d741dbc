"""Clean scraped articles and say what was cut, where and by which rule.

>>> from cleaner import clean, restore
>>> r = clean("Le titre\\n\\nS'abonner\\nLe corps de l'article, assez long pour être du texte.\\n", lang="fr")
>>> print(r.text, end="")
Le titre
<BLANKLINE>
Le corps de l'article, assez long pour être du texte.
>>> [(x.text, x.rule) for x in r.cuts]
[("S'abonner", 'fr.subscribe')]
"""

from .engine import Options, clean
from .model import Category, Removal, Result, Stats
from .restore import RestoreError, restore
from .rulebook import RuleBook
from .rulefiles import RuleFileError, default_rule_book, load_rule_book

__all__ = [
    "Category", "Options", "Removal", "RestoreError", "Result", "RuleBook", "RuleFileError",
    "Stats", "clean", "default_rule_book", "load_rule_book", "restore",
]
__version__ = "0.1.0"
