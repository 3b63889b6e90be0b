"""Search keys for the registry's name fields.

A record's key holds its name in simplified characters and its romanized name in both
orders, all upper case without spaces: ``|张伟|ZHANGWEI|WEIZHANG|``. A query is reduced the
same way and matched as a substring, so 張偉, 张伟, "Zhang Wei" and "wei zhang" all find it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

_LATIN_JUNK = re.compile(r"[^A-Z0-9]")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@lru_cache(maxsize=1)
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    return str(_to_simplified().convert(text)) if _HAN.search(text) else text


def _latin(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _LATIN_JUNK.sub("", folded.upper())


def record_key(name_zh: str, surname: str, given_name: str) -> str:
    parts = [simplified(name_zh.replace(" ", "")) if name_zh else ""]
    sur, given = _latin(surname), _latin(given_name)
    parts += [sur + given, given + sur]
    return "|" + "|".join(p for p in parts if p) + "|"


def search_key(query: str) -> str:
    """The substring to look for in record keys, or '' when the query has nothing searchable."""
    if _HAN.search(query):
        return simplified(re.sub(r"\s+", "", query))
    return _latin(query)
