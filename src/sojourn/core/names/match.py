"""Scoring two name records, with the reasons in words a caseworker can check.

How evidence ranks (specs/names.md §1, §6):

* Han characters on both sides decide: same characters (in either script) is a match, different
  characters are not, however alike they sound (张伟 vs 张卫 both read ZHANG WEI).
* Han on one side: the Latin side is compared with every romanization of the characters,
  surname and given-name syllable by syllable, so systems may mix (CHEN SHUI-BIAN).
* Latin on both sides: spellings meet through pinyin syllable classes (CHEUNG ~ ZHANG); names
  that are not Chinese romanizations are compared token by token.
* The given name weighs more than the surname: same-surname pairs are the hard negatives.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA, Indel, JaroWinkler

from sojourn.core.names.forms import NameRecord, parse_name
from sojourn.core.names.readings import decode_ccc, split_han
from sojourn.core.names.romanize import HanParts, han_parts
from sojourn.core.names.spellings import (
    is_known_surname,
    normalize_latin,
    segment,
    surname_classes,
    syllable_classes,
)

# Scores at or above this are reported as matches by NameScore.is_match.
MATCH_THRESHOLD = 0.8

SURNAME_WEIGHT = 0.35
GIVEN_WEIGHT = 1.0 - SURNAME_WEIGHT
SAME_CLASS = 0.9  # different spellings of the same pinyin syllable (WAI ~ WEI)
SWAP_PENALTY = 0.03
ENGLISH_NAME_CONFLICT = 0.25
# A token pair below CONFLICT similarity is another name, not a misspelling: it multiplies the
# token score by CONFLICT_FACTOR (ABDUL HAMID / ABDUL GHANI), beyond its share by length.
CONFLICT = 0.4
CONFLICT_FACTOR = 0.85
# One letter added, dropped, changed or two swapped in a token of four letters or more (MUSK /
# MOSK, NETANYAHU / NATANYAHU) is a typing slip, most data-entry errors are one such edit; two or
# more edits (SANCHEZ / SANCHO, ORBAN / ORBACH) are as often another name, and keep the steep curve.
ONE_EDIT = 0.9
ONE_EDIT_MIN_LENGTH = 4
# X BIN Y against Y BIN X: a father and his son (nasab), not one person, whatever else agrees.
GENERATIONS_SWAPPED = 0.5
MISREAD_SURNAME = 0.85  # 单 written DAN: a wrong reading, but the one a converter would produce
SYSTEM_NAMES = {
    "pinyin": "pinyin",
    "wade_giles": "Wade–Giles",
    "taiwan": "Taiwan",
    "hk": "Hong Kong",
    "macau": "Macau",
}


@dataclass(frozen=True, slots=True)
class NameScore:
    """How alike two names are (0..1) and why."""

    score: float
    explanations: tuple[str, ...]

    @property
    def is_match(self) -> bool:
        """Whether the score reaches MATCH_THRESHOLD."""
        return self.score >= MATCH_THRESHOLD


@dataclass(frozen=True, slots=True)
class _Split:
    """One way to read a romanized name: surname (compact), given-name tokens, cost of reading it so."""

    surname: str
    given: tuple[str, ...]
    penalty: float
    note: str


@dataclass(frozen=True, slots=True)
class _Latin:
    splits: tuple[_Split, ...]  # the parsed reading first
    english: str | None
    system: str | None

    @property
    def parsed(self) -> _Split:
        """The split parse_name chose."""
        return self.splits[0]


@dataclass(frozen=True)
class _Profile:
    han: tuple[HanParts, ...]
    latin: _Latin | None
    tokens: tuple[str, ...]


def _latin_splits(record: NameRecord) -> tuple[_Split, ...]:
    """The parsed surname/given split, then the other plausible ones (first or last one or two tokens).

    Order detection can be wrong (``Kim Jong Un`` read given-first because UN is a Macau
    surname), so other readings are scored too, at a small cost unless the order was unknown.
    """
    surname_tokens = normalize_latin(record.surname).split()
    given_tokens = normalize_latin(record.given_name).split()
    splits = {
        ("".join(surname_tokens), tuple(given_tokens)): _Split(
            "".join(surname_tokens), tuple(given_tokens), 0.0, ""
        )
    }
    written = (
        given_tokens + surname_tokens if record.order == "given_first" else surname_tokens + given_tokens
    )
    penalty = 0.0 if record.order == "unknown" else SWAP_PENALTY
    for n in (1, 2)[: max(0, len(written) - 1)]:
        for surname, given, note in (
            (written[:n], written[n:], "surname read first"),
            (written[-n:], written[:-n], "surname read last"),
        ):
            key = ("".join(surname), tuple(given))
            if key not in splits:
                splits[key] = _Split(key[0], key[1], penalty, note)
    return tuple(splits.values())


def _latin_of(record: NameRecord) -> _Latin | None:
    """The romanized readings of a name written in Latin letters (None for Han-only and empty names)."""
    if record.script != "han" and (record.surname or record.given_name):
        return _Latin(splits=_latin_splits(record), english=record.english_name, system=record.system)
    return None


@lru_cache(maxsize=131072)
def _profile(record: NameRecord) -> _Profile:
    han: list[HanParts] = []
    if record.has_han:
        han.append(han_parts(record.surname_zh, record.given_zh))
    elif record.ccc:
        han.extend(han_parts(*split_han(text)) for text in decode_ccc(record.ccc))
    latin = _latin_of(record)
    tokens = tuple(normalize_latin(f"{record.given_name} {record.surname}").split())
    if not tokens and not han:
        tokens = tuple(re.findall(r"[^\W\d_]+", unicodedata.normalize("NFKC", record.full).casefold()))
    tokens = _legal_forms(tuple(_PARTICLES.get(t, t) for t in tokens))
    return _Profile(han=tuple(han), latin=latin, tokens=tokens)


@lru_cache(maxsize=65536)
def _given_splits(tokens: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Syllable splits of a romanized given name, token by token (TAI MAN, XIAOMING → XIAO MING)."""
    splits: list[tuple[str, ...]] = [()]
    for token in tokens:
        options = segment(token)
        if not options:
            return ()
        splits = [(*head, *tail) for head in splits for tail in options][:8]
    return tuple(splits)


def _similarity(a: str, b: str) -> float:
    return float(JaroWinkler.similarity(a, b))


def _best(spelling: str, candidates: Collection[str]) -> tuple[float, str]:
    """The closest candidate by Jaro–Winkler (rapidfuzz's C loop) and its similarity."""
    found = process.extractOne(spelling, candidates, scorer=JaroWinkler.similarity)
    return (float(found[1]), str(found[0])) if found else (0.0, "")


def _fuzzy_surname(similarity: float, other_surname: bool) -> float:
    if other_surname:
        # Both spellings are real surnames that cannot be the same one (CHEN / CHIANG).
        return 0.5 * similarity * similarity
    # A misspelt surname is common in foreign registers; keep most of the credit.
    return 0.8 * similarity


def _fuzzy_given(similarity: float) -> float:
    # A different but valid syllable in a Chinese given name is usually another person
    # (伟 WEI / 文 WEN, 晓明 XIAOMING / 晓敏 XIAOMIN): little credit however alike the letters.
    return 0.4 * similarity * similarity


def _typo_given(similarity: float) -> float:
    # Letters that make no syllables at all (XIAOMNIG) are a typing error, not another name.
    return 0.95 * similarity * similarity


# Letters of alphabets that name lists carry besides Latin and Han, as plain ASCII (our own
# compact tables; no GPL transliterator). Abjads (Arabic, Hebrew) leave short vowels unwritten,
# so names in them are compared by consonant skeleton (_skeleton).
def _table(letters: str, latin: str) -> dict[str, str]:
    return dict(zip(letters, latin.split(","), strict=True))


_LATINIZE: dict[str, str] = {
    **_table(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяєіїґўђјљњћџқғңөұүһә",
        "a,b,v,g,d,e,yo,zh,z,i,y,k,l,m,n,o,p,r,s,t,u,f,kh,ts,ch,sh,shch,,y,,e,yu,ya,ye,i,yi,g,u,"
        "dj,j,lj,nj,c,dz,k,g,ng,o,u,u,h,a",
    ),
    **_table(
        "αβγδεζηθικλμνξοπρσςτυφχψω",
        "a,v,g,d,e,z,i,th,i,k,l,m,n,x,o,p,r,s,s,t,y,f,ch,ps,o",
    ),
    **_table(
        "աբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆ",
        "a,b,g,d,e,z,e,y,t,zh,i,l,kh,ts,k,h,dz,gh,ch,m,y,n,sh,o,ch,p,j,r,s,v,t,r,ts,v,p,k,o,f",
    ),
    **_table(
        "აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ",
        "a,b,g,d,e,v,z,t,i,k,l,m,n,o,p,zh,r,s,t,u,p,k,gh,q,sh,ch,ts,dz,ts,ch,kh,j,h",
    ),
    **_table(
        "اأإآبتثجحخدذرزسشصضطظعغفقكلمنهويىةءؤئپچژگکی",
        "a,a,i,a,b,t,th,j,h,kh,d,dh,r,z,s,sh,s,d,t,z,,gh,f,q,k,l,m,n,h,u,i,a,a,,u,i,p,ch,zh,g,k,i",
    ),
    **_table("אבגדהוזחטיכךלמםנןסעפףצץקרשת", ",b,g,d,h,v,z,kh,t,y,k,k,l,m,m,n,n,s,,p,f,ts,ts,k,r,sh,t"),
}
_ABJAD_RE = re.compile("[\u0590-\u06ff]")
# Digits typed for look-alike letters inside a word (Ig0r Sech1n); 4-digit groups are CCC.
_LEET = str.maketrans("0134579", "OIEASTG")
_LEET_RE = re.compile(r"\b(?=\w*[A-Za-z])(?=\w*\d)\w+\b")


def latinize(text: str) -> str:
    """Letters of Cyrillic, Greek, Armenian, Georgian, Arabic and Hebrew names in ASCII; digits in words → letters."""
    decomposed = unicodedata.normalize("NFD", text)
    out = "".join(_LATINIZE.get(ch, ch) for ch in decomposed.lower()) if not text.isascii() else text
    return _LEET_RE.sub(lambda m: m.group(0).translate(_LEET), out)


@lru_cache(maxsize=65536)
def latin_record(record: NameRecord) -> NameRecord:
    """The record re-read from ASCII letters when it was written in another alphabet or with digits."""
    if record.has_han or record.ccc:
        return record
    cleaned = latinize(record.full)
    return (
        parse_name(cleaned) if cleaned != record.full and cleaned.lower() != record.full.lower() else record
    )


_NICKNAMES = """
    BENJAMIN BEN BIBI BENNY | WILLIAM BILL BILLY WILL | ROBERT BOB BOBBY ROB | RICHARD DICK RICK
    | JAMES JIM JIMMY | MICHAEL MIKE MICK | ALEXANDER ALEX SASHA ALEKSANDR OLEKSANDR | THOMAS TOM
    | THEODORE TED TEDDY | EDWARD ED EDDIE TED | ANTHONY TONY | MARGARET PEGGY MAGGIE MEG
    | ELIZABETH LIZ BETH BETTY ELIZA | KATHERINE KATE KATHY KATIE CATHERINE | DAVID DAVE
    | STEPHEN STEVE STEVEN STEFAN | JOSEPH JOE JOSEF JOSE | JOHN JACK JOHNNY JUAN JEAN JOHANN
    IVAN GIOVANNI JAN | VLADIMIR VOLODYMYR VOVA VOLODYA | NIKOLAI NICHOLAS NIKOLAY MYKOLA KOLYA
    | DMITRY DMITRI DIMA | SERGEY SERGEI SERHIY SERGEJS | YURI YURIY GEORGE GEORGY | MOHAMMED
    MUHAMMAD MOHAMMAD MOHAMED MUHAMMED | OSAMA USAMA | YUSUF YOUSEF JOSEPH | IBRAHIM ABRAHAM
    | PETER PIOTR PYOTR PETRO PIERRE PEDRO
"""
_NICKNAME_GROUPS = [frozenset(group.split()) for group in _NICKNAMES.split("|")]
_PARTICLES = {"BIN": "BIN", "IBN": "BIN", "BEN": "BIN", "AL": "AL", "EL": "AL", "ABOU": "ABU", "ABU": "ABU"}
# Legal forms of organisations (lists carry companies too): long forms to the usual short one.
_LEGAL_FORMS = """
    AG AKTIENGESELLSCHAFT AKTIENGESELSCHAFT | LTD LIMITED | LLC LIMITEDLIABILITYCOMPANY
    | INC INCORPORATED | CORP CORPORATION | CO COMPANY | PLC PUBLICLIMITEDCOMPANY
    | GMBH GESELLSCHAFTMITBESCHRANKTERHAFTUNG | JSC OAO OJSC JOINTSTOCKCOMPANY OPENJOINTSTOCKCOMPANY
    | SRL SOCIETATEACURASPUNDERELIMITATA | INTL INTERNATIONAL | FIRST ST
"""
_LEGAL = {form: group.split()[0] for group in _LEGAL_FORMS.split("|") for form in group.split()}
_PATRONYMIC_RE = re.compile(r"(OVICH|EVICH|OVNA|EVNA|ICH|OGLU|KYZY)$")


def same_given_name(a: str, b: str) -> bool:
    """Whether two given names are one name in another language or a familiar form (BIBI ~ BENJAMIN)."""
    return any(a in group and b in group for group in _NICKNAME_GROUPS)


def _skeleton(token: str) -> str:
    """Consonants only, sound-alikes merged: abjads leave vowels out (بيريز ~ PEREZ → BRS)."""
    text = token.replace("PH", "F").replace("TH", "T").replace("KH", "H").replace("SH", "S")
    text = text.translate(str.maketrans("PQCZWVGJO", "BKKSUBKIA"))
    out = [ch for ch in text if ch not in "AEIOUY"]
    return "".join(ch for i, ch in enumerate(out) if i == 0 or ch != out[i - 1]) or text[:1]


def compare_names(a: NameRecord, b: NameRecord) -> NameScore:
    """Score two name records 0..1 with explanations; ``NameScore.is_match`` applies MATCH_THRESHOLD."""
    abjad = bool(_ABJAD_RE.search(a.full + b.full))
    a, b = latin_record(a), latin_record(b)
    pa, pb = _profile(a), _profile(b)
    if pa.han and pb.han:
        return max((_compare_han(x, y) for x in pa.han for y in pb.han), key=lambda s: s.score)
    if pa.han and pb.latin:
        return max((_compare_han_latin(x, pb.latin) for x in pa.han), key=lambda s: s.score)
    if pb.han and pa.latin:
        return max((_compare_han_latin(y, pa.latin) for y in pb.han), key=lambda s: s.score)
    if pa.latin and pb.latin:
        if _reads_chinese(pa.latin) and _reads_chinese(pb.latin):
            return _compare_romanized(pa.latin, pb.latin)
        if abjad:
            skeletons = _compare_tokens(_skeletons(pa.tokens), _skeletons(pb.tokens))
            return max(skeletons, _compare_tokens(pa.tokens, pb.tokens), key=lambda s: s.score)
        return _compare_tokens(pa.tokens, pb.tokens)
    if pa.tokens and pb.tokens:  # one script on both sides that we do not transliterate
        return _compare_tokens(pa.tokens, pb.tokens)
    return NameScore(0.0, ("no name parts to compare",))


def _legal_forms(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """Replace a run of tokens spelling a legal form (JOINT STOCK COMPANY) by its short form (JSC)."""
    out: list[str] = []
    k = 0
    while k < len(tokens):
        for length in (5, 4, 3, 2, 1):
            form = _LEGAL.get("".join(tokens[k : k + length]))
            if form and k + length <= len(tokens):
                out.append(form)
                k += length
                break
        else:
            out.append(tokens[k])
            k += 1
    return tuple(out)


def _skeletons(tokens: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(_skeleton(t) for t in tokens if t not in _PARTICLES)


def _compare_han(x: HanParts, y: HanParts) -> NameScore:
    written_x, written_y = x.surname_zh + x.given_zh, y.surname_zh + y.given_zh
    if x.exact_key == y.exact_key:
        if written_x == written_y:
            return NameScore(1.0, (f"same characters {written_x}",))
        return NameScore(
            1.0, (f"same characters in simplified and traditional script: {written_x} = {written_y}",)
        )
    if x.simplified_key == y.simplified_key:
        return NameScore(
            0.7,
            (
                f"simplified forms agree ({x.simplified_key}) but {x.surname_zh} and {y.surname_zh} "
                "are distinct surnames",
            ),
        )
    same_surname = x.surname_key == y.surname_key
    gx, gy = x.exact_key[len(x.surname_key) :], y.exact_key[len(y.surname_key) :]
    same_chars = sum(cx == cy for cx, cy in zip(gx, gy, strict=False))
    share = same_chars / max(len(gx), len(gy), 1)
    explanations = [
        f"surname {'same' if same_surname else 'differs'}: {x.surname_zh} / {y.surname_zh}",
        f"given names differ in characters: {x.given_zh} / {y.given_zh}",
    ]
    if x.pinyin_keys & y.pinyin_keys:
        explanations.append("they read alike in pinyin, but the characters decide")
    return NameScore(round(0.3 * same_surname + 0.3 * share, 4), tuple(explanations))


def _systems_with_surname(forms: HanParts, surname: str) -> str:
    names = [SYSTEM_NAMES[key] for key in forms.systems_with_surname(surname)]
    return ", ".join(names) or "Singapore/Malaysia"


def _han_given_score(forms: HanParts, latin_given: tuple[str, ...]) -> tuple[float, str]:
    """Score a romanized given name against the per-character spellings of a Han given name."""
    joined, written = "".join(latin_given), " ".join(latin_given)
    if not joined:
        return 0.3, "given name missing on one side"
    if joined in forms.given_spellings:
        return 1.0, f"given name {written} spells {forms.given_zh}"
    best, reason = 0.0, ""
    for split in _given_splits(latin_given):
        if len(split) != len(forms.given_syllables):
            continue
        parts = [
            1.0 if syllable in spellings else _fuzzy_given(_best(syllable, spellings)[0])
            for syllable, spellings in zip(split, forms.given_syllables, strict=True)
        ]
        if sum(parts) / len(parts) > best:
            best = sum(parts) / len(parts)
            exact = sum(part == 1.0 for part in parts)
            reason = (
                f"given name {written}: {exact} of {len(parts)} syllables are readings of {forms.given_zh}"
            )
    similarity, closest = _best(joined, forms.given_spellings)
    typo = not _given_splits(latin_given)
    fuzzy = _typo_given(similarity) if typo else _fuzzy_given(similarity)
    if fuzzy > best:
        best = fuzzy
        kind = "looks like a misspelling of" if typo else "is not a spelling of"
        reason = f"given name {written} {kind} {forms.given_zh} (closest {closest}, {similarity:.2f})"
    return best, reason


def _han_latin_once(forms: HanParts, surname: str, given: tuple[str, ...]) -> tuple[float, list[str]]:
    if surname in forms.surname_spellings:
        surname_score = 1.0
        reason = f"surname {surname} is {forms.surname_zh} ({_systems_with_surname(forms, surname)})"
    elif surname in forms.surname_misreadings:
        surname_score = MISREAD_SURNAME
        reason = f"surname {surname} is the everyday reading of {forms.surname_zh}, not its surname reading"
    else:
        similarity, closest = _best(surname, forms.surname_spellings)
        surname_score = _fuzzy_surname(similarity, is_known_surname(surname))
        reason = f"surname {surname} is not a spelling of {forms.surname_zh} (closest {closest})"
    given_score, given_reason = _han_given_score(forms, given)
    score = SURNAME_WEIGHT * surname_score + GIVEN_WEIGHT * given_score
    if score >= 0.999 and not forms.systems_of(surname, "".join(given)):
        score = 0.95  # every part is a reading, but not all from one system
        given_reason += " (systems mixed)"
    return score, [reason, given_reason]


def _compare_han_latin(forms: HanParts, latin: _Latin) -> NameScore:
    best, reasons = -1.0, [""]
    for split in latin.splits:
        if best >= 1.0:
            break  # the parsed reading is already a full match
        score, why = _han_latin_once(forms, split.surname, split.given)
        score -= split.penalty
        if score > best:
            best, reasons = score, [*why, split.note] if split.note else why
    if latin.english:
        reasons.append(f"English name {latin.english} on one side only (not compared)")
    return NameScore(round(max(0.0, min(best, 1.0)), 4), tuple(reasons))


def _reads_chinese(latin: _Latin) -> bool:
    split = latin.parsed
    return bool(surname_classes(split.surname)) and (not split.given or bool(_given_splits(split.given)))


@lru_cache(maxsize=1 << 18)
def _surname_pair(x: str, y: str) -> tuple[float, str]:
    if x == y:
        return 1.0, f"same surname {x}"
    shared = surname_classes(x) & surname_classes(y)
    if shared:
        return 0.95, f"surnames {x} and {y} are spellings of {'/'.join(sorted(shared)[:3])}"
    similarity = _similarity(x, y)
    both_known = is_known_surname(x) and is_known_surname(y)
    return _fuzzy_surname(
        similarity, both_known
    ), f"surnames {x} and {y} differ (similarity {similarity:.2f})"


@lru_cache(maxsize=1 << 20)
def _given_pair(x: tuple[str, ...], y: tuple[str, ...], system: str | None) -> tuple[float, str]:
    """Compare two romanized given names syllable by syllable.

    ``system`` is set when both names are written in the same system: spellings then meet only
    through that system's classes (pinyin MIN is not MING), not through all of them.
    """
    jx, jy = "".join(x), "".join(y)
    if jx == jy:
        return 1.0, f"same given name {' '.join(x)}"
    best, detail = 0.0, ""
    for sx in _given_splits(x):
        for sy in _given_splits(y):
            if len(sx) != len(sy):
                continue
            parts = []
            for a, b in zip(sx, sy, strict=True):
                if a == b:
                    parts.append(1.0)
                elif syllable_classes(a, system) & syllable_classes(b, system):
                    parts.append(SAME_CLASS)
                else:
                    parts.append(_fuzzy_given(_similarity(a, b)))
            score = sum(parts) / len(parts)
            if score > best:
                best, detail = score, f"{' '.join(sx)} / {' '.join(sy)}"
    fuzzy = _fuzzy_given(_similarity(jx, jy))
    if fuzzy > best:
        return fuzzy, f"given names {jx} and {jy} differ"
    kind = "are spellings of the same syllables" if best >= SAME_CLASS else "differ in syllables"
    return best, f"given names {detail} {kind}"


def _romanized_once(
    x: _Split, y: _Split, x_english: str | None, y_english: str | None, system: str | None
) -> tuple[float, list[str]]:
    surname_score, surname_reason = _surname_pair(x.surname, y.surname)
    if x.given and y.given:
        given_score, given_reason = _given_pair(x.given, y.given, system)
    elif x_english and x_english == y_english:
        # "CHAN Peter" against "CHAN Tai Man, Peter": the English name is all they share.
        given_score, given_reason = (
            0.85,
            f"same English name {x_english}; Chinese given name on one side only",
        )
    elif not x.given and not y.given:
        given_score, given_reason = 0.5, "no given name on either side"
    else:
        given_score, given_reason = 0.3, "given name missing on one side"
    score = SURNAME_WEIGHT * surname_score + GIVEN_WEIGHT * given_score - x.penalty - y.penalty
    notes = [n for n in (x.note, y.note) if n]
    return score, [surname_reason, given_reason, *notes]


def _compare_romanized(x: _Latin, y: _Latin) -> NameScore:
    pairs = [(x.parsed, other) for other in y.splits] + [(other, y.parsed) for other in x.splits[1:]]
    system = x.system if x.system == y.system else None
    best, reasons = max(
        (_romanized_once(a, b, x.english, y.english, system) for a, b in pairs), key=lambda r: r[0]
    )
    if x.english and y.english and x.english != y.english:
        # A Hong Kong English name is part of the registered name: two different ones are
        # evidence of two people, even when the Chinese names agree (CHAN Tai Man is common).
        best -= ENGLISH_NAME_CONFLICT
        reasons.append(f"English names differ: {x.english} / {y.english}")
    elif x.english and y.english:
        reasons.append(f"same English name {x.english}")
    elif x.english or y.english:
        reasons.append(f"English name {x.english or y.english} on one side only (not compared)")
    return NameScore(round(max(0.0, min(best, 1.0)), 4), tuple(reasons))


def _compare_tokens(x: tuple[str, ...], y: tuple[str, ...]) -> NameScore:
    """Names that are not Chinese romanizations: align tokens in any order, weigh by length.

    Initials written together (JC) may stand for several names; a name typed backwards counts
    a little less; a whole token that differs (a father's or tribe's name) costs more than a
    misspelt one.
    """
    if not x or not y:
        return NameScore(0.0, ("no name parts to compare",))
    score = max(
        _align(_initials(x, y), _initials(y, x)),
        0.9 * _align(tuple(t[::-1] for t in reversed(x)), y),
    )
    if len(x) != len(y):
        # One side may have run tokens together (FridrichBuchenberg).
        score = max(score, _steep(float(Indel.normalized_similarity("".join(x), "".join(y)))))
    if all(len(t) == 1 for t in x) or all(len(t) == 1 for t in y):
        score = min(score, 0.6)  # initials alone (N.N.) name nobody in particular
    reasons = [f"tokens aligned: {' '.join(x)} / {' '.join(y)} ({score:.2f})"]
    if _generations_swapped(x, y):
        score = min(score, GENERATIONS_SWAPPED)
        reasons.append("the names on either side of BIN are swapped: a father and his son")
    return NameScore(round(score, 4), tuple(reasons))


def _generations_swapped(x: tuple[str, ...], y: tuple[str, ...]) -> bool:
    """Whether one side reads X BIN Y and the other Y BIN X (``_PARTICLES`` has made IBN and BEN BIN)."""
    if "BIN" not in x or "BIN" not in y:
        return False
    i, j = x.index("BIN"), y.index("BIN")
    if not (0 < i < len(x) - 1 and 0 < j < len(y) - 1):
        return False
    return x[i - 1] != y[j - 1] and x[i - 1] == y[j + 1] and y[j - 1] == x[i + 1]


def _initials(x: tuple[str, ...], other: tuple[str, ...]) -> tuple[str, ...]:
    """Split a vowel-less token of two or three letters (JC) into initials when the other side is longer."""
    if len(other) <= len(x):
        return x
    out: list[str] = []
    for token in x:
        vowelless = 2 <= len(token) <= 3 and not set(token) & set("AEIOUY")
        out.extend(token if vowelless else (token,))
    return tuple(out)


def _align(x: tuple[str, ...], y: tuple[str, ...]) -> float:
    pairs = sorted(
        ((_token_similarity(a, b), i, j) for i, a in enumerate(x) for j, b in enumerate(y)), reverse=True
    )
    used_x: set[int] = set()
    used_y: set[int] = set()
    total = weight = 0.0
    conflicts = 0
    for similarity, i, j in pairs:
        if i in used_x or j in used_y:
            continue
        used_x.add(i)
        used_y.add(j)
        size = max(len(x[i]), len(y[j]), 3)
        total += similarity * size
        weight += size
        conflicts += similarity < CONFLICT
    aligned = total / weight * CONFLICT_FACTOR**conflicts
    # Tokens left over on the longer side (middle names) cost a little each; patronymics nothing.
    longer, used = (x, used_x) if len(x) > len(y) else (y, used_y)
    extra = [t for k, t in enumerate(longer) if k not in used and not _PATRONYMIC_RE.search(t)]
    return aligned * 0.95 ** len(extra)


def _steep(similarity: float) -> float:
    # Spelling variants of one name sit above 0.9; different names of similar shape around
    # 0.8 (DANIEL / DONALD), so credit falls three times as fast as similarity.
    return max(0.0, 1.0 - 3.0 * (1.0 - similarity))


def _token_similarity(a: str, b: str) -> float:
    if len(a) == 1 or len(b) == 1:
        return 0.9 if a[0] == b[0] else 0.0  # an initial stands for any name with that letter
    if a != b and same_given_name(a, b):
        return 0.9
    steep = _steep(_similarity(a, b))
    if steep < ONE_EDIT and min(len(a), len(b)) >= ONE_EDIT_MIN_LENGTH and OSA.distance(a, b) == 1:
        return ONE_EDIT
    return steep
