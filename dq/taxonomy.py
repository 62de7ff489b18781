"""The Taiwan checklist (TaiCOL and friends) and name matching, done once per distinct name.

Reference: `data/reference/checklist.parquet` (one row per name: accepted names and synonyms,
with rank, group, endemism and red-list category) and `vernacular.parquet` (species binomial →
Chinese names). Both are built from ../shared/data/checklists by `python -m dq build-reference`.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd

from . import duck
from .paths import REFERENCE, SHARED_DATA

# Notes people write in the name column instead of a name (lower case, trimmed)
NOT_NAMES = ("no survey", "not surveyed", "none", "unknown", "unidentified", "n/a", "na", "nil", "null", "no data",
             "no record", "no records", "nothing", "無", "未知", "不明", "未鑑定", "無紀錄", "未調查", "未發現")
FUZZY_MIN_SCORE = 90.0   # rapidfuzz ratio (0-100) for a TAXON_FUZZY suggestion

# "ssp." is a qualifier only where no epithet follows (a subspecies not named); before one it is the
# subspecies marker (Pycnonotus sinensis ssp. formosae was "qualifier in the name", its marker removed)
QUALIFIER_RX = r"(^|\s)(sp|spp|cf|aff|nr|sp\.\s*nov)\.?(\s|$)|(^|\s)ssp\.?\s*$|\?"
# a hybrid formula: two names joined by × or a lone x after at least a genus and an epithet (BBS's
# "Pycnonotus taivanus x sinensis", 雜頭翁). Not a nothospecies such as "Platanus × acerifolia",
# whose sign follows the genus alone. Like an "A/B" aggregate it is no one species (GBIF's parser
# calls it a HYBRID_FORMULA and matches no species to it).
HYBRID_RX = r"^\S+\s+\S+.*\s([xX]\s+\S|×\s*\S)"
# eBird's and BBS Taiwan's domestic and feral forms ("Cairina moschata (Domestic type)", "Columba
# livia (Feral Pigeon)"): a note on the bird, not the name's author
FORM_RX = r"(?i)^\([^)]*\b(domestic|feral|type|hybrid|form)\b[^)]*\)$"
# an infraspecific rank marker between epithets: TaiCOL's plant list writes most trinomials without one
# (Carex breviculmis fibrillosa) and some with (Rhynchotechum discolor var. incisum), files either way; a
# name differing by its marker alone was "misspelt" (Carex breviculmis var. fibrillosa → … fibrillosa?)
RANK_MARKER_RX = r"\s(?:var|subsp|ssp|fo|f|forma|subvar|subf)\.?\s+([a-z])"
# a marker's spellings of one rank (ssp. / subsp., f. / fo. / forma): compared as one, never across ranks —
# TaiCOL lists Rhynchotechum discolor fo. incisum and var. incisum as two accepted taxa


def marker_norm_sql(x: str) -> str:
    """SQL: `x` with its rank markers written one way per rank."""
    return (f"regexp_replace(regexp_replace({x}, '\\s(?:subsp|ssp)\\.?\\s+([a-z])', ' subsp. \\1', 'g'), "
            f"'\\s(?:fo|f|forma)\\.?\\s+([a-z])', ' fo. \\1', 'g')")


def marker_strip_sql(x: str) -> str:
    """SQL: `x` without its rank markers."""
    return f"regexp_replace({x}, '{RANK_MARKER_RX}', ' \\1', 'g')"


# Authorship: something after the name that starts with a capital, '(' or holds a year.
NAME_RX = r"^([A-Z][a-z\-]+(?: [a-z\-]+(?: (?:subsp\.|ssp\.|var\.|f\.|fo\.) ?[a-z\-]+| [a-z\-]+)?)?)(.*)$"
# A nothospecies' sign after the genus ("Begonia × taipeiensis" in TaiCOL, "Begonia ×taipeiensis" in
# TaiBON's lists, "Pinus ×hayatana" where TaiCOL writes "Pinus hayatana"): one species however written,
# so names are compared without it (a hybrid formula, A × B, has the sign after an epithet: kept).
NOTHO_RX = r"^([A-Z][a-z\-]+) ?× ?([a-z])"


def notho_sql(col: str) -> str:
    """SQL: the name without a nothospecies sign after its genus."""
    return f"regexp_replace({col}, '{NOTHO_RX}', '\\1 \\2')"


def diaeresis_fold(col: str) -> str:
    """SQL: the text with a diaeresis dropped (ICN Art. 60.6: a diaeresis shows a vowel is pronounced apart and
    may be left out): Isoëtes is Isoetes. TaiCOL writes "Isoëtes taiwanensis var. taiwanensis", a red list
    "Isoetes taiwanensis"; and a name's letters are read as [a-z] only (the ë made the first a name above species)."""
    return f"translate({col}, 'äëïöüÄËÏÖÜ', 'aeiouAEIOU')"


# composed first: a diaeresis written as its own combining mark (e + U+0308) is ë too
SPACES_COLLAPSED = f"regexp_replace({diaeresis_fold('nfc_normalize(trim(name_raw))')}, '\\s+', ' ', 'g')"


def _notho(name: str) -> str:
    return re.sub(NOTHO_RX, r"\1 \2", name)


GROUPS = {"Aves": ("鳥類", "Birds"), "Mammalia": ("哺乳類", "Mammals"), "Reptilia": ("爬蟲類", "Reptiles"),
          "Amphibia": ("兩生類", "Amphibians"), "Plantae": ("維管束植物", "Vascular plants")}


# Variant characters Taiwan's name lists use for one another (TaiBON's 雙黃花菫菜, TaiCOL's 雙黃花堇菜; 二葯藻 /
# 二藥藻; 鈕釦 / 鈕扣; 榖精草 / 穀精草): a Chinese name is compared with each folded to one form, as 臺 / 台
VARIANTS = ("臺菫葯榖釦峯羣裏綫鷄脚菓蔴舘衞", "台堇藥穀扣峰群裡線雞腳果麻館衛")
_FOLD = str.maketrans(*VARIANTS)


def fold_sql(col: str) -> str:
    """SQL: the text with its variant characters folded (VARIANTS)."""
    return f"translate({col}, '{VARIANTS[0]}', '{VARIANTS[1]}')"


def zh_norm_sql(col: str) -> str:
    """SQL: a Chinese name as the checklist's vernacular_norm is written (norm_zh's twin: NFC, as DuckDB
    has no NFKC; no spaces; variant characters folded)."""
    return fold_sql("regexp_replace(nfc_normalize(" + col + "), '[\\s\\p{Z}]', '', 'g')")


# what brackets say after a name (白頭翁（亞成鳥、雌）, 蒼鷹(日本亞種)): no part of it
BRACKETS_RX = "\\(.*?\\)|（.*?）"


def vern_parts_sql(col: str) -> str:
    """SQL: the Chinese names a cell gives, each as zh_norm_sql writes it. A row may give several
    ("棕面鶯;棕面鶲鶯", TaiCOL's export; "{明潭羊耳蒜,明潭羊耳蘭}", a database array), after what brackets say
    is set aside."""
    bare = "regexp_replace(nfc_normalize(" + col + "), '" + BRACKETS_RX + "', '', 'g')"
    return ("list_filter(list_transform(string_split_regex(trim(" + bare + ", '{} '), '[;；、,，]'), x -> "
            + zh_norm_sql("x") + "), x -> x <> '')")


def norm_zh(s: str | None) -> str:
    if s is None:
        return ""
    s = unicodedata.normalize("NFKC", str(s)).translate(_FOLD)
    return re.sub(r"[\s\u3000]+", "", s)


def _read_taicol(path: Path) -> pd.DataFrame:
    text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    import io
    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    # the exports write authors HTML-escaped ("Matsui &amp; Tominaga, 2020": 85 of them; TEXT_HTML_ENTITY)
    import html
    df["author"] = df["author"].map(html.unescape)
    return df


def _sp(name) -> str:
    # TaiCOL's plant list writes three names with two spaces ("Lespedeza bicolor var.  japonica"): a
    # record's name, whose spaces are collapsed, was then "misspelt", its suggestion the same name
    return " ".join(str(name).split())


def _nfc(v: str) -> str:
    # 32 of its Chinese names are in CJK compatibility ideographs (蘭 U+F91F for 蘭 U+862D: the same
    # glyph, another character): shown and searched as the standard character
    return unicodedata.normalize("NFC", v.strip())


def build_reference(shared: Path = SHARED_DATA, ref: Path = REFERENCE) -> None:
    c = shared / "checklists"
    rows = []
    vern = []
    for f in ("taicol_aves_20220605.csv", "taicol_animalia_20220605.csv", "taicol_reptilia20220605.csv",
              "taicol_amphibia_20220605.csv"):
        df = _read_taicol(c / f)
        for r in df.itertuples(index=False):
            rank = "subspecies" if r.infraspecies else "species"
            group = GROUPS.get(r._6 if False else r[5], ("其他", "Other"))
            rows.append(dict(name=_sp(r.name), author=r.author, rank=rank, status="accepted",
                             taxon_id=f"taicol:{r.name_code}", accepted_name=_sp(r.name),
                             accepted_id=f"taicol:{r.name_code}", family=r.family, genus=r.genus,
                             class_=r[5], group_zh=group[0], group_en=group[1],
                             is_endemic=r.is_endemic == "1", is_alien=r.is_alien == "1", redlist=None,
                             source=f))
            binom = " ".join(_notho(_sp(r.name)).split()[:2])
            for v in (r.common_name_c or "").split(";"):
                v = re.sub(r"\(.*?\)|（.*?）", "", v)
                if v.strip():
                    vern.append((binom, _nfc(v)))
    # Bird red-list and names from the TBN checklist; 2023 bird list for current Chinese names.
    tbn = pd.read_csv(c / "tbn_aves_checklist_20220605.csv", dtype=str, keep_default_na=False)
    red = {r["簡學名"]: r["國內紅皮書評估類別"] for _, r in tbn.iterrows() if r["國內紅皮書評估類別"]}
    for _, r in tbn.iterrows():
        v = re.sub(r"\(.*?\)", "", r["分類群俗名"])
        if v.strip():
            vern.append((" ".join(r["簡學名"].split()[:2]), _nfc(v)))
    bl = pd.read_csv(c / "taiwan_bird_list_2023.csv", dtype=str, keep_default_na=False)
    for _, r in bl.iterrows():
        vern.append((_sp(r["學名"]), _nfc(r["中文名"])))
    # Plants: TaiCOL 2020 accepted names + synonyms; red list and status from the TaiBON name list.
    acc = pd.read_excel(c / "Plant-list-TaiCoL-20200722.xlsx", sheet_name="accepted names", dtype=str)
    syn = pd.read_excel(c / "Plant-list-TaiCoL-20200722.xlsx", sheet_name="synonyms", dtype=str)
    # the accepted sheet ends with 15 rows of a namecode alone (a list pasted below the records): no name, no
    # taxon ("taicol:nan" was counted among the vascular plants without records)
    acc = acc[acc["scientificName"].fillna("").str.strip() != ""]
    syn = syn[syn["scientificName"].fillna("").str.strip() != ""]
    nl = pd.read_csv(c / "twnamelist.csv", sep="|", header=None, dtype=str, keep_default_na=False,
                     names=["id", "family", "family_zh", "zh", "name", "name_author", "c1", "c2", "red", "status"])
    nl["name"] = nl["name"].map(_sp)
    plant_red = dict(zip(nl["name"], nl["red"]))
    # 原生 / 歸化 / 栽培: whether a plant is alien is known only where the name list gives a status (for the
    # name or one of its synonyms); elsewhere it is unknown (None), never "native"
    # A name the list marks both endemic (1) and 栽培 contradicts itself (13 names: Ixeridium calcicola, Iris japonica …):
    # its status is unknown, or every record of a native plant said native was told "the checklist lists it as introduced"
    def status_known(status: str, endemic: str) -> bool:
        return status in ("原生", "歸化") or (status == "栽培" and endemic != "1")
    plant_status = {n: s for n, s, e in zip(nl["name"], nl["status"], nl["c2"]) if status_known(s, e)}
    syn_status: dict[str, set[str]] = {}
    for r in syn.itertuples(index=False):
        if _sp(r.scientificName) in plant_status:
            syn_status.setdefault(str(r.acceptedNamecode), set()).add(plant_status[_sp(r.scientificName)] != "原生")

    def plant_alien(name: str, code: str):
        if name in plant_status:
            return plant_status[name] != "原生"
        via = syn_status.get(code, set())
        return next(iter(via)) if len(via) == 1 else None
    # the name list's 8th column flags Taiwan endemics (1): Abies kawakamii, Taiwania cryptomerioides … 1,238 names
    plant_endemic = {n for n, e in zip(nl["name"], nl["c2"]) if e == "1"}
    by_code = {}
    for r in acc.itertuples(index=False):
        name = _sp(r.scientificName)
        by_code[str(r.namecode)] = name
        rank = "infraspecies" if re.search(r" (subsp\.|var\.|f\.) ", name) else "species"
        rows.append(dict(name=name, author=r.authors, rank=rank, status="accepted",
                         taxon_id=f"taicol:{r.namecode}", accepted_name=name, accepted_id=f"taicol:{r.namecode}",
                         family=r.family, genus=name.split()[0], class_="Plantae", group_zh="維管束植物",
                         group_en="Vascular plants", is_endemic=name in plant_endemic, is_alien=plant_alien(name, str(r.namecode)),
                         redlist=plant_red.get(name) or None, source="Plant-list-TaiCoL-20200722.xlsx"))
        for v in [r.vernacularName, r.otherVernacularNames]:
            for x in re.split(r"[;,、]", str(v) if isinstance(v, str) else ""):
                if x.strip():
                    vern.append((" ".join(_notho(name).split()[:2]), _nfc(x)))
    # TaiCOL's 2020 workbook holds the seed plants only: the ferns and lycophytes (the name list's groups 2 and
    # 1: 783 rows, 782 names, Arachniodes amabilis twice; none in the workbook) come from TaiBON's name list, or
    # every fern was "a group the checklists do not cover, e.g. a fish" under a group named vascular plants.
    # The list files eight fern genera under two families each (Dryopteris: Aspidiaceae and Dryopteridaceae): a
    # genus takes the family most of its names have, so "Dryopteris sp." matches its genus like "Pteris sp."
    ferns = nl[nl["c1"].isin(["1", "2"]) & (nl["name"] != "")].copy()
    ferns["genus"] = ferns["name"].str.split().str[0]
    fam = (ferns.groupby(["genus", "family"]).size().reset_index(name="n")
           .sort_values(["genus", "n", "family"], ascending=[True, False, True]).drop_duplicates("genus"))
    genus_family = dict(zip(fam["genus"], fam["family"]))
    held = {_sp(n) for n in acc["scientificName"]} | {_sp(n) for n in syn["scientificName"]}
    for r in ferns.drop_duplicates("name").itertuples(index=False):
        if r.name in held:
            continue
        rows.append(dict(name=r.name, author=None, rank="infraspecies" if re.search(r" (subsp\.|var\.|f\.|fo\.) ", r.name) else "species",
                         status="accepted", taxon_id=f"twnamelist:{r.id}", accepted_name=r.name, accepted_id=f"twnamelist:{r.id}",
                         family=genus_family[r.genus], genus=r.genus, class_="Plantae", group_zh="維管束植物", group_en="Vascular plants",
                         is_endemic=r.c2 == "1", is_alien=(r.status != "原生") if status_known(r.status, r.c2) else None,
                         redlist=r.red or None, source="twnamelist.csv"))
    for r in ferns.itertuples(index=False):      # both rows' Chinese names of a name listed twice
        for x in re.split(r"[;,、]", r.zh):
            if x.strip() and r.name not in held:
                vern.append((" ".join(_notho(r.name).split()[:2]), _nfc(x)))
    for r in syn.itertuples(index=False):
        name = _sp(r.scientificName)
        acc_name = by_code.get(str(r.acceptedNamecode))
        if not acc_name or name == acc_name:
            continue
        rows.append(dict(name=name, author=None, rank="species" if len(name.split()) == 2 else "infraspecies",
                         status="synonym", taxon_id=f"taicol:{r.namecode}", accepted_name=acc_name,
                         accepted_id=f"taicol:{r.acceptedNamecode}", family=r.family, genus=name.split()[0],
                         class_="Plantae", group_zh="維管束植物", group_en="Vascular plants", is_endemic=False,
                         is_alien=None, redlist=None, source="Plant-list-TaiCoL-20200722.xlsx"))
    cl = pd.DataFrame(rows)
    cl.loc[cl["class_"] == "Aves", "redlist"] = cl.loc[cl["class_"] == "Aves", "name"].map(red)
    # An accepted name wins over a synonym with the same spelling.
    cl = cl.sort_values(["name", "status"]).drop_duplicates("name", keep="first")
    cl = cl.rename(columns={"class_": "class"})
    ref.mkdir(parents=True, exist_ok=True)
    cl.to_parquet(ref / "checklist.parquet", index=False)
    vd = pd.DataFrame(vern, columns=["binomial", "vernacular"]).drop_duplicates()
    vd["vernacular_norm"] = vd["vernacular"].map(norm_zh)
    vd.to_parquet(ref / "vernacular.parquet", index=False)
    build_vernacular_en(shared, ref)


def norm_en(s: str | None) -> str:
    """English common names compared without case, hyphens, apostrophes or spaces."""
    return re.sub(r"[\s\-'’.]+", "", unicodedata.normalize("NFKC", str(s or "")).lower())


def build_vernacular_en(shared: Path = SHARED_DATA, ref: Path = REFERENCE) -> None:
    """English names where a checklist has them (the Taiwan bird list 2023): binomial → English name."""
    bl = pd.read_csv(shared / "checklists" / "taiwan_bird_list_2023.csv", dtype=str, keep_default_na=False)
    en = pd.DataFrame({"binomial": bl["學名"].str.strip(), "vernacular": bl["英文名"].str.strip()})
    en = en[(en["binomial"] != "") & (en["vernacular"] != "")].drop_duplicates()
    en["vernacular_norm"] = en["vernacular"].map(norm_en)
    en.to_parquet(ref / "vernacular_en.parquet", index=False)


def _score_rows(items: list[tuple], choices: list[str], scorer, cutoff):
    """(item, its scores against every choice) for items (anything, their text last), all on every core,
    in blocks so the score matrix stays small (rapidfuzz cdist)."""
    from rapidfuzz import process
    for i in range(0, len(items), 256):
        block = items[i:i + 256]
        yield from zip(block, process.cdist([b[-1] for b in block], choices, scorer=scorer, score_cutoff=cutoff, workers=-1))


def match_names(con, names_table: str, out_table: str) -> None:
    """Match distinct names (column `name_raw`, `vern_raw`) of `names_table` into `out_table`.

    Steps, each in SQL except fuzzy matching (rapidfuzz, on the distinct leftovers only):
    clean → exact (accepted or synonym) → species of a listed subspecies → genus or family of listed
    species (higherrank) → above species → fuzzy.
    """
    _load_name_refs(con)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _nm AS
        SELECT name_raw, {notho_sql(SPACES_COLLAPSED)} AS n0 FROM (SELECT DISTINCT name_raw FROM {names_table})""")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _nm2 AS SELECT name_raw, n0,
        regexp_matches(n0, '{QUALIFIER_RX}', 'i') AS has_qualifier,
        trim(regexp_replace(n0, '{QUALIFIER_RX}', ' ', 'gi')) AS n1 FROM _nm""")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _nm3 AS SELECT *,
        trim(regexp_extract(n1, '{NAME_RX}', 1)) AS name_clean,
        trim(regexp_extract(n1, '{NAME_RX}', 2)) AS rest FROM _nm2""")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _nm4 AS SELECT *,
        (rest <> '' AND regexp_matches(rest, '^[\\(A-Z]|\\d{{4}}') AND NOT contains(rest, '/') AND NOT hybrid
         AND NOT regexp_matches(rest, '{FORM_RX}')) AS has_authorship,
        (contains(n0, '/') OR hybrid OR len(string_split(coalesce(nullif(name_clean, ''), n1), ' ')) < 2) AS above_species
        FROM (SELECT *, regexp_matches(n0, '{HYBRID_RX}') AS hybrid FROM _nm3)""")
    # A species the plant list gives as a synonym of one of its own varieties while it accepts two or more of
    # them (Bidens pilosa → var. minor beside var. pilosa and var. radiata; Acer insulare → var. insulare beside
    # var. caudatifolium: 112 such names) is no synonym: a record at species level names them all, so it is
    # matched as the species of its listed infraspecific taxa (_sspp), not resolved to one. Where the list
    # accepts one only (Acalypha indica → var. minima, the one in Taiwan), its mapping stands.
    # (the species are a small table; the checklist is filtered as the join reads it, never copied)
    con.execute("""CREATE OR REPLACE TEMP TABLE _sp_multi AS SELECT sp FROM (
        SELECT array_to_string(string_split(name_key, ' ')[1:2], ' ') AS sp FROM ref_checklist
        WHERE status = 'accepted' AND len(string_split(name_key, ' ')) > 2) GROUP BY sp HAVING count(*) > 1""")
    con.execute("""CREATE OR REPLACE TEMP VIEW _ref_match AS SELECT * FROM ref_checklist c
        WHERE NOT (c.status = 'synonym' AND c.accepted_name LIKE c.name || ' %' AND c.name_key IN (SELECT sp FROM _sp_multi))""")
    # a synonym is endemic or alien as its accepted name is (the plant list's synonym rows carry 0 for both)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _exact AS
        SELECT n.name_raw, c.taxon_id, c.accepted_name, c.accepted_id, c.status, c.rank, c.group_zh, c.group_en,
               c.family, coalesce(a.is_endemic, c.is_endemic) AS is_endemic, coalesce(a.is_alien, c.is_alien) AS is_alien,
               c.redlist, CASE WHEN c.status = 'synonym' THEN 'synonym' ELSE 'exact' END AS match_type
        -- the name as written first: a cultivar or a name of two infraspecific ranks the checklist lists
        -- ("Tradescantia flurnuensis cv. Variegata") was cut to its binomial and called misspelt. Two
        -- equality joins, not one join ON ... IN (...): DuckDB ran that as a nested loop (39,354 names: 8.6 s)
        FROM (SELECT n.name_raw, n.name_clean, n.n0, n.name_clean AS k, 1 AS pri FROM _nm4 n WHERE NOT n.hybrid
              UNION ALL SELECT n.name_raw, n.name_clean, n.n0, n.n0, 0 FROM _nm4 n WHERE NOT n.hybrid AND n.n0 <> n.name_clean
              -- then its rank markers written one way (ssp. = subsp., f. = fo.) against the checklist's so written,
              -- last the name without its markers against a checklist name that has none (Carex breviculmis
              -- fibrillosa for "… var. fibrillosa"); a checklist name with a marker of another rank never matches
              UNION ALL SELECT n.name_raw, n.name_clean, n.n0, {marker_norm_sql('n.name_clean')}, 2 FROM _nm4 n WHERE NOT n.hybrid
              UNION ALL SELECT n.name_raw, n.name_clean, n.n0, {marker_strip_sql('n.name_clean')}, 3
              FROM _nm4 n WHERE NOT n.hybrid) n
        JOIN (SELECT name_key AS k_, * FROM _ref_match UNION ALL
              SELECT name_key_nr, * FROM _ref_match WHERE name_key_nr <> name_key UNION ALL
              SELECT name_key_nm, * FROM _ref_match WHERE name_key_nm <> name_key) c
          ON c.k_ = n.k AND (n.pri < 3 OR c.name_key = c.name_key_nr)
        LEFT JOIN (SELECT name, bool_or(is_endemic) AS is_endemic, bool_or(is_alien) AS is_alien FROM ref_checklist
                   WHERE status = 'accepted' GROUP BY name) a ON c.status = 'synonym' AND a.name = c.accepted_name
        -- a name_key two names share (Cosmos spectabilis, Cosmos × spectabilis): the one spelt as written,
        -- then the accepted one, then by taxon id, so the same file matches the same way every run
        QUALIFY row_number() OVER (PARTITION BY n.name_raw ORDER BY n.pri, c.name = n.n0 DESC, c.status = 'accepted' DESC, c.taxon_id) = 1""")
    # Species-level names whose subspecies are listed (TaiCOL lists most birds by subspecies).
    con.execute("""CREATE OR REPLACE TEMP TABLE _sspp AS
        SELECT n.name_raw, NULL AS taxon_id, n.name_clean AS accepted_name, NULL AS accepted_id, 'accepted' AS status,
               'species' AS rank, any_value(c.group_zh) AS group_zh, any_value(c.group_en) AS group_en,
               any_value(c.family) AS family, bool_or(c.is_endemic) AS is_endemic, any_value(c.redlist) AS redlist,
               -- alien when every listed subspecies is, native when none is; mixed (Phasianus colchicus:
               -- karpowi introduced, formosanus native) is neither
               CASE WHEN bool_and(c.is_alien) THEN true WHEN NOT bool_or(c.is_alien) THEN false END AS is_alien,
               'species_of_listed_subspecies' AS match_type
        FROM _nm4 n JOIN ref_checklist c ON c.name_key LIKE n.name_clean || ' %' AND c.status = 'accepted'
        WHERE n.name_raw NOT IN (SELECT name_raw FROM _exact) AND len(string_split(n.name_clean, ' ')) = 2 AND NOT n.hybrid
        GROUP BY n.name_raw, n.name_clean""")
    # A genus or family name (Buergeria, "Rana sp.", Ranidae) matches that taxon when the checklist
    # places accepted species in it (GBIF's HIGHERRANK). It stays above species: never a species in counts.
    con.execute("""CREATE OR REPLACE TEMP TABLE _higher AS
        WITH h AS (SELECT genus AS name, 'genus' AS rank, family, group_zh, group_en FROM ref_checklist
                     WHERE status = 'accepted' AND genus IS NOT NULL AND genus <> ''
                   UNION ALL SELECT family, 'family', family, group_zh, group_en FROM ref_checklist
                     WHERE status = 'accepted' AND family IS NOT NULL AND family <> ''),
        t AS (SELECT name, any_value(rank) AS rank, any_value(family) AS family,
                     CASE WHEN count(DISTINCT group_zh) = 1 THEN any_value(group_zh) END AS group_zh,
                     CASE WHEN count(DISTINCT group_en) = 1 THEN any_value(group_en) END AS group_en
              FROM h GROUP BY name HAVING count(DISTINCT rank) = 1 AND count(DISTINCT family) = 1)
        SELECT n.name_raw, NULL AS taxon_id, t.name AS accepted_name, NULL AS accepted_id, 'accepted' AS status, t.rank,
               t.group_zh, t.group_en, t.family, NULL::BOOLEAN AS is_endemic, NULL::BOOLEAN AS is_alien, NULL AS redlist, 'higherrank' AS match_type
        FROM _nm4 n JOIN t ON t.name = n.name_clean
        WHERE n.above_species AND NOT contains(n.n0, '/') AND n.name_raw NOT IN (SELECT name_raw FROM _exact)""")
    left = con.execute("""SELECT name_raw, name_clean FROM _nm4
        WHERE name_raw NOT IN (SELECT name_raw FROM _exact UNION ALL SELECT name_raw FROM _sspp)
          AND NOT above_species AND name_clean <> ''""").fetchall()
    fuzzy_rows = []
    if left:
        from rapidfuzz import fuzz
        # species binomials of listed subspecies are valid targets too; sorted, so ties resolve the same way every run
        choices = [r[0] for r in con.execute("""SELECT name_key FROM ref_checklist UNION
            SELECT array_to_string(string_split(name_key, ' ')[1:2], ' ') FROM ref_checklist WHERE status = 'accepted' ORDER BY 1""").fetchall()]
        for (raw, _), row in _score_rows(left, choices, fuzz.ratio, FUZZY_MIN_SCORE):
            j = row.argmax()
            if row[j] >= FUZZY_MIN_SCORE:
                fuzzy_rows.append((raw, choices[j], float(row[j])))
    con.execute("CREATE OR REPLACE TEMP TABLE _fz (name_raw VARCHAR, suggestion VARCHAR, score DOUBLE)")
    if fuzzy_rows:
        con.executemany("INSERT INTO _fz VALUES (?, ?, ?)", fuzzy_rows)
    # a binomial not in the checklist whose genus is held: the checklist's species of that genus's family with
    # the same epithet in another genus (a genus split or moved since the name was written: Rana latouchii is
    # TaiCOL's Hylarana latouchii, Rana swinhoana its Odorrana swinhoana), at most three, else no hint. Not
    # the class: an epithet such as roseus names a minivet and a starling, no hint for a flamingo. A genus
    # the checklists lack (Rhacophorus, now Zhangixalus) says nothing of its family: no hint (not_covered)
    con.execute("""CREATE OR REPLACE TEMP TABLE _epn AS
        WITH ep AS (SELECT DISTINCT lower(split_part(name, ' ', 2)) AS ep, split_part(name, ' ', 1) AS genus, family,
                           split_part(name, ' ', 1) || ' ' || split_part(name, ' ', 2) AS binomial
                    FROM ref_checklist WHERE status = 'accepted' AND contains(name, ' ')),
        gc AS (SELECT DISTINCT genus, family FROM ref_checklist WHERE genus IS NOT NULL AND genus <> '' AND family IS NOT NULL)
        SELECT n.name_raw, string_agg(DISTINCT e.binomial, '、' ORDER BY e.binomial) AS names, count(DISTINCT e.binomial) AS k
        FROM _nm4 n JOIN gc ON gc.genus = split_part(n.name_clean, ' ', 1)
        JOIN ep e ON e.ep = lower(split_part(n.name_clean, ' ', 2)) AND e.family = gc.family
                 AND e.genus <> split_part(n.name_clean, ' ', 1)
        WHERE NOT n.above_species AND NOT n.hybrid AND split_part(n.name_clean, ' ', 2) <> ''
        GROUP BY n.name_raw""")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE {out_table} AS
        WITH m AS (SELECT * FROM _exact UNION ALL BY NAME SELECT * FROM _sspp UNION ALL BY NAME SELECT * FROM _higher)
        SELECT n.name_raw, n.name_clean, n.has_qualifier, n.has_authorship, n.above_species,
               -- the name without its qualifier as the qualifier fix names it: an "A/B" aggregate whole (BBS's
               -- "Accipitriformes/Falconiformes sp." was told to keep Accipitriformes alone)
               CASE WHEN contains(n.n1, '/') THEN n.n1 ELSE n.name_clean END AS name_unqualified,
               m.taxon_id, m.accepted_name, m.accepted_id, m.status AS name_status, m.group_zh, m.group_en,
               m.family AS checklist_family, m.is_endemic, m.is_alien, m.redlist,
               CASE WHEN m.match_type IS NOT NULL THEN m.match_type
                    WHEN n.name_raw IS NULL OR n.n0 = '' THEN NULL
                    -- a note where a name belongs (BBS's "No survey"): not a taxon of any group
                    WHEN lower(trim(n.name_raw)) IN ({', '.join(repr(x) for x in NOT_NAMES)}) THEN 'not_a_name'
                    WHEN n.above_species THEN 'above_species'
                    WHEN f.suggestion IS NOT NULL THEN 'fuzzy'
                    -- a name is "not in the checklist" only where the checklists held cover its genus;
                    -- a reef fish or an insect is outside them, and nobody can say here whether it is right
                    WHEN g.genus IS NOT NULL THEN 'none' ELSE 'not_covered' END AS match_type,
               g.genus IS NOT NULL AS genus_listed,
               f.suggestion AS fuzzy_suggestion, f.score AS fuzzy_score,
               coalesce({notho_sql('m.accepted_name')}, n.name_clean) AS binomial_key,
               CASE WHEN ep.k <= 3 THEN ep.names END AS epithet_names
        FROM _nm4 n LEFT JOIN m USING (name_raw) LEFT JOIN _fz f USING (name_raw) LEFT JOIN _epn ep USING (name_raw)
        LEFT JOIN (SELECT DISTINCT split_part(name, ' ', 1) AS genus FROM ref_checklist) g
               ON g.genus = split_part(n.name_clean, ' ', 1)""")


# What a record or a list row says of a taxon's status in Taiwan (establishmentMeans, or a status
# column of 原生/特有/外來種), as the checklist says it: endemic, native, introduced. Keys are the
# value lower-cased, without spaces, '_' or '-', 台 written 臺. An endemic subspecies (特有亞種)
# says its species is native; a vagrant or "uncertain" says nothing the checklist can contradict.
ESTABLISHMENT = {
    "endemic": ("特有", "特有種", "特有物種", "臺灣特有", "臺灣特有種", "endemic"),
    "native": ("原生", "原生種", "原生物種", "本土", "本土種", "特有亞種", "臺灣特有亞種", "native", "indigenous",
               "nativereintroduced"),
    # not 栽培 / cultivated: a planted street tree of a native species is cultivated, not introduced
    # (Darwin Core's degreeOfEstablishment; a 來源 column of 栽培/野生 is no establishmentMeans)
    "introduced": ("外來", "外來種", "外來物種", "外來入侵種", "入侵", "入侵種", "引進", "引進種", "歸化", "歸化種",
                   "非原生", "introduced", "alien", "exotic", "invasive", "naturalised", "naturalized", "nonnative",
                   "introducedassistedcolonisation"),
}


# The statuses a person can read that the checklist cannot contradict: cultivated, unknown or doubtful (TaiBON's
# plant list: 栽培, 未知, 疑問), a vagrant, and Darwin Core's establishmentMeans and degreeOfEstablishment words.
ESTABLISHMENT_OTHER = ("栽培", "栽培種", "逸出", "逸出種", "未知", "不明", "不詳", "疑問", "存疑", "待確認", "迷鳥", "cultivated",
                       "captive", "managed", "released", "uncertain", "unknown", "vagrant", "casual", "failing",
                       "reproducing", "established", "colonising", "colonizing", "widespreadinvasive")


def _est_norm(x: str) -> str:
    return f"replace(replace(replace(replace(lower({x}), ' ', ''), '_', ''), '-', ''), '台', '臺')"


def establishment_sql(col: str) -> str:
    """SQL: 'endemic', 'native' or 'introduced' for what `col` says (ESTABLISHMENT), else NULL. A
    value in two languages (TBN's "原生 Native", "外來 Non-native") is read by its first word."""
    # one map lookup per value (a chain of IN lists cost ~6x as much per record)
    m = "MAP {" + ", ".join(f"'{x}': '{k}'" for k, xs in ESTABLISHMENT.items() for x in xs) + "}"
    return (f"coalesce(map_extract_value({m}, {_est_norm(f'trim({col})')}), "
            f"map_extract_value({m}, {_est_norm(f'split_part(trim({col}), chr(32), 1)')}))")


def establishment_other_sql(col: str) -> str:
    """SQL: `col` says a status of ESTABLISHMENT_OTHER (by the whole value or its first word, as establishment_sql reads)."""
    words = "[" + ", ".join(f"'{x}'" for x in ESTABLISHMENT_OTHER) + "]"
    return (f"(list_contains({words}, {_est_norm(f'trim({col})')}) "
            f"OR list_contains({words}, {_est_norm(f'split_part(trim({col}), chr(32), 1)')}))")


# How a record without a scientific name got one from its vernacular name (column name_source).
FROM_VERNACULAR = ("vernacular", "vernacular_former", "vernacular_en")
# the vernacular name a record is matched by: only when it has no scientific name. One expression
# for the record key and for the distinct values, so that they join. A name of spaces is no name, as
# the checks' blank() judges it: a scientificName of one full-width space (an Excel or Big5 export)
# kept 虎皮蛙 from being matched, and a record was told "the vernacular name 虎皮蛙 is not in the
# checklist"; a vernacular name of spaces was quoted back as a name. Tested by its first character
# as the occurrenceID key is (duplicates.py): printable ASCII is never a space, so no trim() of every name.
#
# A scientificName in Chinese only (斑腿樹蛙, no Latin letter) is a vernacular name in the wrong column: it is
# matched as one, by the same key (a walk's file: it read as a uninomial, "identified above species: give the
# species", while the same name in the vernacular column gave Polypedates megacephalus). TAXON_NAME_IN_CHINESE says it.
# A note in the name column (無, 未知: NOT_NAMES) stays TAXON_NOT_A_NAME, and a name with a qualifier (斑腿樹蛙?)
# TAXON_QUALIFIER_IN_NAME, as before.
_HAN_NOTES = ", ".join("'" + n + "'" for n in NOT_NAMES if not n.isascii())
SCI_HAN = ("(regexp_matches({o}scientificName, '\\p{{Han}}') AND NOT regexp_matches({o}scientificName, '[A-Za-z?？]') "
           "AND trim({o}scientificName) NOT IN (" + _HAN_NOTES.replace("{", "{{").replace("}", "}}") + "))")
VERN_KEY = ("CASE WHEN unicode({o}scientificName) BETWEEN 33 AND 159 THEN NULL "
            "WHEN {o}scientificName IS NULL OR trim({o}scientificName) = '' THEN "
            "CASE WHEN trim({o}vernacularName) <> '' THEN {o}vernacularName END "
            "WHEN " + SCI_HAN + " THEN trim({o}scientificName) END")
# a record's name as the taxonomy family matches it (the scientific name, else the vernacular one): the key
# of the name lookup (_nk), which the per-pair lookup (_vern) reads too
NAME_KEY = "hash({o}scientificName, " + VERN_KEY + ")"
# a record's (name, vernacular name, family): the key of the vernacular checks' per-pair lookup (_vern), which the
# species-list duplicates read too
VERN_PAIR_KEY = "hash({o}scientificName, {o}vernacularName, {o}family)"
HAN_RX = "\\p{Han}"


def _load_name_refs(con) -> None:
    """The shipped checklist and its vernacular names as temp tables, once per connection: both the
    name match and the vernacular match read them (loaded twice, ~0.1 s of every build)."""
    # the names as the records' are read, without a diaeresis (Isoëtes is Isoetes): every comparison of a record's
    # name with the checklist's (names, genera, families, the vernacular names' binomials) is of folded texts
    con.execute(f"""CREATE TEMP TABLE IF NOT EXISTS ref_checklist AS
        SELECT *, {marker_strip_sql('name_key')} AS name_key_nr, {marker_norm_sql('name_key')} AS name_key_nm
        FROM (SELECT * REPLACE ({diaeresis_fold('name')} AS name, {diaeresis_fold('accepted_name')} AS accepted_name,
                                {diaeresis_fold('genus')} AS genus, {diaeresis_fold('family')} AS family),
                     {notho_sql(diaeresis_fold('name'))} AS name_key FROM read_parquet({duck.q(REFERENCE / 'checklist.parquet')}))""")
    con.execute(f"""CREATE TEMP TABLE IF NOT EXISTS ref_vernacular AS SELECT * REPLACE ({diaeresis_fold('binomial')} AS binomial)
        FROM read_parquet({duck.q(REFERENCE / 'vernacular.parquet')})""")


def _load_vernacular_refs(con) -> None:
    _load_name_refs(con)
    ref = REFERENCE
    en = ref / "vernacular_en.parquet"
    con.execute(f"CREATE OR REPLACE TEMP TABLE ref_vernacular_en AS SELECT * FROM read_parquet({duck.q(en)})" if en.exists() else
                "CREATE OR REPLACE TEMP TABLE ref_vernacular_en (binomial VARCHAR, vernacular VARCHAR, vernacular_norm VARCHAR)")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE ref_vernacular_former AS SELECT vernacular,
        {zh_norm_sql("vernacular")} AS vernacular_norm, binomial, note
        FROM read_csv({duck.q(ref / 'vernacular_former.csv')}, header=true, all_varchar=true)""")


# a vernacular key without what brackets say
VERN_KEY_BARE = "regexp_replace(vern_key, '" + BRACKETS_RX + "', '', 'g')"


def vernacular_spellings(con, vn: str, out: str) -> None:
    """Per distinct Chinese vernacular name of a record without a scientific name that no list holds
    (`vn`'s name_source 'none'): the listed name one edit away, when exactly one species has one (a typo:
    黑框蟾蜍 for 黑眶蟾蜍, 拉都希式赤蛙 for 拉都希氏赤蛙). `out`: vern_key, vern_suggest, vern_suggest_name.
    Levenshtein distance in rapidfuzz, on the few distinct unknown names only."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE {out} (vern_key VARCHAR, vern_suggest VARCHAR, vern_suggest_name VARCHAR)")
    left = con.execute(f"""SELECT DISTINCT vern_key, {zh_norm_sql(VERN_KEY_BARE)} AS norm FROM {vn}
        WHERE name_source = 'none' AND regexp_matches(vern_key, '{HAN_RX}')""").fetchall()
    left = [(k, n) for k, n in left if n and len(n) >= 3]
    if not left:
        return
    from rapidfuzz.distance import Levenshtein
    refs = con.execute("""SELECT vernacular_norm, any_value(vernacular ORDER BY vernacular), min(binomial), count(DISTINCT binomial)
                          FROM ref_vernacular GROUP BY 1 ORDER BY 1""").fetchall()
    rows = []
    for (key, norm), d in _score_rows(left, [r[0] for r in refs], Levenshtein.distance, 1):
        # a group written after a species' name (小雨蛙類, 紅嘴黑鵯鳥) is no slip for it
        near = [refs[j] for j in (d <= 1).nonzero()[0] if refs[j][0] not in norm and norm not in refs[j][0]]
        # every name one edit away stands for one species, and the same one
        if near and all(r[3] == 1 for r in near) and len({r[2] for r in near}) == 1:
            best = min(near)
            rows.append((key, best[1], best[2]))
    if rows:
        con.executemany(f"INSERT INTO {out} VALUES (?, ?, ?)", rows)


def names_from_vernacular(con, src: str, out: str) -> None:
    """Per distinct (scientificName, vernacularName of a record without one): the name to match.

    A Chinese vernacular name found in TaiCOL gives its binomial (`name_source` 'vernacular'); a
    former name (data/reference/vernacular_former.csv: 日本樹蛙 before the 2017/2020 split) gives
    'vernacular_former'; an English name, the Taiwan bird list's binomial ('vernacular_en'). When
    the candidates reduce to more than one accepted taxon the name is 'ambiguous' and they are
    listed (`name_candidates`); then the genus or family they all share is taken, or no name.
    `out` holds sci_raw, vern_key, vern_name, name_source, name_candidates; `vern_name` is NULL
    unless one taxon fits or the candidates share a genus or family.
    """
    _load_vernacular_refs(con)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _vsrc AS SELECT *, coalesce({SCI_HAN.format(o='')}, false) AS sci_han
        FROM (SELECT DISTINCT scientificName, {VERN_KEY.format(o='')} AS vern_key FROM {src})""")
    # candidates per distinct vernacular, each reduced to the accepted taxon it stands for
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _vcand AS
        WITH v AS (SELECT DISTINCT vern_key, {zh_norm_sql(VERN_KEY_BARE)} AS zh_norm,
                          regexp_replace(lower(vern_key), '[\\s\\-''’.]+', '', 'g') AS en_norm,
                          regexp_matches(vern_key, '{HAN_RX}') AS is_han
                   FROM _vsrc WHERE vern_key IS NOT NULL),
        c AS (SELECT v.vern_key, r.binomial, 'vernacular' AS src, 1 AS pri FROM v JOIN ref_vernacular r ON r.vernacular_norm = v.zh_norm WHERE v.is_han
              UNION ALL SELECT v.vern_key, r.binomial, 'vernacular_former', 2 FROM v JOIN ref_vernacular_former r ON r.vernacular_norm = v.zh_norm WHERE v.is_han
              UNION ALL SELECT v.vern_key, r.binomial, 'vernacular_en', 3 FROM v JOIN ref_vernacular_en r ON r.vernacular_norm = v.en_norm WHERE NOT v.is_han),
        best AS (SELECT * FROM c QUALIFY pri = min(pri) OVER (PARTITION BY vern_key))
        SELECT b.vern_key, b.binomial, b.src,
               coalesce(any_value(k.accepted_name), b.binomial) AS taxon
        FROM best b LEFT JOIN ref_checklist k ON k.name_key = {diaeresis_fold('b.binomial')} GROUP BY b.vern_key, b.binomial, b.src""")
    # An ambiguous name still says something: all its candidates may share a genus or a family
    # (日本樹蛙 → Buergeria otai / B. choui → Buergeria). That shared taxon is taken, as GBIF's
    # backbone matches at a higher rank (HIGHERRANK), and the record stays flagged with its candidates.
    con.execute(f"""CREATE OR REPLACE TEMP TABLE {out} AS
        WITH g AS (SELECT c.vern_key, any_value(c.src) AS src, count(DISTINCT array_to_string(string_split(c.taxon, ' ')[1:2], ' ')) AS n,
                          min(c.binomial) AS binomial, string_agg(DISTINCT c.taxon, '、' ORDER BY c.taxon) AS candidates,
                          count(DISTINCT k.genus) AS n_genus, min(k.genus) AS genus, count(DISTINCT k.family) AS n_family,
                          min(k.family) AS family, count(*) FILTER (WHERE k.genus IS NULL) AS n_unplaced
                   FROM _vcand c LEFT JOIN (SELECT name, any_value(genus) AS genus, any_value(family) AS family
                                           FROM ref_checklist WHERE status = 'accepted' GROUP BY name) k ON k.name = c.taxon
                   GROUP BY c.vern_key)
        SELECT s.scientificName AS sci_raw, s.vern_key, s.sci_han,
               CASE WHEN g.n = 1 THEN g.binomial
                    WHEN g.n > 1 AND g.n_unplaced = 0 AND g.n_genus = 1 THEN g.genus
                    WHEN g.n > 1 AND g.n_unplaced = 0 AND g.n_family = 1 THEN g.family END AS vern_name,
               CASE WHEN g.n = 1 THEN g.src WHEN g.n > 1 THEN 'ambiguous' WHEN s.vern_key IS NOT NULL THEN 'none' END AS name_source,
               CASE WHEN g.n > 1 THEN g.candidates END AS name_candidates
        FROM _vsrc s LEFT JOIN g USING (vern_key)""")
