"""Han names drawn by frequency, and their passport spelling.

The surname weights are approximate shares of the population in percent, rounded, for the
hundred or so most common surnames, followed by rarer surnames that are hard to romanize
(heteronyms such as 单 SHAN, 曾 ZENG, 解 XIE) and compound surnames (欧阳, 诸葛). The rare
ones are weighted up a little so that a few thousand synthetic people already contain them.
Given-name characters are weighted by rank (Zipf-like), separately for men and women.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import numpy.typing as npt

# fmt: off
SURNAMES: tuple[tuple[str, float], ...] = (
    ("李", 7.2), ("王", 7.1), ("张", 6.8), ("刘", 5.4), ("陈", 4.5), ("杨", 3.1), ("赵", 2.3), ("黄", 2.2),
    ("周", 2.1), ("吴", 2.0), ("徐", 1.7), ("孙", 1.5), ("胡", 1.3), ("朱", 1.3), ("马", 1.3), ("郭", 1.2),
    ("何", 1.1), ("罗", 0.9), ("高", 1.0), ("林", 1.0), ("郑", 0.9), ("梁", 0.9), ("谢", 0.7), ("宋", 0.7),
    ("唐", 0.7), ("许", 0.7), ("韩", 0.7), ("冯", 0.6), ("邓", 0.6), ("曹", 0.6), ("彭", 0.6), ("曾", 0.6),
    ("肖", 0.6), ("田", 0.5), ("董", 0.5), ("袁", 0.5), ("潘", 0.5), ("于", 0.5), ("蒋", 0.5), ("蔡", 0.5),
    ("余", 0.5), ("杜", 0.4), ("叶", 0.4), ("程", 0.4), ("苏", 0.4), ("魏", 0.4), ("吕", 0.4), ("丁", 0.4),
    ("任", 0.4), ("沈", 0.4), ("姚", 0.4), ("卢", 0.3), ("姜", 0.3), ("崔", 0.3), ("钟", 0.3), ("谭", 0.3),
    ("陆", 0.3), ("汪", 0.3), ("范", 0.3), ("金", 0.3), ("石", 0.3), ("廖", 0.3), ("贾", 0.3), ("夏", 0.3),
    ("韦", 0.2), ("付", 0.2), ("方", 0.2), ("白", 0.2), ("邹", 0.2), ("孟", 0.2), ("熊", 0.2), ("秦", 0.2),
    ("邱", 0.2), ("江", 0.2), ("尹", 0.2), ("薛", 0.2), ("闫", 0.2), ("段", 0.2), ("雷", 0.2), ("侯", 0.2),
    ("龙", 0.2), ("史", 0.2), ("陶", 0.2), ("黎", 0.2), ("贺", 0.2), ("顾", 0.1), ("毛", 0.1), ("郝", 0.1),
    ("龚", 0.1), ("邵", 0.1), ("万", 0.1), ("钱", 0.1), ("严", 0.1), ("覃", 0.1), ("武", 0.1), ("戴", 0.1),
    ("莫", 0.1), ("孔", 0.1), ("向", 0.1), ("汤", 0.1),
    # heteronyms: the everyday reading of the character is not the surname's
    ("单", 0.06), ("解", 0.05), ("查", 0.04), ("区", 0.03), ("仇", 0.04), ("朴", 0.04), ("乐", 0.04),
    ("缪", 0.04), ("翟", 0.06), ("盖", 0.02), ("尉", 0.02), ("种", 0.01), ("召", 0.01), ("员", 0.01),
    ("秘", 0.01), ("繁", 0.01), ("句", 0.01), ("宓", 0.01), ("折", 0.01),
    # compound surnames
    ("欧阳", 0.05), ("司马", 0.02), ("上官", 0.02), ("诸葛", 0.02), ("司徒", 0.02), ("东方", 0.01),
    ("皇甫", 0.01), ("尉迟", 0.01), ("公孙", 0.01), ("慕容", 0.01), ("令狐", 0.01), ("夏侯", 0.01),
    ("长孙", 0.01), ("宇文", 0.01), ("端木", 0.01), ("万俟", 0.005),
)

MALE_GIVEN = (
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林阳建国峰亮成文志海东新春立博晨民永兵"
    "德金忠庆洪光荣义彬振祥毅松涌虎武斐哲瑞翔晖晓一嘉鸿轩子昊睿铭泽豪峻宏海兴福长生"
)
FEMALE_GIVEN = (
    "芳娜敏静丽艳娟霞秀燕玲桂丹萍红玉兰英梅莉婷雪琳颖倩洁慧晶佳月欣璐瑶怡琴云凤蓉薇嘉菲露悦"
    "晓红琪妍雯欢思梦佩涵诗雅蕾宁颖珊秋菊翠美娥淑惠冰姗楠蓓筱萌"
)
# fmt: on

SINGLE_GIVEN_SHARE = 0.25  # share of people with a one-character given name
_NEUTRAL_SURNAME = "王"  # any surname with one reading, to romanize a given name on its own


def _table(chars: str) -> tuple[npt.NDArray[np.str_], npt.NDArray[np.float64]]:
    unique = list(dict.fromkeys(chars))  # keep first occurrence, drop repeats
    weights = 1.0 / (np.arange(len(unique)) + 5.0)
    return np.array(unique), weights / weights.sum()


_SURNAME_CHARS = np.array([s for s, _ in SURNAMES])
_SURNAME_P = np.array([w for _, w in SURNAMES]) / sum(w for _, w in SURNAMES)
_GIVEN = {"M": _table(MALE_GIVEN), "F": _table(FEMALE_GIVEN)}


def draw_surnames(rng: np.random.Generator, n: int) -> npt.NDArray[np.str_]:
    """``n`` surnames in characters, drawn by frequency."""
    return rng.choice(_SURNAME_CHARS, size=n, p=_SURNAME_P)


def draw_given_names(rng: np.random.Generator, sexes: npt.NDArray[np.str_]) -> npt.NDArray[np.str_]:
    """One given name in characters per entry of ``sexes`` ("M"/"F"): one or two characters by frequency."""
    n = len(sexes)
    out = np.empty(n, dtype="<U2")
    single = rng.random(n) < SINGLE_GIVEN_SHARE
    for sex, (chars, p) in _GIVEN.items():
        mask = sexes == sex
        first = rng.choice(chars, size=int(mask.sum()), p=p)
        second = rng.choice(chars, size=int(mask.sum()), p=p)
        out[mask] = np.where(single[mask], first, np.char.add(first, second))
    return out


@cache
def surname_spelling(surname_zh: str) -> str:
    """The passport spelling of a surname (单 → SHAN), from ``sojourn.core.names``; cached."""
    from sojourn.core.names import passport_pinyin

    return passport_pinyin(surname_zh, "")[0]


@cache
def given_spelling(given_zh: str) -> str:
    """The passport spelling of a given name, from ``sojourn.core.names``; cached."""
    from sojourn.core.names import passport_pinyin

    return passport_pinyin(_NEUTRAL_SURNAME, given_zh)[1]


def romanize(surnames: list[str], given: list[str]) -> tuple[list[str], list[str]]:
    """Passport spellings for parallel lists of surnames and given names in characters.

    A passport spells surname and given name as separate fields, so each part is romanized
    (and cached) on its own: a few hundred surnames and some ten thousand given names instead
    of one call per distinct full name. A test checks this agrees with whole-name calls.
    """
    return [surname_spelling(s) for s in surnames], [given_spelling(g) for g in given]
