"""Mandarin syllable tables: the pinyin inventory, passport Ü spellings and pinyin → Wade–Giles.

Pinyin is kept internally in pypinyin's toneless form, with ``v`` for ü (``lv``, ``nve``).
"""

from __future__ import annotations

# Every toneless Mandarin syllable a name can carry (interjections such as hm, ng left out).
_INVENTORY = """
a ai an ang ao
ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu
pa pai pan pang pao pei pen peng pi pian piao pie pin ping po pou pu
ma mai man mang mao me mei men meng mi mian miao mie min ming miu mo mou mu
fa fan fang fei fen feng fo fou fu
da dai dan dang dao de dei den deng di dia dian diao die ding diu dong dou du duan dui dun duo
ta tai tan tang tao te teng ti tian tiao tie ting tong tou tu tuan tui tun tuo
na nai nan nang nao ne nei nen neng ni nian niang niao nie nin ning niu nong nou nu nuan nuo nv nve
la lai lan lang lao le lei leng li lia lian liang liao lie lin ling liu lo long lou lu luan lun luo lv lve
ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo
ka kai kan kang kao ke kei ken keng kong kou ku kua kuai kuan kuang kui kun kuo
ha hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo
ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun
qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun
xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun
zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo
cha chai chan chang chao che chen cheng chi chong chou chu chua chuai chuan chuang chui chun chuo
sha shai shan shang shao she shei shen sheng shi shou shu shua shuai shuan shuang shui shun shuo
ran rang rao re ren reng ri rong rou ru rua ruan rui run ruo
za zai zan zang zao ze zei zen zeng zi zong zou zu zuan zui zun zuo
ca cai can cang cao ce cen ceng ci cong cou cu cuan cui cun cuo
sa sai san sang sao se sen seng si song sou su suan sui sun suo
ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun
wa wai wan wang wei wen weng wo wu
e ei en eng er o ou
"""

PINYIN_SYLLABLES: frozenset[str] = frozenset(_INVENTORY.split())

# Wade–Giles as Taiwan passports print it: no apostrophes, no umlaut (so ch'ang and chang are
# both CHANG, hsü is HSU). Written from the Wade–Giles rules: b/d/g → p/t/k, zh/j/q → ch,
# x → hs, r → j, z/c → ts (tz before -u of zi/ci), -ong → -ung, -ian → -ien, -ie → -ieh,
# -uo → -o after all but g/k/h/sh, ge/ke/he → ko/ho, -i after zh/ch/sh/r → -ih.
# Syllables not listed are spelled the same in both systems (ma, fang, lin, wang, ...).
_WADE_GILES = """
ba:PA bai:PAI ban:PAN bang:PANG bao:PAO bei:PEI ben:PEN beng:PENG bi:PI bian:PIEN biao:PIAO
bie:PIEH bin:PIN bing:PING bo:PO bu:PU
pian:PIEN pie:PIEH mian:MIEN mie:MIEH
da:TA dai:TAI dan:TAN dang:TANG dao:TAO de:TE dei:TEI den:TEN deng:TENG di:TI dia:TIA dian:TIEN
diao:TIAO die:TIEH ding:TING diu:TIU dong:TUNG dou:TOU du:TU duan:TUAN dui:TUI dun:TUN duo:TO
tian:TIEN tie:TIEH tong:TUNG tuo:TO
nian:NIEN nie:NIEH nong:NUNG nuo:NO nv:NU nve:NUEH
lian:LIEN lie:LIEH long:LUNG luo:LO lv:LU lve:LUEH
ga:KA gai:KAI gan:KAN gang:KANG gao:KAO ge:KO gei:KEI gen:KEN geng:KENG gong:KUNG gou:KOU gu:KU
gua:KUA guai:KUAI guan:KUAN guang:KUANG gui:KUEI gun:KUN guo:KUO
ke:KO kong:KUNG kui:KUEI he:HO hong:HUNG
ji:CHI jia:CHIA jian:CHIEN jiang:CHIANG jiao:CHIAO jie:CHIEH jin:CHIN jing:CHING jiong:CHIUNG
jiu:CHIU ju:CHU juan:CHUAN jue:CHUEH jun:CHUN
qi:CHI qia:CHIA qian:CHIEN qiang:CHIANG qiao:CHIAO qie:CHIEH qin:CHIN qing:CHING qiong:CHIUNG
qiu:CHIU qu:CHU quan:CHUAN que:CHUEH qun:CHUN
xi:HSI xia:HSIA xian:HSIEN xiang:HSIANG xiao:HSIAO xie:HSIEH xin:HSIN xing:HSING xiong:HSIUNG
xiu:HSIU xu:HSU xuan:HSUAN xue:HSUEH xun:HSUN
zha:CHA zhai:CHAI zhan:CHAN zhang:CHANG zhao:CHAO zhe:CHE zhei:CHEI zhen:CHEN zheng:CHENG
zhi:CHIH zhong:CHUNG zhou:CHOU zhu:CHU zhua:CHUA zhuai:CHUAI zhuan:CHUAN zhuang:CHUANG zhui:CHUI
zhun:CHUN zhuo:CHO
chi:CHIH chong:CHUNG chuo:CHO shi:SHIH
ran:JAN rang:JANG rao:JAO re:JE ren:JEN reng:JENG ri:JIH rong:JUNG rou:JOU ru:JU rua:JUA
ruan:JUAN rui:JUI run:JUN ruo:JO
za:TSA zai:TSAI zan:TSAN zang:TSANG zao:TSAO ze:TSE zei:TSEI zen:TSEN zeng:TSENG zi:TZU
zong:TSUNG zou:TSOU zu:TSU zuan:TSUAN zui:TSUI zun:TSUN zuo:TSO
ca:TSA cai:TSAI can:TSAN cang:TSANG cao:TSAO ce:TSE cen:TSEN ceng:TSENG ci:TZU cong:TSUNG
cou:TSOU cu:TSU cuan:TSUAN cui:TSUI cun:TSUN cuo:TSO
si:SSU song:SUNG suo:SO
yan:YEN ye:YEH yi:I yong:YUNG you:YU yue:YUEH
e:O er:ERH
"""

# Second spellings Taiwan documents show for the same Wade–Giles syllable (szu beside ssu,
# YI beside I, Ê beside O).
_WADE_GILES_ALTERNATES: dict[str, tuple[str, ...]] = {"si": ("SZU",), "yi": ("YI",), "e": ("E",)}


# Customary Taiwan spellings of given-name syllables outside Wade–Giles, mostly from Gwoyeu
# Romatzyh (specs/names.md §1c: TSAI ING-WEN, MA YING-JEOU; also KO WEN-JE, HAU PEI-TSUN).
TAIWAN_SYLLABLES: dict[str, tuple[str, ...]] = {
    "ying": ("ING",),
    "jiu": ("JEOU",),
    "zhe": ("JE",),
    "hao": ("HAU",),
}


def _load_wade_giles() -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {syllable: (syllable.upper(),) for syllable in PINYIN_SYLLABLES}
    for pair in _WADE_GILES.split():
        syllable, spelling = pair.split(":")
        table[syllable] = (spelling,)
    for syllable, extra in _WADE_GILES_ALTERNATES.items():
        table[syllable] = table[syllable] + extra
    return table


WADE_GILES: dict[str, tuple[str, ...]] = _load_wade_giles()

# Ü on passports: GB/T 28039-2011 writes YU (吕 LYU, 女 NYU); older passports LU/NU, keyboards LV/NV.
_U_UMLAUT: dict[str, tuple[str, ...]] = {
    "lv": ("LYU", "LU", "LV"),
    "nv": ("NYU", "NU", "NV"),
    "lve": ("LYUE", "LUE", "LVE"),
    "nve": ("NYUE", "NUE", "NVE"),
}


def pinyin_spellings(syllable: str) -> tuple[str, ...]:
    """Uppercase spellings of one toneless pinyin syllable, the passport spelling first."""
    return _U_UMLAUT.get(syllable, (syllable.upper(),))


def taiwan_customary(syllable: str) -> tuple[str, ...]:
    """Customary Taiwan spellings of a pinyin syllable beyond Wade–Giles (ying → ING), often none."""
    return TAIWAN_SYLLABLES.get(syllable, ())


def wade_giles(syllable: str) -> tuple[str, ...]:
    """Apostrophe-free Wade–Giles spellings of one pinyin syllable, the usual one first.

    Syllables outside the inventory (pypinyin's rare interjections) are returned as written.
    """
    return WADE_GILES.get(syllable, (syllable.upper(),))
