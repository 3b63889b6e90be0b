"""ISO 3166-1 alpha-3 (what Sojourn stores) to and from lower-case alpha-2 (what FollowTheMoney writes).

FtM countries are lower-case ISO 3166-1 alpha-2 codes (``cn``), plus ``xk`` for Kosovo. The
table follows ``sojourn.core.documents.codes.ISO_ALPHA3`` code for code, in the same order; a
test checks that both cover the same states and that no alpha-2 code is used twice. pycountry is
not a dependency, and 249 pairs that change once a decade do not need one.
"""

from __future__ import annotations

from sojourn.core.documents.codes import ISO_ALPHA3, ISO_ALPHA3_IN_ORDER, iso_alpha3

# The alpha-2 code of each code of ISO_ALPHA3_IN_ORDER, position for position.
_ALPHA2 = """
    aw  af  ao  ai  ax  al  ad  ae  ar  am  as  aq  tf  ag  au  at  az  bi  be  bj  bq  bf
    bd  bg  bh  bs  ba  bl  by  bz  bm  bo  br  bb  bn  bt  bv  bw  cf  ca  cc  ch  cl  cn
    ci  cm  cd  cg  ck  co  km  cv  cr  cu  cw  cx  ky  cy  cz  de  dj  dm  dk  do  dz  ec
    eg  er  eh  es  ee  et  fi  fj  fk  fr  fo  fm  ga  gb  ge  gg  gh  gi  gn  gp  gm  gw
    gq  gr  gd  gl  gt  gf  gu  gy  hk  hm  hn  hr  ht  hu  id  im  in  io  ie  ir  iq  is
    il  it  jm  je  jo  jp  kz  ke  kg  kh  ki  kn  kr  kw  la  lb  lr  ly  lc  li  lk  ls
    lt  lu  lv  mo  mf  ma  mc  md  mg  mv  mx  mh  mk  ml  mt  mm  me  mn  mp  mz  mr  ms
    mq  mu  mw  my  yt  na  nc  ne  nf  ng  ni  nu  nl  no  np  nr  nz  om  pk  pa  pn  pe
    ph  pw  pg  pl  pr  kp  pt  py  ps  pf  qa  re  ro  ru  rw  sa  sd  sn  sg  gs  sh  sj
    sb  sl  sv  sm  so  pm  rs  ss  st  sr  sk  si  se  sz  sx  sc  sy  tc  td  tg  th  tj
    tk  tm  tl  to  tt  tn  tr  tv  tw  tz  ug  um  ua  uy  us  uz  va  vc  ve  vg  vi  vn
    vu  wf  ws  ye  za  zm  zw
"""
ALPHA2_OF: dict[str, str] = dict(zip(ISO_ALPHA3_IN_ORDER, _ALPHA2.split(), strict=True))
ALPHA2_OF.update({"RKS": "xk", "XXK": "xk"})  # Kosovo: no ISO code; FtM and the EU write xk
ALPHA3_OF: dict[str, str] = {two: three for three, two in ALPHA2_OF.items() if three in ISO_ALPHA3}
ALPHA3_OF["xk"] = "RKS"


def to_ftm_country(code: str) -> str | None:
    """Sojourn's alpha-3 code (or a Doc 9303 code such as ``D``) as FtM writes it: ``CHN`` → ``cn``."""
    code = code.strip().upper()
    three = iso_alpha3(code) or code
    return ALPHA2_OF.get(three)


def from_ftm_country(value: str) -> str | None:
    """An FtM country (alpha-2, any case; alpha-3 accepted too) as Sojourn stores it, or None if unknown."""
    value = value.strip()
    if len(value) == 2:
        return ALPHA3_OF.get(value.lower())
    if len(value) == 3 and value.upper() in ISO_ALPHA3 | {"RKS"}:
        return value.upper()
    return None
