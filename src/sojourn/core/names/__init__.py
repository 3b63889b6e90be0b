"""Personal names across scripts and romanizations (pure Python, no Django).

* ``forms``: ``NameRecord`` and ``parse_name`` — a name as written, its script, split, order, system.
* ``romanize``: ``han_forms`` (every romanization, key and code of a Han name), ``passport_pinyin``
  and ``romanized_keys`` (a romanized name in any system → pinyin-syllable keys).
* ``match``: ``compare_names`` → ``NameScore`` with explanations.

The facts behind the tables are in specs/names.md; the tables are ``surnames``, ``syllables``
(pinyin inventory, Wade–Giles), ``cantonese`` (Jyutping → Hong Kong / Macau) and ``lexicon``.
"""

from sojourn.core.names.forms import NameRecord, Order, Script, System, parse_name
from sojourn.core.names.match import MATCH_THRESHOLD, NameScore, compare_names
from sojourn.core.names.romanize import NameForms, han_forms, passport_pinyin, romanized_keys

__all__ = [
    "MATCH_THRESHOLD",
    "NameForms",
    "NameRecord",
    "NameScore",
    "Order",
    "Script",
    "System",
    "compare_names",
    "han_forms",
    "parse_name",
    "passport_pinyin",
    "romanized_keys",
]
