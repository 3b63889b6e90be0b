"""Provinces with their region codes, and valid 18-digit resident ID numbers (GB 11643, MOD 11-2)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

# (letter code, name, province region code, a few county-level region codes in the capital)
# fmt: off
PROVINCES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("BJ", "北京市", "110000", ("110101", "110102", "110105", "110108")),
    ("TJ", "天津市", "120000", ("120101", "120102", "120103", "120104")),
    ("HE", "河北省", "130000", ("130102", "130104", "130105")),
    ("SX", "山西省", "140000", ("140105", "140106", "140107")),
    ("NM", "内蒙古自治区", "150000", ("150102", "150103", "150104")),
    ("LN", "辽宁省", "210000", ("210102", "210103", "210104")),
    ("JL", "吉林省", "220000", ("220102", "220103", "220104")),
    ("HL", "黑龙江省", "230000", ("230102", "230103", "230104")),
    ("SH", "上海市", "310000", ("310101", "310104", "310105", "310115")),
    ("JS", "江苏省", "320000", ("320102", "320104", "320106")),
    ("ZJ", "浙江省", "330000", ("330102", "330105", "330106")),
    ("AH", "安徽省", "340000", ("340102", "340103", "340104")),
    ("FJ", "福建省", "350000", ("350102", "350103", "350104")),
    ("JX", "江西省", "360000", ("360102", "360103", "360104")),
    ("SD", "山东省", "370000", ("370102", "370103", "370104")),
    ("HA", "河南省", "410000", ("410102", "410103", "410104")),
    ("HB", "湖北省", "420000", ("420102", "420103", "420106")),
    ("HN", "湖南省", "430000", ("430102", "430103", "430104")),
    ("GD", "广东省", "440000", ("440103", "440104", "440105", "440106")),
    ("GX", "广西壮族自治区", "450000", ("450102", "450103", "450105")),
    ("HI", "海南省", "460000", ("460105", "460106", "460107")),
    ("CQ", "重庆市", "500000", ("500101", "500102", "500103")),
    ("SC", "四川省", "510000", ("510104", "510105", "510106")),
    ("GZ", "贵州省", "520000", ("520102", "520103")),
    ("YN", "云南省", "530000", ("530102", "530103")),
    ("XZ", "西藏自治区", "540000", ("540102",)),
    ("SN", "陕西省", "610000", ("610102", "610103", "610104")),
    ("GS", "甘肃省", "620000", ("620102", "620103", "620104")),
    ("QH", "青海省", "630000", ("630102", "630103")),
    ("NX", "宁夏回族自治区", "640000", ("640104", "640105")),
    ("XJ", "新疆维吾尔自治区", "650000", ("650102", "650103", "650104")),
)
# fmt: on

WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])  # 2**(17-i) mod 11
CHECK_CHARS = "10X98765432"


def check_character(first17: str) -> str:
    """The MOD 11-2 check character of the first 17 digits of an ID number."""
    total = sum(int(d) * int(w) for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def id_numbers(
    regions: npt.NDArray[np.int64], births: npt.NDArray[np.datetime64], sequences: npt.NDArray[np.int64]
) -> list[str]:
    """ID numbers from region codes, birth dates and 3-digit sequence numbers (odd: male, even: female)."""
    ymd = births.astype("datetime64[D]").astype(str)
    dates = np.char.replace(ymd, "-", "").astype(np.int64)
    digits = np.empty((len(regions), 17), dtype=np.int64)
    for i, (value, width) in enumerate(((regions, 6), (dates, 8), (sequences, 3))):
        start = (0, 6, 14)[i]
        for j in range(width):
            digits[:, start + j] = (value // 10 ** (width - 1 - j)) % 10
    checks = (digits @ WEIGHTS) % 11
    return [
        f"{r:06d}{d:08d}{s:03d}{CHECK_CHARS[c]}"
        for r, d, s, c in zip(
            regions.tolist(), dates.tolist(), sequences.tolist(), checks.tolist(), strict=True
        )
    ]


def draw_sequences(rng: np.random.Generator, male: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
    """Random 3-digit sequence numbers whose last digit is odd for men and even for women."""
    tens = rng.integers(0, 100, size=len(male))
    last = rng.integers(0, 5, size=len(male)) * 2 + male.astype(np.int64)
    return tens * 10 + last
