"""Jyutping → Hong Kong Government and Macau (Portuguese-based) spellings.

The Hong Kong system is unpublished; these rules follow specs/names.md §1a (about 96% of an
independent surname table), and the Macau rules follow §1b. Every function returns candidate
spellings, the usual one first; callers take the cross product over syllables.
"""

from __future__ import annotations

from functools import cache

_INITIALS = ("gw", "kw", "ng", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "w", "z", "c", "s", "j")

# specs/names.md §1a, initials: aspiration is not written, z/c are CH or TS, s may be SH, j is Y.
_HK_INITIAL: dict[str, tuple[str, ...]] = {
    "b": ("P",),
    "p": ("P",),
    "d": ("T",),
    "t": ("T",),
    "g": ("K",),
    "k": ("K",),
    "gw": ("KW",),
    "kw": ("KW",),
    "z": ("CH", "TS"),
    "c": ("CH", "TS"),
    "s": ("S", "SH"),
    "j": ("Y",),
}

# specs/names.md §1a finals, with the further variants real registers show (an/at → UN/UT,
# o → AW, iu → EW, aa → AH). Long-aa finals are spelled with one A in practice (彭 paang4 PANG,
# 賴 laai6 LAI); the doubled spelling "as written" is kept as a later candidate.
_HK_FINAL: dict[str, tuple[str, ...]] = {
    "aa": ("A", "AH"),
    "aai": ("AI", "AAI"),
    "aau": ("AU", "AAU"),
    "aam": ("AM", "AAM"),
    "aan": ("AN", "AAN"),
    "aang": ("ANG", "AANG"),
    "aap": ("AP", "AAP"),
    "aat": ("AT", "AAT"),
    "aak": ("AK", "AAK"),
    "au": ("AU", "OW"),
    "am": ("AM", "UM"),
    "an": ("AN", "UN"),
    "at": ("AT", "UT"),
    "ei": ("EI", "EE", "I"),
    "i": ("I", "EE"),
    "iu": ("IU", "EW"),
    "o": ("O", "OH", "OR", "AW"),
    "oi": ("OI", "OY"),
    "ou": ("O", "OU"),
    "u": ("U", "OO"),
    "ui": ("UI", "OOI"),
    "un": ("UN", "OON"),
    "oeng": ("EUNG",),
    "oek": ("EUK",),
    "eoi": ("UI", "UE"),
    "eon": ("UN",),
    "eot": ("UT",),
    # The spec also lists YU/YUN/YUT for these; they only occur without an initial (jyu, jyun,
    # jyut are whole syllables below), so after a consonant they are left out.
    "yu": ("U", "UE"),
    "yun": ("UN", "UEN"),
    "yut": ("UT", "UET"),
}

# Whole syllables that do not follow initial + final (specs/names.md §1a; zi/ci/si also EE).
_HK_WHOLE: dict[str, tuple[str, ...]] = {
    "si": ("SZE", "SI", "SHI", "SEE"),
    "zi": ("CHI", "TSZ", "TZE", "CHEE"),
    "ci": ("CHI", "TSZ", "TSZE", "CHEE"),
    "jyu": ("YU", "YUE"),
    "jyun": ("YUEN", "YUN"),
    "jyut": ("YUET", "YUT"),
    "ji": ("YI", "YEE", "I"),
    "jeoi": ("YUI",),
    "wu": ("WU", "WOO"),
    "ng": ("NG",),
    "m": ("M",),
}

# specs/names.md §1b: Portuguese orthography. Finals not listed take the first HK spelling.
_MACAU_INITIAL: dict[str, tuple[str, ...]] = {
    "j": ("I",),
    "w": ("V", "W"),
    "z": ("CH",),
    "c": ("CH",),
    "gw": ("KU",),
    "kw": ("KU",),
    "s": ("S",),
}

_MACAU_FINAL: dict[str, tuple[str, ...]] = {
    "oeng": ("EONG",),
    "oek": ("EOK",),
    "ing": ("ENG",),
    "ik": ("EK",),
    "au": ("AO",),
    "aau": ("AO",),
    "ou": ("OU",),
    "eoi": ("UI", "OI"),
    "ung": ("ONG",),
    "uk": ("OK",),
    "ei": ("EI",),
    # 趙 ziu6 CHIO (specs/names.md §5); IU is seen too.
    "iu": ("IO", "IU"),
    "yu": ("U",),
    "yun": ("UN",),
    "yut": ("UT",),
}

_MACAU_WHOLE: dict[str, tuple[str, ...]] = {
    "si": ("SI", "SZE"),
    "zi": ("CHI",),
    "ci": ("CHI",),
    "jyu": ("U", "IU"),
    "jyun": ("UN", "IUN"),
    "jyut": ("UT",),
    "ji": ("I", "YI"),
    "wu": ("VU", "WU"),
    "ng": ("NG",),
    "m": ("M",),
}


def split_jyutping(syllable: str) -> tuple[str, str]:
    """Split a Jyutping syllable (tone digit optional) into initial and final."""
    bare = syllable.rstrip("0123456789").lower()
    if bare in ("m", "ng"):  # syllabic nasals (吳 ng4, 唔 m4) have no initial
        return "", bare
    for initial in _INITIALS:
        if bare.startswith(initial) and len(bare) > len(initial):
            return initial, bare[len(initial) :]
    return "", bare


def _combine(initials: tuple[str, ...], finals: tuple[str, ...]) -> tuple[str, ...]:
    spellings: dict[str, None] = {}
    for initial in initials:
        for final in finals:
            spelling = initial + final
            # Macau writes j as I: j + im is IM, not IIM (嚴 jim4 IM, 姚 jiu4 IO).
            if spelling.startswith("II"):
                spelling = spelling[1:]
            spellings[spelling] = None
    return tuple(spellings)


@cache
def hk_spellings(syllable: str) -> tuple[str, ...]:
    """Hong Kong Government spellings of one Jyutping syllable, the usual one first."""
    bare = syllable.rstrip("0123456789").lower()
    if bare in _HK_WHOLE:
        return _HK_WHOLE[bare]
    initial, final = split_jyutping(bare)
    initials = _HK_INITIAL.get(initial, (initial.upper(),))
    return _combine(initials, _HK_FINAL.get(final, (final.upper(),)))


@cache
def macau_spellings(syllable: str) -> tuple[str, ...]:
    """Macau (Portuguese-based) spellings of one Jyutping syllable, the usual one first."""
    bare = syllable.rstrip("0123456789").lower()
    if bare in _MACAU_WHOLE:
        return _MACAU_WHOLE[bare]
    initial, final = split_jyutping(bare)
    initials = _MACAU_INITIAL.get(initial) or _HK_INITIAL.get(initial, (initial.upper(),))[:1]
    finals = _MACAU_FINAL.get(final) or _HK_FINAL.get(final, (final.upper(),))[:1]
    return _combine(initials, finals)
