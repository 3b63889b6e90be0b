"""Surname facts: readings that differ from the characters' everyday readings, and customary spellings.

Each line of a table below is one surname, roughly in order of frequency on the mainland, so that
position is a usable prior when a romanized token could be either a surname or a given name.

Columns of ``_SINGLE`` and ``_COMPOUND`` (whitespace separated, ``-`` means "derive it"):

1. simplified form (the key),
2. traditional form, written out because OpenCC's phrase-free conversion of an isolated surname
   is wrong for several (于→於, 余→餘, 范→範, 干→幹, 郁→鬱, 朴→樸),
3. passport pinyin reading(s), first = what a PRC passport prints; ``-`` = pypinyin's default,
   which is right for most surnames and wrong for the heteronyms (specs/names.md §1),
4. Hong Kong customary spelling(s), first = the usual one; the Jyutping rules add the rest,
5. Macau customary spelling(s) (specs/names.md §1b and §5).

Compound surname readings of HK/Macau are space separated within a column by ``_``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SurnameEntry:
    """What we know about one surname beyond what the generic readings give."""

    simplified: str
    traditional: str
    rank: int  # 0 = most frequent; used to break ties when guessing name order
    pinyin: tuple[str, ...]  # empty: use pypinyin's reading
    hk: tuple[str, ...]
    macau: tuple[str, ...]


# Heteronyms first (the spec's list and the well-known rest), then the common surnames.
# Readings: 单 SHAN (not DAN), 曾 ZENG (CENG), 解 XIE (JIE), 区 OU (QU), 仇 QIU (CHOU), 覃 QIN (TAN),
# 查 ZHA (CHA), 朴 PIAO, 乐 YUE, 缪 MIAO, 翟 ZHAI — specs/names.md §1; the others are the
# readings dictionaries give for these characters as surnames.
_SINGLE = """
王 王 - WONG VONG,WONG
李 李 - LEE,LI LEI
张 張 - CHEUNG CHEONG
刘 劉 - LAU LAO
陈 陳 - CHAN CHAN
杨 楊 - YEUNG IEONG
黄 黃 - WONG VONG,WONG
赵 趙 - CHIU CHIO
吴 吳 - NG,WOO NG
周 周 - CHOW,CHAU CHAO
徐 徐 - TSUI,CHUI CHOI,CHUI
孙 孫 - SUEN,SUN SUN
马 馬 - MA MA
朱 朱 - CHU CHU
胡 胡 - WU,WOO VU,WU
郭 郭 - KWOK KUOK,KUOC
何 何 - HO HO
高 高 - KO KOU
林 林 - LAM LAM
罗 羅 - LAW,LO LO
郑 鄭 - CHENG CHEANG
梁 梁 - LEUNG LEONG
谢 謝 - TSE CHE
宋 宋 - SUNG SONG
唐 唐 - TONG TONG
许 許 - HUI HOI,HUI
韩 韓 - HON -
冯 馮 - FUNG FONG
邓 鄧 - TANG TANG
曹 曹 - TSO,CHO CHOU
彭 彭 - PANG PANG
曾 曾 ZENG TSANG CHANG
肖 肖 - SIU SIO
萧 蕭 - SIU SIO
田 田 - TIN -
董 董 - TUNG -
袁 袁 - YUEN UN
潘 潘 - POON,PUN PUN
于 于 - YU,YUE U
蒋 蔣 - CHEUNG CHEONG
蔡 蔡 - CHOI,TSOI CHOI
余 余 - YU,YUE U
杜 杜 - TO TOU
叶 葉 - YIP IP
程 程 - CHING CHENG
苏 蘇 - SO SOU
魏 魏 - NGAI -
吕 呂 LYU LUI LOI,LUI
丁 丁 - TING -
任 任 REN YAM IAM
沈 沈 - SHUM,SHEN SAM
姚 姚 - YIU IO
卢 盧 - LO,LOU LOU
姜 姜 - KEUNG -
崔 崔 - TSUI,CHUI CHUI
钟 鍾 - CHUNG CHONG
谭 譚 - TAM TAM
陆 陸 - LUK -
汪 汪 - WONG -
范 范 - FAN FAN
金 金 - KAM -
石 石 - SHEK -
廖 廖 - LIU LIO
贾 賈 - KA -
夏 夏 - HA HA
韦 韋 - WAI VAI
付 付 - FU -
方 方 - FONG FONG
白 白 - PAK -
邹 鄒 - CHAU CHAO
孟 孟 - MANG -
熊 熊 - HUNG HONG
秦 秦 - CHUN -
邱 邱 - YAU IAO
江 江 - KONG KONG
尹 尹 - WAN VAN
薛 薛 - SIT -
闫 閆 - YIM -
阎 閻 - YIM -
段 段 - TUEN -
雷 雷 - LUI -
侯 侯 - HAU -
龙 龍 - LUNG LONG
史 史 - SZE SI
陶 陶 - TO -
黎 黎 - LAI LAI
贺 賀 - HO -
顾 顧 - KOO -
毛 毛 - MO MOU
郝 郝 - KOK -
龚 龔 - KUNG -
邵 邵 - SHIU SIO
万 萬 - MAN -
钱 錢 - CHIN -
严 嚴 - YIM IM
覃 覃 QIN,TAN TAM,CHUM -
武 武 - MO -
戴 戴 - TAI -
莫 莫 - MOK -
孔 孔 - HUNG HONG
向 向 - HEUNG -
汤 湯 - TONG TONG
常 常 - SHEUNG -
温 溫 - WAN VAN
康 康 - HONG -
施 施 - SZE SI
文 文 - MAN MAN
牛 牛 - NGAU -
樊 樊 - FAN -
葛 葛 - KOT -
邢 邢 - YING -
安 安 - ON -
齐 齊 - CHAI -
易 易 - YIK -
乔 喬 - KIU -
伍 伍 - NG NG
庞 龐 - PONG -
颜 顏 - NGAN -
倪 倪 - NGAI -
庄 莊 - CHONG -
聂 聶 - NIP -
章 章 - CHEUNG CHEONG
鲁 魯 - LO -
岳 岳 - NGOK -
翟 翟 ZHAI,DI CHAK -
殷 殷 - YAN -
詹 詹 - CHIM -
申 申 - SUN -
欧 歐 - AU AO
耿 耿 - KANG -
关 關 - KWAN KUAN
兰 蘭 - LAN -
焦 焦 - CHIU -
俞 俞 - YU U
左 左 - CHO -
柳 柳 - LAU -
甘 甘 - KAM -
祝 祝 - CHUK -
包 包 - PAU -
宁 寧 NING NING -
甯 甯 NING NING -
尚 尚 - SHEUNG -
符 符 - FU -
舒 舒 - SHU -
阮 阮 - YUEN UN
柯 柯 - OR,O -
纪 紀 JI KEI -
梅 梅 - MUI -
童 童 - TUNG -
凌 凌 - LING -
毕 畢 - PAT -
单 單 SHAN SIN SIN
季 季 - KWAI -
裴 裴 - PUI -
霍 霍 - FOK FOK
涂 涂 - TO -
成 成 - SHING -
苗 苗 - MIU -
谷 谷 - KUK -
盛 盛 - SHING -
曲 曲 - KUK -
翁 翁 - YUNG IONG
冉 冉 - YIM -
骆 駱 - LOK -
蓝 藍 - LAM -
路 路 - LO -
游 游 - YAU -
辛 辛 - SUN -
靳 靳 - KAN -
管 管 - KOON -
柴 柴 - CHAI -
蒙 蒙 - MUNG -
鲍 鮑 - PAU -
华 華 HUA WA -
喻 喻 - YU -
祁 祁 - KEI -
蒲 蒲 - PO -
房 房 - FONG -
滕 滕 - TANG -
屈 屈 - WAT -
饶 饒 - YIU -
解 解 XIE HAI -
牟 牟 MU,MOU MAU -
艾 艾 - NGAI -
尤 尤 - YAU -
阳 陽 - YEUNG -
时 時 - SHI,SZE -
穆 穆 - MUK -
司 司 - SZE SI
卓 卓 - CHEUK -
古 古 - KOO -
吉 吉 - KAT -
缪 繆 MIAO MIU -
简 簡 - KAN -
车 車 CHE CHE -
项 項 - HONG -
连 連 - LIN -
麦 麥 - MAK MAK
褚 褚 CHU CHU -
娄 婁 - LAU -
窦 竇 - TAU -
戚 戚 - CHIK -
岑 岑 - SHUM SAM
景 景 - KING -
党 黨 - TONG -
宫 宮 - KUNG -
费 費 FEI FAI -
卜 卜 BU POK -
冷 冷 - LANG -
晏 晏 - AN -
席 席 - CHIK -
卫 衛 - WAI -
米 米 - MAI -
柏 柏 BAI,BO PAK -
宗 宗 - CHUNG -
瞿 瞿 QU KUI -
桂 桂 - KWAI -
全 全 - CHUEN -
佟 佟 - TUNG -
应 應 - YING -
臧 臧 ZANG CHONG -
闵 閔 - MAN -
邬 鄔 - WU -
边 邊 - PIN -
卞 卞 - PIN -
姬 姬 - KI -
师 師 - SZE -
和 和 HE WO -
仇 仇 QIU SAU -
隋 隋 SUI CHUI -
商 商 - SHEUNG -
沙 沙 SHA SHA -
荣 榮 - WING -
巫 巫 - MO -
寇 寇 - KAU -
桑 桑 - SONG -
郎 郎 - LONG -
甄 甄 ZHEN YAN -
虞 虞 - YU -
敖 敖 - NGO -
明 明 - MING MENG
佘 佘 - SHE -
池 池 CHI CHI -
查 查 ZHA CHA -
麻 麻 - MA -
迟 遲 - CHI -
邝 鄺 - KWONG KONG
官 官 - KOON -
封 封 FENG FUNG -
谈 談 - TAM -
匡 匡 - HONG -
鞠 鞠 JU KUK -
惠 惠 - WAI -
乐 樂 YUE,LE LOK,NGOK -
郁 郁 - YUK -
南 南 NAN NAM -
班 班 - PAN -
燕 燕 YAN YIN -
楚 楚 - CHO -
劳 勞 - LO -
奚 奚 - HAI -
皮 皮 - PEI -
冼 冼 XIAN SIN -
楼 樓 - LAU -
满 滿 - MOON -
闻 聞 - MAN -
伊 伊 - YI -
区 區 OU AU AO
海 海 - HOI -
花 花 - FA -
权 權 - KUEN -
强 強 QIANG KEUNG -
屠 屠 TU TO -
朴 朴 PIAO PIU,PARK -
盖 蓋 GE,GAI KOI -
禹 禹 - YU -
巴 巴 - PA -
丰 豐 - FUNG -
国 國 - KWOK -
狄 狄 DI TIK -
平 平 PING PING -
计 計 - KAI -
宣 宣 - SUEN -
容 容 RONG YUNG IONG
云 雲 - WAN -
来 來 - LOI -
芮 芮 RUI YUI -
都 都 DU TO -
薄 薄 BO POK -
雍 雍 - YUNG -
羊 羊 - YEUNG -
乌 烏 - WU -
裘 裘 - KAU -
修 修 - SAU -
杭 杭 HANG HONG -
那 那 NA NA -
鲜 鮮 XIAN SIN -
印 印 - YAN -
茹 茹 - YU -
诸 諸 - CHU -
慕 慕 - MO -
危 危 - NGAI -
公 公 - KUNG -
湛 湛 - CHAM -
茅 茅 - MAU -
利 利 - LEE LEI
於 於 YU YU -
干 干 GAN KON -
尉 尉 WEI WAI -
斯 斯 - SZE -
元 元 - YUEN -
檀 檀 - TAN -
智 智 - CHI -
植 植 - CHIK -
富 富 - FU -
伦 倫 - LUN -
巢 巢 - CHAU -
洪 洪 - HUNG HONG
颉 頡 XIE KIT -
黑 黑 HE HAK -
秘 秘 BI PEI -
召 召 SHAO SIU -
繁 繁 PO PO -
员 員 YUN WAN -
折 折 SHE SIT -
重 重 CHONG CHUNG -
种 种 CHONG CHUNG -
句 句 GOU KAU -
能 能 NAI NOI -
阚 闞 KAN HAM -
隗 隗 WEI,KUI NGAI -
逄 逄 PANG PONG -
谌 諶 CHEN,SHEN SHUM -
莘 莘 SHEN,XIN SAN -
贲 賁 BEN PAN -
宓 宓 MI,FU MAT -
粘 粘 NIAN NIM -
过 過 GUO KWO -
"""

# Compound surnames. PRC passports join them (OUYANG, SIMA, ZHUGE), specs/names.md §1.
_COMPOUND = """
欧阳 歐陽 OUYANG AUYEUNG,AU_YEUNG AO_IEONG
司马 司馬 SIMA SZEMA,SZE_MA -
诸葛 諸葛 ZHUGE CHU_KOT -
上官 上官 SHANGGUAN SHEUNG_KOON -
司徒 司徒 SITU SZETO,SZE_TO,SEETO SI_TOU,SZETO
东方 東方 DONGFANG TUNG_FONG -
皇甫 皇甫 HUANGFU WONG_FU -
尉迟 尉遲 YUCHI WAT_CHI -
公孙 公孫 GONGSUN KUNG_SUEN -
慕容 慕容 MURONG MO_YUNG -
令狐 令狐 LINGHU LING_WU -
夏侯 夏侯 XIAHOU HA_HAU -
端木 端木 DUANMU TUEN_MUK -
长孙 長孫 ZHANGSUN CHEUNG_SUEN -
万俟 万俟 MOQI MAK_KEI -
宇文 宇文 YUWEN YU_MAN -
澹台 澹臺 TANTAI TAM_TOI -
轩辕 軒轅 XUANYUAN HIN_YUEN -
西门 西門 XIMEN SAI_MOON -
南宫 南宮 NANGONG NAM_KUNG -
独孤 獨孤 DUGU TUK_KOO -
呼延 呼延 HUYAN FU_YIN -
申屠 申屠 SHENTU SUN_TO -
闻人 聞人 WENREN MAN_YAN -
太史 太史 TAISHI TAI_SZE -
钟离 鍾離 ZHONGLI CHUNG_LEI -
百里 百里 BAILI PAK_LEI -
东郭 東郭 DONGGUO TUNG_KWOK -
公冶 公冶 GONGYE KUNG_YE -
赫连 赫連 HELIAN HAK_LIN -
左丘 左丘 ZUOQIU CHO_YAU -
濮阳 濮陽 PUYANG POK_YEUNG -
第五 第五 DIWU TAI_NG -
拓跋 拓跋 TUOBA TOK_PAT -
司空 司空 SIKONG SZE_HUNG -
单于 單于 CHANYU SIN_YU -
"""

# Taiwan customary surname spellings beside systematic Wade–Giles (specs/names.md §1, §1c:
# customary spellings are allowed; Hakka/Hoklo alternates since 2016/2019, e.g. 黃 WONG).
TAIWAN_CUSTOMARY: dict[str, tuple[str, ...]] = {
    "李": ("LEE",),
    "黄": ("WONG",),
    "宋": ("SOONG",),
    "周": ("CHOW",),
    "吴": ("WOO",),
    "孔": ("KUNG",),
    "余": ("YU",),
    "游": ("YU", "YOU"),
    "司": ("SZU",),
    "司徒": ("SZUTU", "SSUTU"),
}

# Singapore/Malaysia (Hokkien, Teochew, Hakka) surname spellings: specs/names.md §1 gives
# 陳 TAN, 林 LIM, 黃 NG/OOI, 吳 GOH, 許 KOH; the rest are the common spellings in those registers.
DIASPORA: dict[str, tuple[str, ...]] = {
    "陈": ("TAN",),
    "林": ("LIM",),
    "黄": ("NG", "OOI", "WEE"),
    "吴": ("GOH", "NG"),
    "许": ("KOH",),
    "王": ("ONG",),
    "蔡": ("CHUA",),
    "杨": ("YEO", "YEOH"),
    "张": ("TEO", "CHONG"),
    "郑": ("TAY", "TEH"),
    "谢": ("SIA",),
    "庄": ("CHNG",),
    "郭": ("KWEK", "KUEK"),
    "周": ("CHEW",),
}


def _split(column: str) -> tuple[str, ...]:
    if column == "-":
        return ()
    return tuple(part.replace("_", " ") for part in column.split(","))


def _load(table: str, start_rank: int) -> dict[str, SurnameEntry]:
    entries: dict[str, SurnameEntry] = {}
    for rank, line in enumerate(line for line in table.splitlines() if line.strip()):
        simplified, traditional, pinyin, hk, macau = line.split()
        if simplified in entries:
            continue
        entries[simplified] = SurnameEntry(
            simplified=simplified,
            traditional=traditional,
            rank=start_rank + rank,
            pinyin=_split(pinyin),
            hk=_split(hk),
            macau=_split(macau),
        )
    return entries


SINGLE: dict[str, SurnameEntry] = _load(_SINGLE, 0)
COMPOUND: dict[str, SurnameEntry] = _load(_COMPOUND, len(SINGLE))

# Traditional spellings of compound surnames, so that Han text in either script splits correctly.
COMPOUND_FORMS: frozenset[str] = frozenset(COMPOUND) | frozenset(e.traditional for e in COMPOUND.values())

# Distinct surnames that OpenCC's t2s merges (specs/names.md §1): fine for blocking, not an exact match.
T2S_MERGED_SURNAMES: dict[str, str] = {"於": "于", "鬱": "郁", "甯": "宁"}
