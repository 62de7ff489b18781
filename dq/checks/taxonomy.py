"""Taxonomy checks against the Taiwan checklist. Derivation: each distinct scientificName is
matched once (dq/taxonomy.py: exact, synonym, subspecies, fuzzy), and each distinct
(scientificName, vernacularName) pair is compared once with the checklist's Chinese names."""
from __future__ import annotations

from .. import standard, taxonomy
from ..taxonomy import FUZZY_MIN_SCORE
from . import Check, Derivation, DeriveContext, Family, Param, filled

FUZZY = Param("FUZZY_MIN_SCORE", FUZZY_MIN_SCORE, "score", "rapidfuzz 相似度（0–100）達此值才建議拼法",
              "rapidfuzz ratio (0-100) from which a spelling is suggested")


def derive(con, ctx: DeriveContext) -> None:
    con.execute("CREATE OR REPLACE TEMP TABLE _names AS SELECT DISTINCT scientificName AS name_raw FROM occ")
    taxonomy.match_names(con, "_names", "_tax")
    con.execute("CREATE OR REPLACE TEMP TABLE _nk AS SELECT hash(name_raw) AS nk, * FROM _tax")
    # vernacular: expected Chinese names per species binomial
    con.execute("""CREATE OR REPLACE TEMP TABLE _vern AS WITH pairs AS (
        SELECT hash(o.scientificName, o.vernacularName) AS vk, o.vernacularName AS vern_raw, t.binomial_key,
          (SELECT string_agg(DISTINCT vernacular, '、') FROM ref_vernacular v
             WHERE v.binomial = array_to_string(string_split(t.binomial_key, ' ')[1:2], ' ')) AS vern_expected,
          (SELECT bool_or(v.vernacular_norm = replace(regexp_replace(regexp_replace(o.vernacularName, '\\(.*?\\)|（.*?）', '', 'g'), '\\s', '', 'g'), '臺', '台'))
             FROM ref_vernacular v WHERE v.binomial = array_to_string(string_split(t.binomial_key, ' ')[1:2], ' ')) AS vern_ok,
          (SELECT string_agg(DISTINCT v.binomial, '、') FROM ref_vernacular v
             WHERE v.vernacular_norm = replace(regexp_replace(o.vernacularName, '\\s', '', 'g'), '臺', '台')) AS vern_names
        FROM (SELECT DISTINCT scientificName, vernacularName FROM occ) o LEFT JOIN _tax t ON t.name_raw IS NOT DISTINCT FROM o.scientificName)
      SELECT vk, vern_expected,
        (vern_expected IS NOT NULL AND NOT coalesce(vern_ok, false) AND vern_raw IS NOT NULL AND trim(vern_raw) <> '') AS vern_mismatch,
        CASE WHEN vern_names IS NOT NULL THEN '同俗名的名錄學名：' || vern_names END AS vern_suggestion FROM pairs""")


DERIVATION = Derivation(
    record_cols={"nk": "hash(o.scientificName)", "vk": "hash(o.scientificName, o.vernacularName)"},
    derive=derive,
    joins=("LEFT JOIN _nk t ON t.nk = k.nk", "LEFT JOIN _vern v ON v.vk = k.vk"),
    columns=("t.name_clean", "t.has_qualifier", "t.has_authorship", "t.above_species", "t.taxon_id", "t.accepted_name",
             "t.name_status", "t.group_zh", "t.group_en", "t.checklist_family", "t.is_endemic", "t.redlist", "t.match_type",
             "t.fuzzy_suggestion", "CASE WHEN t.match_type = 'none' THEN v.vern_suggestion END AS vern_suggestion",
             "coalesce(v.vern_mismatch, false) AS vern_mismatch", "v.vern_expected"),
)

T = (standard.OCCURRENCE, standard.SPECIES_LIST)
HAS_NAME = filled("e.scientificName")

CHECKS = [
    Check("TAXON_NAME_MISSING", "taxonomy", "error", "缺少學名", "Scientific name missing",
          "學名空白，無法比對物種名錄。", "No scientific name, so the record cannot be matched to the checklist.",
          f"NOT {HAS_NAME}", "CASE WHEN e.vernacularName IS NOT NULL THEN '依俗名「' || e.vernacularName || '」補上學名' END", tables=T,
          columns=("scientificName",)),
    Check("TAXON_UNMATCHED", "taxonomy", "warning", "學名不在臺灣物種名錄", "Name not in the Taiwan checklist",
          "學名在本工具收錄的臺灣物種名錄（TaiCOL 鳥類、哺乳類、爬蟲類、兩生類、維管束植物）中找不到，也沒有相近拼法。",
          "The name is not in the Taiwan checklists held (TaiCOL birds, mammals, reptiles, amphibians, vascular plants), nor close to one.",
          "e.match_type = 'none'", "e.vern_suggestion", tables=T),
    Check("TAXON_FUZZY", "taxonomy", "warning", "學名疑似拼錯", "Name looks misspelt",
          f"學名與名錄中的某名稱相近（rapidfuzz 相似度 ≥ {FUZZY_MIN_SCORE:.0f}），可能拼錯。",
          f"The name is close to a checklist name (rapidfuzz ratio ≥ {FUZZY_MIN_SCORE:.0f}): probably misspelt.",
          "e.match_type = 'fuzzy'", "'建議改為 ' || e.fuzzy_suggestion", tables=T, params=(FUZZY,)),
    Check("TAXON_SYNONYM", "taxonomy", "info", "學名為同物異名", "Name is a synonym",
          "學名是名錄中的同物異名，建議改用有效名。", "The name is a synonym in the checklist; use the accepted name.",
          "e.match_type = 'synonym'", "'有效名：' || e.accepted_name", tables=T),
    Check("TAXON_RANK_ABOVE_SPECIES", "taxonomy", "info", "只鑑定到種以上", "Identified above species",
          "學名只到屬、科或更高階層，或是「A/B」聚合，不能用於物種層級分析。",
          "The name is a genus, family or higher, or an 'A/B' aggregate: not usable for species-level analysis.",
          f"e.above_species AND {HAS_NAME}", tables=T),
    Check("TAXON_QUALIFIER_IN_NAME", "taxonomy", "warning", "學名含鑑定註記", "Qualifier in name",
          "學名含 sp.、spp.、cf.、aff. 或問號；標準要求學名欄不放鑑定資訊。",
          "The name holds sp., spp., cf., aff. or '?'; the standard keeps identification qualifiers out of scientificName.",
          f"e.has_qualifier AND {HAS_NAME}", "'學名欄只填 ' || coalesce(nullif(e.name_clean, ''), '可確定的分類群') || '，註記移到 identificationQualifier'", tables=T),
    Check("TAXON_AUTHORSHIP_IN_NAME", "taxonomy", "info", "學名含命名者", "Authorship in name",
          "學名後面接著命名者或年代；標準要求最簡學名。", "The name carries its author or year; the standard asks for the bare name.",
          f"e.has_authorship AND {HAS_NAME}", "'學名改為 ' || e.name_clean", tables=T),
    Check("TAXON_VERNACULAR_MISMATCH", "taxonomy", "warning", "俗名與學名不符", "Vernacular name disagrees",
          "中文俗名不是名錄中這個學名的任何俗名（臺/台視為相同）。",
          "The Chinese name is none of the checklist's names for this taxon (臺/台 compared as one).",
          "e.vern_mismatch", "'名錄俗名：' || e.vern_expected", tables=T),
]

FAMILY = Family("taxonomy", tuple(CHECKS), DERIVATION)
