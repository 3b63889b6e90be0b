"""The synthetic travel calendar, ports and countries, and counter-based random numbers.

Days are counted from ``START`` (2025-01-01 = day 0) to ``END`` (AS_OF, 2026-06-30 = day 545);
times of day are local minutes in ``Asia/Shanghai`` (UTC+08:00, no daylight saving).

Random numbers for the crossing feed come from a counter-based generator (SplitMix64 of a
row's id and a field number) rather than a sequential one, so any slice of the feed can be
generated on its own: the same rows come out whatever the chunking, and nothing has to be
held in memory to continue a stream.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import numpy.typing as npt

from sojourn.synth.registry import AS_OF

U64 = npt.NDArray[np.uint64]
Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

START = date(2025, 1, 1)
END = (AS_OF - START).days  # AS_OF as a day number
EPOCH_DAY = (START - date(1970, 1, 1)).days  # START as days since 1970-01-01
UTC_OFFSET_MIN = 8 * 60  # Asia/Shanghai
HOLIDAY = (date(2025, 10, 1), date(2025, 10, 8))  # National Day and Mid-Autumn holidays
HOLIDAY_DAYS = ((HOLIDAY[0] - START).days, (HOLIDAY[1] - START).days)

# Busy periods of the outbound calendar (first day, last day, weight relative to an ordinary day).
PEAKS = (
    (date(2025, 1, 25), date(2025, 2, 4), 2.5),  # Spring Festival 2025
    (date(2025, 5, 1), date(2025, 5, 5), 2.5),  # Labour Day
    (date(2025, 7, 10), date(2025, 8, 25), 1.3),  # summer
    (HOLIDAY[0], HOLIDAY[1], 4.0),
    (date(2026, 2, 14), date(2026, 2, 22), 2.5),  # Spring Festival 2026
    (date(2026, 5, 1), date(2026, 5, 5), 2.5),
)


def day_weights() -> Floats:
    weights = np.ones(END + 1)
    for first, last, w in PEAKS:
        weights[(first - START).days : (last - START).days + 1] = w
    return weights


_CDF = np.cumsum(day_weights())
_CDF /= _CDF[-1]


def day_at(quantile: Floats) -> Ints:
    """The day at each quantile of the calendar's weights (more days fall in busy periods)."""
    out: Ints = np.searchsorted(_CDF, quantile, side="right").astype(np.int64)
    return np.minimum(out, END)


# ---- counter-based random numbers -------------------------------------------------------------

_G = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


def splitmix(x: U64) -> U64:
    """SplitMix64's finaliser: a bijective mix of 64-bit integers (wrapping arithmetic)."""
    z = x + _G
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    out: U64 = z ^ (z >> np.uint64(31))
    return out


def _salt(seed: int, stream: int, field: int) -> np.uint64:
    mixed = splitmix(np.array([(seed * 1_000_003 + stream) * 1_009 + field], dtype=np.uint64))
    return np.uint64(mixed[0])


def bits(seed: int, stream: int, field: int, ids: Ints) -> U64:
    """64 random bits per id, a pure function of (seed, stream, field, id)."""
    return splitmix(ids.astype(np.uint64) * _G + _salt(seed, stream, field))


def uniform(seed: int, stream: int, field: int, ids: Ints) -> Floats:
    """A uniform number in [0, 1) per id, a pure function of (seed, stream, field, id)."""
    out: Floats = (bits(seed, stream, field, ids) >> np.uint64(11)).astype(np.float64) * 2.0**-53
    return out


def below(u: Floats, n: Ints | int) -> Ints:
    """Integers in [0, n) from uniform numbers."""
    out: Ints = np.minimum((u * n).astype(np.int64), np.asarray(n) - 1)
    return out


def pick(u: Floats, cdf: Floats) -> Ints:
    """Indexes drawn by cumulative weights ``cdf`` (ending in 1)."""
    out: Ints = np.minimum(np.searchsorted(cdf, u, side="right"), len(cdf) - 1).astype(np.int64)
    return out


def permute(x: Ints, space: int, key: int) -> Ints:
    """A keyed bijection of ``[0, space)``: invertible mixing on the next power of two, cycle-walked back into
    range. Distinct inputs give distinct outputs that look random (unlike ``a * x + b``)."""
    width = max(int(space - 1).bit_length(), 8)
    mask = np.uint64((1 << width) - 1)
    k = np.uint64(key & ((1 << width) - 1))

    def step(y: U64) -> U64:
        for odd, shift in ((0x9E3779B1, width // 2), (0x85EBCA77, width // 3 + 1), (0xC2B2AE3D, width // 2 + 1)):
            y = ((y * np.uint64(odd)) + k) & mask
            y = y ^ (y >> np.uint64(shift))
        return y

    y = step(x.astype(np.uint64))
    while True:
        over = y >= np.uint64(space)
        if not over.any():
            return y.astype(np.int64)
        y[over] = step(y[over])


def cdf(weights: tuple[float, ...] | list[float] | Floats) -> Floats:
    c = np.cumsum(np.asarray(weights, dtype=np.float64))
    out: Floats = c / c[-1]
    return out


# ---- places ----------------------------------------------------------------------------------

# Countries travellers go to, with weights (ISO 3166-1 alpha-3); HKG and MAC are reached on a permit.
COUNTRIES = ("HKG", "MAC", "THA", "JPN", "KOR", "SGP", "MYS", "VNM", "USA", "AUS", "GBR", "FRA", "DEU",
             "ITA", "CAN", "NZL", "RUS", "IDN", "KHM", "LAO", "MMR", "MNG", "ARE", "ESP", "CHE")  # fmt: skip
COUNTRY_WEIGHTS: tuple[float, ...] = (22, 14, 9, 8, 7, 5, 5, 4, 3, 3, 2, 2, 2, 1.5, 1.5, 1, 1.5, 1.5, 1, 1, 1, 0.7, 1, 1, 0.8)
HKMO = (0, 1)  # indexes of HKG and MAC
ABROAD = np.arange(2, len(COUNTRIES))  # the countries reached on a passport
ABROAD_CDF = cdf(np.array(COUNTRY_WEIGHTS)[ABROAD])
COUNTRY_CDF = cdf(COUNTRY_WEIGHTS)

AIRPORTS = ("Beijing Capital Airport", "Beijing Daxing Airport", "Shanghai Pudong Airport",
            "Guangzhou Baiyun Airport", "Shenzhen Bao'an Airport", "Chengdu Tianfu Airport",
            "Hangzhou Xiaoshan Airport", "Kunming Changshui Airport", "Xiamen Gaoqi Airport",
            "Chongqing Jiangbei Airport")  # fmt: skip
AIRPORT_CDF = cdf([14, 6, 16, 12, 8, 6, 5, 4, 4, 4])
LAND_PORTS = {  # country index → its land ports
    0: ("Shenzhen Bay", "Luohu", "Huanggang", "Futian", "Hong Kong-Zhuhai-Macao Bridge"),
    1: ("Gongbei", "Hengqin", "Hong Kong-Zhuhai-Macao Bridge"),
    COUNTRIES.index("VNM"): ("Youyiguan", "Dongxing"),
    COUNTRIES.index("LAO"): ("Mohan",),
    COUNTRIES.index("MMR"): ("Ruili",),
    COUNTRIES.index("MNG"): ("Erenhot",),
    COUNTRIES.index("RUS"): ("Manzhouli", "Suifenhe"),
}
LAND_SHARE = np.zeros(len(COUNTRIES))
LAND_SHARE[list(LAND_PORTS)] = 0.3
LAND_SHARE[list(HKMO)] = 0.75
PORTS = AIRPORTS + tuple(dict.fromkeys(p for ports in LAND_PORTS.values() for p in ports))
_LAND_INDEX = {c: np.array([PORTS.index(p) for p in ports]) for c, ports in LAND_PORTS.items()}
_LAND_TABLE = np.full((len(COUNTRIES), 5), -1, dtype=np.int64)
_LAND_COUNT = np.zeros(len(COUNTRIES), dtype=np.int64)
for _c, _idx in _LAND_INDEX.items():
    _LAND_TABLE[_c, : len(_idx)] = _idx
    _LAND_COUNT[_c] = len(_idx)


def ports_for(country: Ints, u_kind: Floats, u_port: Floats) -> Ints:
    """A port (index into ``PORTS``) for crossings to or from each country: a land port where the
    country has one (most HK/Macau traffic goes by land), otherwise an airport."""
    land = u_kind < LAND_SHARE[country]
    airport = pick(u_port, AIRPORT_CDF)
    which = below(u_port, np.maximum(_LAND_COUNT[country], 1))
    out: Ints = np.where(land, _LAND_TABLE[country, which], airport)
    return out


def iso_days(day: Ints) -> npt.NDArray[np.datetime64]:
    """Day numbers as numpy dates."""
    out: npt.NDArray[np.datetime64] = np.datetime64(START, "D") + day.astype("timedelta64[D]")
    return out


def utc_micros(day: Ints, minute: Ints) -> Ints:
    """Local (day, minute of day) → microseconds since the epoch, UTC."""
    out: Ints = ((EPOCH_DAY + day) * 1440 + minute - UTC_OFFSET_MIN) * 60_000_000
    return out
