"""Word lists for parsing names: titles, English given names, and common given-name characters."""

from __future__ import annotations

# Titles stripped from the front of romanized names (compared without the dot, uppercase). HON,
# ENG and ING are left out on purpose: they are syllables too (韓 HON, TSAI ING-WEN).
_TITLES = """
    MR MRS MS MISS MX MSTR MASTER DR PROF PROFESSOR SIR MADAM MADAME MDM DAME LADY LORD REV
"""
TITLES: frozenset[str] = frozenset(_TITLES.split())

# Honorifics that follow a Han name (张伟先生, 王女士).
HAN_HONORIFICS: tuple[str, ...] = ("先生", "女士", "小姐", "太太", "夫人", "博士", "教授", "同志")

# English given names common among Hong Kong, Macau, Taiwan and overseas Chinese (the optional
# legal English name of specs/names.md §1: "KUO Chi Yung, Peter"). Not exhaustive: a token is
# treated as an English name only when the rest of the name reads as a Chinese romanization.
_ENGLISH = """
    AARON ADAM ALAN ALBERT ALEX ALEXANDER ALFRED ALLEN ALVIN ANDREW ANDY ANTHONY ARTHUR BEN BENJAMIN
    BENNY BERNARD BILL BILLY BOBBY BRIAN BRUCE CALVIN CARL CHARLES CHRIS CHRISTOPHER DANIEL DANNY
    DAVID DENNIS DEREK DICK DONALD DOUGLAS EDDIE EDMUND EDWARD EDWIN ERIC FELIX FRANCIS FRANK
    FRANKIE GARY GEORGE GILBERT GORDON HAROLD HARRY HENRY HERBERT HOWARD HUGO IAN IVAN JACK JACKIE
    JACKY JAMES JASON JEFFREY JERRY JIMMY JOE JOHN JOHNNY JOHNSON JOSEPH JUSTIN KEITH KELVIN KEN
    KENNETH KENT KEVIN LARRY LAWRENCE LEO LEONARD LOUIS MARCO MARK MARTIN MATTHEW MAURICE MAX
    MICHAEL NATHAN NELSON NICHOLAS NOEL NORMAN OSCAR OLIVER PATRICK PAUL PETER PHILIP RAYMOND RAY
    RICHARD RICKY ROBERT ROGER RONALD ROY RYAN SAMUEL SAM SEAN SIDNEY SIMON STANLEY STEPHEN STEVEN
    TERRY THOMAS TIMOTHY TOM TOMMY TONY VICTOR VINCENT WALTER WAYNE WILLIAM WILSON WINSTON
    AGNES ALICE AMY ANGELA ANN ANNE ANNIE BETTY CARMEN CAROL CATHERINE CATHY CECILIA CHARLOTTE CHLOE
    CHRISTINE CINDY CLARA CONNIE CRYSTAL DAISY DIANA DORIS DOROTHY EILEEN ELAINE ELIZABETH ELLA
    EMILY EMMA ESTHER EUNICE EVA FANNY FIONA FLORA FLORENCE GLORIA GRACE HAZEL HEIDI HELEN IRENE
    IRIS IVY JANE JANET JASMINE JENNIFER JENNY JESSICA JOAN JOANNA JOSEPHINE JOYCE JUDY JULIA KAREN
    KATHERINE KATHY KELLY KITTY LILY LINDA LISA LORRAINE LOUISE LUCY MABEL MAGGIE MANDY MARGARET
    MARY MAVIS MELODY MICHELLE MONICA NANCY NATALIE NICOLE OLIVIA PAULINE PEGGY PHOEBE POLLY
    PRISCILLA QUEENIE RACHEL REBECCA RITA ROSE RUBY SALLY SAMANTHA SANDY SARAH SELINA SERENA SHARON
    SHIRLEY SOPHIA SOPHIE STELLA SUSAN SYLVIA TERESA TIFFANY VANESSA VERONICA VICKY VIVIAN WENDY
    WINNIE YVONNE ZOE
"""
ENGLISH_GIVEN_NAMES: frozenset[str] = frozenset(_ENGLISH.split())

# Characters frequent in given names. They seed the reverse index from Cantonese spellings
# to Mandarin syllables (romanize.romanized_keys): a spelling maps to the readings of these
# characters, not of every character in Unicode, which keeps the syllable classes tight.
GIVEN_NAME_CHARACTERS: str = (
    # virtues and hopes
    "德仁义礼智信忠孝廉勇毅诚真善美慧聪敏贤良淑贞静雅宁安康乐欢喜庆祥瑞吉福禄寿富贵荣华昌盛兴旺"
    "达通顺利和平泰嘉佳佑祐恩惠爱怀志意思想念恒勤俭朴素洁纯正直刚强坚健威武雄豪杰英俊秀丽"
    # nature
    "天地日月星辰云雨雪霜露风雷电虹霞光明亮晖辉耀晓晨曦旭昊昕晴晶晗晟晔晋景春夏秋冬山川江河湖海"
    "波涛浪洋泉溪源渊泽润涵清澄浩淼鑫森林木松柏杨柳桃李梅兰竹菊荷莲芳芬香馨花草叶苗芝芸蓉萍薇"
    "蕾菲菁茜莉莎茹若蕙岚峰岩峻嵩岳石玉琳琪琦瑶瑾璇瑜璐珊珍珠宝金银铜铁钢锋锐铭锦"
    # creatures and things
    "龙凤鹏鹤鸿燕莺鹰雁麟虎彪骏驰腾飞翔航帆舟车轩宇宙楠桐梓枫桦杉"
    # people and family
    "国家民华中邦建军兵卫东南西北新立成生长永远文武书琴诗画子孙儿女男娃妹姐哥弟伯仲叔季"
    # common in women's names
    "娟娜婷娇媛婉妍妮娅姗嫣婧姣娥倩怡悦彤萱颖欣馨雯霏露蓓琼瑛翠红艳丹青紫碧绿黛素霓"
    # common in men's names
    "伟强磊勇涛超斌鹏浩凯健俊帅旭龙林博宸睿泽皓然铭煜霖炜玮伦琦彬炳焕熙照亮杰刚毅坤乾坚"
    "海波洋江河川峰岩松柏斌兵军卫平安宁康泰顺利发财才贵福"
    # syllables common in names but not above
    "小大一二三四五六七八九十百千万亿之以其亦可为子如自若乃尔于与也又正和中上下元亨贞吉"
    "志忠宏伯仲叔少永治政民秀惠淑芳梅英兰桂凤玲珍敏丽霞萍华春莲翠莉梓涵浩宇轩辰逸晨"
    "家嘉佳俊杰明亮光辉耀振兴国庆宏伟雄鹰豪鑫淼焱森垚晶磊犇"
    "士仕世守宗祖承传继先启开德培育智勤学思诚信友仁义礼廉耻让温良恭俭"
    "绍敬慈孝顺爱恩念怀希望梦想心意情谊志远航翔飞腾跃进步升高登攀达通"
)
