"""Taxonomy checks against the Taiwan checklist. Derivation: each distinct scientificName is
matched once (dq/taxonomy.py: exact, synonym, subspecies, fuzzy); a record without one is matched
by the name its vernacular name stands for in TaiCOL (once per distinct vernacular, the match
source recorded, an ambiguous name's candidates listed); each distinct (scientificName,
vernacularName) pair is compared once with the checklist's Chinese names, or its English ones."""
from __future__ import annotations

from .. import standard, taxonomy
from ..taxonomy import FROM_VERNACULAR, FUZZY_MIN_SCORE, NOT_NAMES, vern_parts_sql, zh_norm_sql
from . import STAND_IN_RX, Check, Derivation, DeriveContext, Family, Param, blank, compat_chars_sql, filled, unescape_r

FUZZY = Param("FUZZY_MIN_SCORE", FUZZY_MIN_SCORE, "score", "rapidfuzz 相似度（0–100）達此值才建議拼法",
              "rapidfuzz ratio (0-100) from which a spelling is suggested")


# a vernacular name that stands in for an empty cell (STAND_IN_RX, Excel's #N/A, 無)
VERN_PLACEHOLDER = f"coalesce(regexp_full_match(trim(vern_raw), '(?i)({STAND_IN_RX}|#n/a|無)'), false)"


# A species list's row: its dataset, the family it gives and its name's genus (the first word of the name as
# written), for TAXON_GENUS_TWO_FAMILIES. One expression for the record key and the distinct values.
GENUS_FAMILY_KEY = (f"CASE WHEN {{o}}table_kind = '{standard.SPECIES_LIST}' THEN hash({{o}}agency, {{o}}dataset_id, "
                    "trim({o}family), split_part(trim({o}scientificName), ' ', 1)) END")


def _genus_families(con) -> None:
    """_gf: per species list, each genus its rows place in more than one family (TaiBON's plant name list puts
    Dryopteris under Dryopteridaceae and Aspidiaceae, Tylophora under Apocynaceae and Asclepiadaceae: a list
    mixing two classifications), one row per (genus, family) given, with the other families and their rows.
    `gf_odd`: this family is not the one most of the genus's rows give (both, on a tie). Not the checklist's
    family: the reference mixes classifications too (its Polystichum is Aspidiaceae, its Dryopteris
    Dryopteridaceae), so it is only named beside the fix (`ck_family`, most of the genus's accepted names')."""
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _gf AS
        WITH r AS (SELECT {GENUS_FAMILY_KEY.format(o='')} AS k, hash(agency, dataset_id, split_part(trim(scientificName), ' ', 1)) AS gk,
                          split_part(trim(scientificName), ' ', 1) AS genus, trim(family) AS family, count(*) AS n
                   FROM occ WHERE table_kind = '{standard.SPECIES_LIST}' AND nullif(trim(family), '') IS NOT NULL
                     AND nullif(trim(scientificName), '') IS NOT NULL GROUP BY ALL),
        two AS (SELECT gk FROM r GROUP BY gk HAVING count(*) > 1),
        ck AS (SELECT genus, mode(family) AS ck_family FROM ref_checklist
               WHERE genus IS NOT NULL AND family IS NOT NULL AND status = 'accepted' GROUP BY genus),
        g AS (SELECT r.*, ck.ck_family, max(r.n) OVER (PARTITION BY r.gk) AS top_n,
                     count(*) OVER (PARTITION BY r.gk, r.n) AS same_n
              FROM r JOIN two USING (gk) LEFT JOIN ck ON lower(ck.genus) = lower(r.genus))
        SELECT a.k, a.genus, a.family, a.n, a.ck_family, NOT (a.n = a.top_n AND a.same_n = 1) AS gf_odd,
               string_agg(b.family || '（' || b.n || ' 列）', '、' ORDER BY b.n DESC, b.family) AS gf_others,
               string_agg(b.family || ' (' || b.n || CASE WHEN b.n = 1 THEN ' row)' ELSE ' rows)' END, ', ' ORDER BY b.n DESC, b.family) AS gf_others_en
        FROM g a JOIN g b ON b.gk = a.gk AND b.family <> a.family
        GROUP BY a.k, a.genus, a.family, a.n, a.ck_family, a.top_n, a.same_n""")


# A species list's row naming its accepted taxon by ID (a synonym table: TaiCOL's acceptedNamecode), for
# TAXON_ACCEPTED_ID_UNKNOWN: its dataset, its source (record_id // 10^10, snapshot.canonical_sql: a workbook's
# other sheets resolve the IDs of its own source only) and the ID as written.
ACCEPTED_ID_KEY = (f"CASE WHEN {{o}}table_kind = '{standard.SPECIES_LIST}' AND nullif(trim({{o}}acceptedNameUsageID), '') IS NOT NULL "
                   "THEN hash({o}agency, {o}dataset_id, {o}record_id // 10000000000, trim({o}acceptedNameUsageID)) END")


def _accepted_ids(con) -> None:
    """_acc: per species list, the accepted name IDs (acceptedNameUsageID, other than a row's own taxonID) that
    lead to no accepted name: the taxonID of none of its rows (any source of the dataset) nor of the other sheets
    of the row's workbook (snapshot.build's _sib_ids: TaiCOL's 2020 plant workbook, whose synonyms sheet names 10
    acceptedNamecodes no sheet has), or only of rows that are synonyms themselves (3 more there: Desmotrichum
    fargesii → 202022, the synonym Epigeneium fargesii), then with that row's own accepted ID and name. A list is
    judged only where some of its accepted IDs do lead to an accepted name: a synonym table sent alone has its
    accepted names in another file, and all of its rows would be flagged. (The IDs of a workbook's other sheets
    are taken as accepted names: those sheets name no accepted ID of their own.)"""
    # (empty where no build filled it: enrich() over a records table of its own)
    con.execute("CREATE TEMP TABLE IF NOT EXISTS _sib_ids (source_index BIGINT, id VARCHAR)")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _acc AS
        WITH l AS (SELECT hash(agency, dataset_id) AS ds, agency, dataset_id, record_id // 10000000000 AS src,
                          nullif(trim(taxonID), '') AS tid, nullif(trim(acceptedNameUsageID), '') AS acc,
                          nullif(trim(scientificName), '') AS name
                   FROM occ WHERE table_kind = '{standard.SPECIES_LIST}'
                     AND coalesce(nullif(trim(acceptedNameUsageID), ''), nullif(trim(taxonID), '')) IS NOT NULL),
        refs AS (SELECT DISTINCT ds, agency, dataset_id, src, acc FROM l WHERE acc IS NOT NULL AND acc IS DISTINCT FROM tid),
        -- each ID of the list: whether a row of it is an accepted name (names no other accepted ID), else where its rows lead
        ids AS (SELECT ds, tid AS id, bool_or(acc IS NULL OR acc = tid) AS accepted,
                       min(acc) FILTER (WHERE acc <> tid) AS next_acc, min(name) FILTER (WHERE acc <> tid) AS next_name
                FROM l WHERE tid IS NOT NULL GROUP BY ds, tid),
        sib AS (SELECT DISTINCT source_index AS src, trim(id) AS id FROM _sib_ids WHERE nullif(trim(id), '') IS NOT NULL),
        r AS (SELECT refs.*, coalesce(i.accepted, false) OR s.id IS NOT NULL AS to_accepted,
                     i.id IS NOT NULL OR s.id IS NOT NULL AS to_row, i.next_acc, i.next_name
              FROM refs LEFT JOIN ids i ON i.ds = refs.ds AND i.id = refs.acc LEFT JOIN sib s ON s.src = refs.src AND s.id = refs.acc)
        SELECT hash(agency, dataset_id, src, acc) AS k, acc AS acc_id, src IN (SELECT src FROM sib) AS acc_sheets,
               CASE WHEN to_row THEN next_acc END AS acc_next, CASE WHEN to_row THEN next_name END AS acc_next_name
        FROM r WHERE NOT to_accepted AND ds IN (SELECT ds FROM r GROUP BY ds HAVING bool_or(to_accepted))""")


# the name a distinct (scientificName, vernacular key) of `_vn` (alias v) is matched by
NAME_MATCHED = "coalesce(v.vern_name, CASE WHEN NOT v.sci_han THEN v.sci_raw END)"


def derive(con, ctx: DeriveContext) -> None:
    taxonomy.names_from_vernacular(con, "occ", "_vn")
    taxonomy.vernacular_spellings(con, "_vn", "_vfz")
    # a name in Chinese in the scientificName column is matched only as the vernacular name it is (never as a uninomial)
    con.execute(f"CREATE OR REPLACE TEMP TABLE _names AS SELECT DISTINCT {NAME_MATCHED} AS name_raw FROM _vn v")
    taxonomy.match_names(con, "_names", "_tax")
    _genus_families(con)
    _accepted_ids(con)
    # A name taken from a vernacular that the checklist then does not hold is no name (TAXON_NAME_MISSING): the
    # record keeps no match of it (大紅鸛 → Phoenicopterus roseus, a name of the 2023 bird list TaiCOL lacks, was
    # "not in the checklist" twice: as its vernacular name and as the name it never gave), and `vern_unlisted`
    # says which name its vernacular name is, for the fix.
    # (the same test in the join, of the candidate match, and after it: a match left out is NULL there)
    unlisted = "v.vern_name IS NOT NULL AND t.accepted_name IS NULL"
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _nk AS SELECT hash(v.sci_raw, v.vern_key) AS nk, t.*,
          CASE WHEN {unlisted} THEN 'none' ELSE v.name_source END AS name_source,
          v.name_candidates, f.vern_suggest, f.vern_suggest_name, v.sci_han,
          CASE WHEN {unlisted} THEN v.vern_name END AS vern_unlisted
        FROM _vn v LEFT JOIN _tax t ON t.name_raw IS NOT DISTINCT FROM {NAME_MATCHED} AND NOT ({unlisted})
        LEFT JOIN _vfz f ON f.vern_key = v.vern_key""")
    # vernacular: expected Chinese names per species binomial. An English name is judged against the
    # checklist's English names (birds) only, never against the Chinese ones.
    con.execute("""CREATE OR REPLACE TEMP TABLE _vern AS WITH pairs AS (
        SELECT """ + taxonomy.VERN_PAIR_KEY.format(o="o.") + """ AS vk, o.vernacularName AS vern_raw, t.binomial,
          (SELECT string_agg(DISTINCT vernacular, '、' ORDER BY vernacular) FROM ref_vernacular v
             WHERE v.binomial = t.binomial) AS vern_expected,
          o.vern_parts,
          (SELECT list(DISTINCT v.binomial ORDER BY v.binomial) FROM ref_vernacular v
             WHERE v.vernacular_norm = """ + zh_norm_sql("o.vern_txt") + """) AS vern_all,
          (SELECT string_agg(DISTINCT v.vernacular, '、' ORDER BY v.vernacular) FROM ref_vernacular_en v
             WHERE v.binomial = t.binomial) AS en_expected,
          (SELECT bool_or(v.vernacular_norm = regexp_replace(lower(o.vern_txt), '[\\s\\-''’.]+', '', 'g')) FROM ref_vernacular_en v
             WHERE v.binomial = t.binomial) AS en_ok,
          regexp_matches(coalesce(o.vernacularName, ''), '\\p{Han}') AS is_han,
          -- CJK compatibility ideographs (蘭 U+F91F for 蘭 U+862D): one glyph, two characters
          """ + compat_chars_sql("o.vern_txt") + """ AS compat_chars,
          nullif(trim(o.scientificName), '') IS NOT NULL AND nullif(trim(o.vernacularName), '') IS NOT NULL AS both_names,
          lower(trim(o.family)) IN (SELECT lower(family) FROM ref_checklist WHERE family IS NOT NULL) AS family_listed,
          o.family AS family_raw,
          -- the name's key (the record's nk): its checklist family, beside the family as given
          """ + taxonomy.NAME_KEY.format(o="o.") + """ AS nk
        FROM (SELECT *, """ + vern_parts_sql("vern_txt") + """ AS vern_parts
              FROM (SELECT *, """ + unescape_r("vernacularName") + """ AS vern_txt
                    FROM (SELECT DISTINCT scientificName, vernacularName, family FROM occ))) o
          -- the record's binomial (the accepted name's first two words), once for the five uses above and below
          -- an "A/B" aggregate or a hybrid formula is no one species: its vernacular name (台灣/大陸畫眉,
          -- 雜頭翁) is not the first species' (BBS Taiwan's occurrences: 659 of 715 "mismatches")
          -- the name the record is matched by (_nk): a Chinese name in the scientific name column is matched as the
          -- vernacular name it is, and a different Chinese name beside it (斑腿樹蛙 with 盤古蟾蜍) disagrees with it
          LEFT JOIN (SELECT nk, array_to_string(string_split(binomial_key, ' ')[1:2], ' ') AS binomial FROM _nk
                     WHERE NOT coalesce(above_species, false)) t
            ON t.nk = """ + taxonomy.NAME_KEY.format(o="o.") + """),
      -- each name of the cell: this taxon's, another taxon's (in the checklist for another binomial only), or
      -- unknown. The cell agrees when one is this taxon's and none is another's (白頭翁;紅嘴黑鵯 does not)
      parts AS (SELECT p.vk, p.part, bool_or(r.binomial = p.binomial) AS own, count(r.binomial) > 0 AS known,
                       string_agg(DISTINCT r.binomial, '、' ORDER BY r.binomial) FILTER (WHERE r.binomial <> p.binomial) AS other_of
                FROM (SELECT vk, binomial, unnest(vern_parts) AS part FROM pairs WHERE binomial IS NOT NULL) p
                LEFT JOIN ref_vernacular r ON r.vernacular_norm = p.part GROUP BY p.vk, p.part),
      -- and which names of the cell are another's, with whose: {金蓮花,黃花莕菜} holds this taxon's name and
      -- 金蓮花 (Tropaeolum majus); the fix only said "checklist name: 黃花莕菜", the name the cell has
      agree AS (SELECT vk, bool_or(coalesce(own, false)) AS any_own, bool_or(known AND NOT coalesce(own, false)) AS any_other,
                       string_agg(part || '（' || other_of || '）', '、' ORDER BY part) FILTER (WHERE known AND NOT coalesce(own, false)) AS others
                FROM parts GROUP BY vk)
      SELECT vk, vern_expected, en_expected, a.others AS vern_others,
        compat_chars, CASE WHEN compat_chars IS NOT NULL THEN nfc_normalize(vern_raw) END AS vern_nfc,
        -- the record says it belongs to a group the checklists hold: its vernacular name or family is in them
        (vern_all IS NOT NULL OR coalesce(family_listed, false)) AS group_listed,
        -- the record names a family the checklists do not hold (a reef fish: Labridae)
        (nullif(trim(family_raw), '') IS NOT NULL AND NOT coalesce(family_listed, false)) AS family_unlisted,
        (both_names AND is_han AND vern_expected IS NOT NULL
         AND (NOT coalesce(a.any_own, false) OR coalesce(a.any_other, false))) AS vern_mismatch,
        -- a stand-in for an empty cell (TaiBON's plant name list: 15 Chinese names "None") is no English name either
        (both_names AND NOT is_han AND en_expected IS NOT NULL AND NOT coalesce(en_ok, false)
         AND NOT {placeholder}) AS vern_en_differs,
        {placeholder} AS vern_placeholder,
        -- the suggestion names the other binomials of that vernacular name: BBS's Phoenicopterus roseus
        -- (大紅鸛, in the 2023 bird list, not in TaiCOL 2022) was told to use Phoenicopterus roseus
        nullif(array_to_string(list_filter(vern_all, b -> b IS DISTINCT FROM
          binomial), '、'), '') AS vern_names,
        -- the family as given, else the checklist's for the name (what the coordinates family's `marine` reads)
        coalesce(family_raw, n.checklist_family) AS pair_family
        FROM pairs LEFT JOIN agree a USING (vk) LEFT JOIN _nk n ON n.nk = pairs.nk""".replace("{placeholder}", VERN_PLACEHOLDER))


DERIVATION = Derivation(
    # a record without a scientific name is matched by what its vernacular name stands for
    record_cols={"nk": taxonomy.NAME_KEY.format(o="o."),
                 "vk": taxonomy.VERN_PAIR_KEY.format(o="o."),
                 # what the row says of the taxon's status in Taiwan (establishmentMeans): endemic, native, introduced
                 "est_claim": taxonomy.establishment_sql("o.establishmentMeans"),
                 "gfk": GENUS_FAMILY_KEY.format(o="o."),
                 "ack": ACCEPTED_ID_KEY.format(o="o.")},
    derive=derive,
    joins=("LEFT JOIN _nk t ON t.nk = k.nk", "LEFT JOIN _vern v ON v.vk = k.vk", "LEFT JOIN _gf gf ON gf.k = k.gfk",
           "LEFT JOIN _acc ac ON ac.k = k.ack"),
    columns=("t.name_clean", "t.name_unqualified", "t.has_qualifier", "t.has_authorship", "t.above_species", "t.taxon_id", "t.accepted_name",
             "t.name_status", "t.group_zh", "t.group_en", "t.checklist_family", "t.is_endemic", "t.redlist",
             # a genus the checklists lack is still their group when the record's vernacular name or family is
             # in them (a renamed genus: Megapomatorhinus, TaiCOL 2022's Erythrogenys): then "not in the checklist"
             "CASE WHEN t.match_type = 'not_covered' AND v.group_listed THEN 'none' "
             # a close name in another genus is no suggestion for a record whose genus and family the
             # checklists lack (TaiBON's fern Pteris arisanensis was "did you mean Paris arisanensis?" before the
             # ferns were held; a misspelt parrotfish, Scarus rivularis, would be "Scirpus rivularis?", a sedge)
             "WHEN t.match_type = 'fuzzy' AND NOT t.genus_listed AND v.family_unlisted THEN 'not_covered' "
             "ELSE t.match_type END AS match_type",
             "t.fuzzy_suggestion", "CASE WHEN t.match_type IN ('none', 'not_covered') THEN v.vern_names END AS vern_names",
             "t.epithet_names",
             "coalesce(v.vern_mismatch, false) AS vern_mismatch", "v.vern_expected", "v.vern_others",
             "coalesce(v.vern_placeholder, false) AS vern_placeholder",
             "coalesce(v.vern_en_differs, false) AS vern_en_differs", "v.en_expected AS vern_en_expected",
             "v.compat_chars AS vern_compat_chars", "v.vern_nfc",
             "t.name_source", "t.name_candidates", "t.vern_suggest", "t.vern_suggest_name", "coalesce(t.sci_han, false) AS sci_han",
             "t.vern_unlisted",
             "t.is_alien", "k.est_claim",
             "coalesce(gf.gf_odd, false) AS gf_odd", "gf.genus AS gf_genus", "gf.ck_family AS gf_checklist", "gf.gf_others", "gf.gf_others_en",
             "ac.k IS NOT NULL AS acc_unknown", "ac.acc_id", "ac.acc_sheets", "ac.acc_next", "ac.acc_next_name"),
)

T = (standard.OCCURRENCE, standard.SPECIES_LIST)
HAS_NAME = filled("e.scientificName")
# a row of a survey visit that names no organism and counts none: BBS Taiwan's occurrence export has 1,651
# (40 of them remarked 沒有鳥, "no birds"), a visit where nothing was recorded written as an occurrence
NOTHING_SEEN = (f"{blank('e.vernacularName')} AND {blank('e.organismQuantity')} AND {blank('e.individualCount')} "
                f"AND {filled('e.eventID')}")
# the record's Chinese name is a listed one (the 2023 bird list's 大紅鸛) of a binomial the checklist lacks
UNLISTED = "e.vern_unlisted IS NOT NULL"
# the record has no scientific name but its vernacular name gave one (dq/taxonomy.py names_from_vernacular)
NAME_FROM_VERN = "e.name_source IN (" + ", ".join(f"'{x}'" for x in FROM_VERNACULAR) + ")"

CHECKS = [
    Check("TAXON_NAME_MISSING", "taxonomy", "error", "缺少學名", "Scientific name missing",
          "學名空白，無法比對物種名錄。", "No scientific name, so the record cannot be matched to the checklist.",
          # a vernacular name the lists do not hold is TAXON_VERNACULAR_UNKNOWN, judged on its row even in a file
          # without a scientificName column (a survey naming species in Chinese only)
          f"NOT {HAS_NAME} AND NOT coalesce({NAME_FROM_VERN} OR e.name_source = 'ambiguous' "
          f"OR (e.name_source = 'none' AND {filled('e.vernacularName')}), false)",
          # a vernacular name of spaces is none: "the vernacular name ' ' is not in the checklist" said nothing
          f"CASE WHEN {filled('e.vernacularName')} THEN '俗名「' || e.vernacularName || '」不在名錄中，請補上學名' "
          f"WHEN {NOTHING_SEEN} THEN '這列屬於調查事件 ' || e.eventID || '，卻沒有物種、俗名或數量（多半是「調查了、沒有記錄到」）："
          "調查本身留在事件表，或寫明調查的類群並填 occurrenceStatus=absent' END",
          fix_en=f"CASE WHEN {filled('e.vernacularName')} THEN 'The vernacular name \"' || e.vernacularName || '\" is not in the checklist: add the scientific name' "
                 f"WHEN {NOTHING_SEEN} THEN 'Part of survey event ' || e.eventID || ' but names no taxon and gives no count (most likely "
                 "\"surveyed, nothing recorded\"): keep the visit in the event table, or name the group surveyed with occurrenceStatus absent' END",
          # a row naming nothing at all: the dimension's "check the spelling against TaiCOL" has no spelling to check
          todo_zh="請依原始紀錄補上學名（或至少中文俗名），紀錄才能對到臺灣物種名錄。",
          todo_en="Add the scientific name (or at least a common name) from the original record, so it can be matched to the Taiwan checklist.",
          tables=T, columns=("scientificName",)),
    Check("TAXON_VERNACULAR_UNKNOWN", "taxonomy", "error", "俗名不在名錄中", "Vernacular name not in the checklist",
          "學名空白，俗名也不是臺灣物種名錄（TaiCOL）的中文名、舊名或英文名：紀錄對不到物種。多半是錯字；名錄中有只差一個字的名稱時會建議。"
          "俗名是其他名錄（如 2023 臺灣鳥類名錄）中 TaiCOL 沒有的物種時（大紅鸛），建議欄列出它的學名。",
          "No scientific name, and the vernacular name is none of the Taiwan checklist's Chinese, former or English names: the record "
          "matches no taxon. Most often a typo; a listed name one character away is suggested. When the name is another list's "
          "(the 2023 Taiwan bird list) for a species TaiCOL lacks (大紅鸛), the suggestion gives its scientific name.",
          f"NOT {HAS_NAME} AND {filled('e.vernacularName')} AND e.name_source = 'none'",
          f"CASE WHEN {UNLISTED} THEN '俗名「' || e.vernacularName || '」是 ' || e.vern_unlisted || ' 的俗名，但臺灣物種名錄（TaiCOL）沒有這個學名：請確認物種並補上學名' "
          "WHEN e.vern_suggest IS NOT NULL THEN '俗名「' || e.vernacularName || '」可能是「' || e.vern_suggest || '」（' "
          "|| e.vern_suggest_name || '）之誤：請更正，或補上學名' ELSE '俗名「' || e.vernacularName || '」不在名錄中：請檢查錯字，或補上學名' END",
          fix_en=f"CASE WHEN {UNLISTED} THEN 'The vernacular name \"' || e.vernacularName || '\" is a common name of ' || e.vern_unlisted "
                 "|| ', which the Taiwan checklist (TaiCOL) does not hold: check the species and add the scientific name' "
                 "WHEN e.vern_suggest IS NOT NULL THEN 'The vernacular name \"' || e.vernacularName || '\" may be a slip for \"' "
                 "|| e.vern_suggest || '\" (' || e.vern_suggest_name || '): correct it, or add the scientific name' "
                 "ELSE 'The vernacular name \"' || e.vernacularName || '\" is not in the checklist: check its spelling, or add the scientific name' END",
          tables=T, columns=("vernacularName",), shows=("vernacularName",)),
    Check("TAXON_NAME_FROM_VERNACULAR", "taxonomy", "info", "學名由俗名對照名錄取得", "Scientific name taken from the vernacular name",
          "學名欄空白，但俗名在臺灣物種名錄（TaiCOL）中只對應一個分類群，已採用其有效名（以中文俗名、舊俗名或英文俗名比對，記錄在標註檔的「學名來源」欄，annotated.csv 的 dq_name_source）。",
          "No scientific name, but the vernacular name fits exactly one taxon of the Taiwan checklist (TaiCOL); its accepted name is used (matched by its Chinese, former or English name, recorded in the annotated file's \"Where the name came from\" column, dq_name_source in annotated.csv).",
          f"NOT {HAS_NAME} AND {NAME_FROM_VERN} AND e.accepted_name IS NOT NULL",
          "'依俗名「' || e.vernacularName || '」補上學名 ' || e.accepted_name", fix_en="'Add the scientific name ' || e.accepted_name || ' (from the vernacular name \"' || e.vernacularName || '\")'", tables=T),
    Check("TAXON_VERNACULAR_AMBIGUOUS", "taxonomy", "warning", "俗名對應多個物種", "Vernacular name fits several taxa",
          "學名欄空白，而俗名在名錄中對應不只一個分類群（例如「日本樹蛙」在 2017、2020 年分為太田樹蛙與周氏樹蛙），無法判定是哪一種。"
          "若候選都屬同一屬（或同一科），紀錄先對到該屬（科）（如溪樹蛙屬 Buergeria），可計入該類群但不計為物種；請依候選名補上學名。",
          "No scientific name, and the vernacular name fits more than one taxon of the checklist (e.g. 日本樹蛙, split in 2017 and 2020 into Buergeria otai and B. choui). "
          "When the candidates share a genus (or family) the record is matched to it (here Buergeria), as GBIF matches at a higher rank: it counts for its group but never as a species. Fill in the scientific name from the candidates.",
          f"NOT {HAS_NAME} AND e.name_source = 'ambiguous'",
          "'候選學名：' || e.name_candidates || coalesce('（暫以共同的 ' || e.accepted_name || ' 計）', '')", fix_en="'Candidates: ' || replace(e.name_candidates, chr(12289), ', ') || coalesce(' (counted as their shared ' || e.accepted_name || ' for now)', '')", tables=T),
    Check("TAXON_NAME_IN_CHINESE", "taxonomy", "error", "學名欄填的是中文名", "Chinese name in the scientific name",
          "學名欄填的是中文名（如「斑腿樹蛙」），不是拉丁學名：GBIF、TBIA 都以學名比對，這筆在那裡對不到物種。本工具把它當俗名對照臺灣物種名錄"
          "（TaiCOL）：只對應一個分類群時採用其有效名，並建議改填的學名；對應多個時列出候選。",
          "The scientific name column holds a Chinese name (e.g. 斑腿樹蛙), not a Latin one: GBIF and TBIA match records by the "
          "scientific name, so there this record matches no taxon. This tool looks it up as a vernacular name in the Taiwan "
          "checklist (TaiCOL): when it fits one taxon its accepted name is used and given as the fix; when several, the candidates.",
          "e.sci_han",
          f"CASE WHEN e.name_source = 'ambiguous' THEN '「' || trim(e.scientificName) || '」對應多個物種，請依原始紀錄改填學名；候選：' || e.name_candidates "
          f"WHEN {NAME_FROM_VERN} AND e.accepted_name IS NOT NULL AND {filled('e.vernacularName')} THEN '學名欄改填 ' || e.accepted_name "
          f"WHEN {NAME_FROM_VERN} AND e.accepted_name IS NOT NULL THEN '學名欄改填 ' || e.accepted_name || '，中文名「' || trim(e.scientificName) || '」移到俗名欄（vernacularName）' "
          f"WHEN {UNLISTED} THEN '「' || trim(e.scientificName) || '」是 ' || e.vern_unlisted || ' 的中文名，但臺灣物種名錄（TaiCOL）沒有這個學名：請確認物種，學名欄改填拉丁學名' "
          "WHEN e.vern_suggest IS NOT NULL THEN '「' || trim(e.scientificName) || '」不在名錄的中文名中，可能是「' || e.vern_suggest || '」（' || e.vern_suggest_name || '）之誤：請改填拉丁學名' "
          "ELSE '「' || trim(e.scientificName) || '」不在名錄的中文名中：請依原始紀錄改填拉丁學名' END",
          fix_en=f"CASE WHEN e.name_source = 'ambiguous' THEN '\"' || trim(e.scientificName) || '\" fits several taxa: give the scientific name from the original record; candidates: ' || replace(e.name_candidates, chr(12289), ', ') "
                 f"WHEN {NAME_FROM_VERN} AND e.accepted_name IS NOT NULL AND {filled('e.vernacularName')} THEN 'Write ' || e.accepted_name || ' as the scientific name' "
                 f"WHEN {NAME_FROM_VERN} AND e.accepted_name IS NOT NULL THEN 'Write ' || e.accepted_name || ' as the scientific name and move the Chinese name \"' || trim(e.scientificName) || '\" to vernacularName' "
                 f"WHEN {UNLISTED} THEN '\"' || trim(e.scientificName) || '\" is the Chinese name of ' || e.vern_unlisted "
                 "|| ', which the Taiwan checklist (TaiCOL) does not hold: check the species and give its Latin name' "
                 "WHEN e.vern_suggest IS NOT NULL THEN '\"' || trim(e.scientificName) || '\" is no Chinese name of the checklist, maybe a slip for \"' || e.vern_suggest || '\" (' || e.vern_suggest_name || '): give the Latin name' "
                 "ELSE '\"' || trim(e.scientificName) || '\" is no Chinese name of the checklist: give the Latin name from the original record' END",
          tables=T, shows=("scientificName",)),
    Check("TAXON_UNMATCHED", "taxonomy", "warning", "學名不在臺灣物種名錄", "Name not in the Taiwan checklist",
          # BBS Taiwan's Megapomatorhinus (a genus newer than the checklist) is here by its family and Chinese name
          "學名的屬、科或中文名在本工具收錄的臺灣物種名錄（TaiCOL 鳥類、哺乳類、爬蟲類、兩生類、維管束植物）中，但這個學名找不到，也沒有相近拼法；"
          "可能是較新或較舊的學名，建議欄列出同中文名的名錄學名，或同一科中同種小名、不同屬的名錄學名（屬名可能已更動）。",
          "The name's genus, family or Chinese name is in the Taiwan checklists held (TaiCOL birds, mammals, reptiles, amphibians, vascular "
          "plants), but the name is not, nor close to one: maybe a newer or older name; the suggestion gives the checklist's names for the "
          "same Chinese name, or of the same family with the same epithet in another genus (the genus may have changed).",
          "e.match_type = 'none'",
          "CASE WHEN e.vern_names IS NOT NULL THEN '同俗名的名錄學名：' || e.vern_names "
          "WHEN e.epithet_names IS NOT NULL THEN '名錄中同種小名的學名：' || e.epithet_names || '（屬名可能已更動）' END",
          fix_en="CASE WHEN e.vern_names IS NOT NULL THEN 'Checklist names with this vernacular name: ' || replace(e.vern_names, chr(12289), ', ') "
                 "WHEN e.epithet_names IS NOT NULL THEN 'Checklist names with the same epithet: ' || replace(e.epithet_names, chr(12289), ', ') "
                 "|| ' (the genus may have changed)' END", tables=T),
    Check("TAXON_NOT_A_NAME", "taxonomy", "warning", "學名欄填的是註記", "A note in the name column",
          f"學名欄填的不是學名而是註記（{'、'.join(NOT_NAMES[:4])}、未知、無紀錄…），例如 BBS 的「No survey」：這筆不是任何物種的紀錄。",
          f"The name column holds a note, not a name ({', '.join(NOT_NAMES[:4])}, 未知, 無紀錄 …), e.g. BBS's 'No survey': "
          "the row records no taxon at all.",
          "e.match_type = 'not_a_name'",
          # BBS's species list gives both "No survey" (無法調查) and "NA" (沒有鳥: surveyed, no bird seen)
          "'學名欄留白，註記移到 occurrenceRemarks；沒有物種的列（未調查，或調查了但沒有發現）不是出現紀錄'",
          fix_en="'Leave the name blank and move the note to occurrenceRemarks; a row naming no taxon (a point not surveyed, "
                 "or surveyed with nothing found) is no occurrence'",
          tables=T),
    Check("TAXON_OUTSIDE_CHECKLIST", "taxonomy", "info", "名錄未涵蓋此類群", "Group not covered by the checklists held",
          "學名的屬不在本工具收錄的臺灣物種名錄（TaiCOL 鳥類、哺乳類、爬蟲類、兩生類、維管束植物）中，例如魚類或昆蟲：無法判斷學名是否正確，不算錯誤；這類紀錄不計入物種數與名錄涵蓋度。",
          "The name's genus is in none of the Taiwan checklists held (TaiCOL birds, mammals, reptiles, amphibians, vascular plants), e.g. a fish or an insect: "
          "whether the name is right cannot be judged here, so it is no error; such records are left out of species counts and checklist coverage.",
          "e.match_type = 'not_covered'", tables=T,
          todo_zh="請自行對照 TaiCOL 臺灣物種名錄（taicol.tw）確認學名；本工具尚未收錄此類群的名錄。",
          todo_en="Check the name against the TaiCOL checklist (taicol.tw) yourself; the tool holds no checklist for this group yet."),
    Check("TAXON_FUZZY", "taxonomy", "warning", "學名疑似拼錯", "Name looks misspelt",
          f"學名與名錄中的某名稱相近（rapidfuzz 相似度 ≥ {FUZZY_MIN_SCORE:.0f}），可能拼錯。",
          f"The name is close to a checklist name (rapidfuzz ratio ≥ {FUZZY_MIN_SCORE:.0f}): probably misspelt.",
          "e.match_type = 'fuzzy'", "'建議改為 ' || e.fuzzy_suggestion", fix_en="'Did you mean ' || e.fuzzy_suggestion || '?'", tables=T, params=(FUZZY,)),
    Check("TAXON_SYNONYM", "taxonomy", "info", "學名為同物異名", "Name is a synonym",
          "學名是名錄中的同物異名，建議改用有效名。", "The name is a synonym in the checklist; use the accepted name.",
          # a species list's row that names its accepted taxon (a synonym table: TaiCOL's synonyms sheet,
          # 29,500 rows) says it is a synonym itself
          f"e.match_type = 'synonym' AND (e.table_kind IS DISTINCT FROM '{standard.SPECIES_LIST}' "
          "OR nullif(trim(e.acceptedNameUsageID), '') IS NULL OR trim(e.acceptedNameUsageID) = trim(coalesce(e.taxonID, '')))",
          "'有效名：' || e.accepted_name", fix_en="'Accepted name: ' || e.accepted_name", tables=T),
    Check("TAXON_RANK_ABOVE_SPECIES", "taxonomy", "info", "只鑑定到種以上", "Identified above species",
          "學名只到屬、科或更高階層，或是「A/B」聚合、雜交式（A × B），不能用於物種層級分析。",
          "The name is a genus, family or higher, an 'A/B' aggregate or a hybrid formula (A × B): not usable for species-level analysis.",
          f"e.above_species AND {HAS_NAME} AND e.match_type IS DISTINCT FROM 'not_a_name' AND NOT e.sci_han", tables=T,
          # an info, often meant (BBS's "Motacilla flava/tschutschensis", a reef survey's "Stegastes sp"): the
          # dimension's "check the spelling against TaiCOL" read as a fault, and for a fish TaiCOL is not held here
          todo_zh="若能鑑定到種請改填該種；刻意記錄到屬或「A/B」的紀錄保持原樣即可。",
          todo_en="If it can be told to species, give the species; a record meant at genus level or as 'A/B' can stay as it is."),
    Check("TAXON_QUALIFIER_IN_NAME", "taxonomy", "warning", "學名含鑑定註記", "Qualifier in name",
          "學名含 sp.、spp.、cf.、aff. 或問號；標準要求學名欄不放鑑定資訊。",
          "The name holds sp., spp., cf., aff. or '?'; the standard keeps identification qualifiers out of scientificName.",
          f"e.has_qualifier AND {HAS_NAME}", "'學名欄只填 ' || coalesce(nullif(e.name_unqualified, ''), '可確定的分類群') || '，註記移到 identificationQualifier'", fix_en="'Put only ' || coalesce(nullif(e.name_unqualified, ''), 'the taxon you are sure of') || ' in the name; move the note to identificationQualifier'", tables=T),
    Check("TAXON_AUTHORSHIP_IN_NAME", "taxonomy", "info", "學名含命名者", "Authorship in name",
          "學名後面接著命名者或年代；標準要求最簡學名。", "The name carries its author or year; the standard asks for the bare name.",
          f"e.has_authorship AND {HAS_NAME}", "'學名改為 ' || e.name_clean", fix_en="'Write the name as ' || e.name_clean || ' (authorship in scientificNameAuthorship)'", tables=T),
    Check("TAXON_VERNACULAR_MISMATCH", "taxonomy", "warning", "俗名與學名不符", "Vernacular name disagrees",
          "中文俗名不是名錄中這個學名的任何俗名（臺/台、菫/堇等異體字視為相同；一格多個名稱時，須有一個是這個學名的、且沒有其他物種的）。",
          "The Chinese name is none of the checklist's names for this taxon (variant characters such as 臺/台 or 菫/堇 compared as one; a cell of several names agrees when one is this taxon's and none is another's).",
          "e.vern_mismatch",
          "CASE WHEN e.vern_others IS NOT NULL THEN '名錄中「' || e.vern_others || '」是另一物種的俗名；' ELSE '' END || "
          "'名錄俗名：' || e.vern_expected",
          fix_en="CASE WHEN e.vern_others IS NOT NULL THEN 'In the checklist ' || replace(replace(replace(e.vern_others, chr(65288), ' ('), chr(65289), ')'), "
                 "chr(12289), ', ') || CASE WHEN contains(e.vern_others, chr(12289)) THEN ' name other taxa; ' ELSE ' names another taxon; ' END "
                 "ELSE '' END || 'Checklist vernacular name: ' || e.vern_expected", tables=T),
    Check("TAXON_VERNACULAR_PLACEHOLDER", "taxonomy", "warning", "俗名寫成 None 之類的文字", "Vernacular name is a stand-in such as None",
          "俗名欄寫的是 None、NULL、NA、無 之類代替空白的文字（TaiBON 的植物名錄有 15 個中文名寫成 None）：它不是名稱，"
          "搜尋、比對與統計卻會把它當成一個俗名。",
          "The vernacular name is a stand-in for an empty cell such as None, NULL, NA or 無 (TaiBON's plant name list gives 15 "
          "Chinese names as None): it is no name, yet searches, matching and counts read it as one.",
          "e.vern_placeholder",
          "CASE WHEN e.vern_expected IS NOT NULL THEN '改為名錄俗名：' || e.vern_expected ELSE '請留空，或填入這個物種的中文俗名' END",
          fix_en="CASE WHEN e.vern_expected IS NOT NULL THEN 'Write the checklist vernacular name: ' || e.vern_expected "
                 "ELSE 'Leave it empty, or enter the taxon''s vernacular name' END",
          tables=T, shows=("scientificName", "vernacularName")),
    Check("TAXON_GENUS_TWO_FAMILIES", "taxonomy", "warning", "同一屬歸在兩個科", "Genus placed in two families",
          "名錄中同一個屬的物種被歸在不同的科（TaiBON 植物名錄的 Dryopteris 有的列在 Dryopteridaceae、有的列在 Aspidiaceae）："
          "名錄混用了兩套分類系統，依科統計的物種數因此不準。標出這個屬列數較少的科的列（列數相同時兩科都標），並附上臺灣物種名錄所用的科。",
          "A species list places one genus's species in different families (TaiBON's plant list has Dryopteris under both "
          "Dryopteridaceae and Aspidiaceae): the list mixes two classifications, so counts per family are off. The rows of the genus's "
          "less used family are flagged (both, when as many rows give each), with the family the Taiwan checklist uses.",
          "e.gf_odd",
          "'這份名錄把 ' || e.gf_genus || ' 屬也列在 ' || e.gf_others || '：請統一科名' "
          "|| CASE WHEN e.gf_checklist IS NOT NULL THEN '（臺灣物種名錄用 ' || e.gf_checklist || '）' ELSE '' END",
          fix_en="'This list also places ' || e.gf_genus || ' in ' || e.gf_others_en || ': use one family throughout' "
                 "|| CASE WHEN e.gf_checklist IS NOT NULL THEN ' (the Taiwan checklist uses ' || e.gf_checklist || ')' ELSE '' END",
          tables=(standard.SPECIES_LIST,), shows=("scientificName", "family")),
    Check("TAXON_ACCEPTED_ID_UNKNOWN", "taxonomy", "warning", "有效名編號沒有指向有效名", "Accepted name ID leads to no accepted name",
          "同物異名列的有效名編號（acceptedNameUsageID，TaiCOL 的 acceptedNamecode）不是這份名錄任何一列的編號（taxonID，TaiCOL 的 "
          "namecode；活頁簿的其他工作表也算），或只是另一個異名的編號：這個異名找不到它的有效名。TaiCOL 2020 年植物名錄的異名工作表"
          "有 10 列指向不存在的編號、3 列指向另一個異名。名錄中要有部分有效名編號對得到有效名才判定：單獨送出的異名表，有效名在另一個檔案，不判定。",
          "A synonym row's accepted name ID (acceptedNameUsageID, TaiCOL's acceptedNamecode) is the ID (taxonID, TaiCOL's namecode) "
          "of no row of the list (a workbook's other sheets included), or only of another synonym: the synonym leads to no accepted "
          "name. The synonyms sheet of TaiCOL's 2020 plant list has 10 rows pointing to IDs no sheet has and 3 pointing to another "
          "synonym. Judged only where some of the list's accepted IDs do lead to an accepted name: a synonym table sent alone has "
          "its accepted names in another file.",
          "e.acc_unknown",
          "CASE WHEN e.acc_next IS NOT NULL THEN '有效名編號 ' || e.acc_id || ' 是異名 ' || coalesce(e.acc_next_name, '') "
          "|| ' 的編號，它的有效名編號是 ' || e.acc_next || '：請直接指向有效名' "
          "ELSE '有效名編號 ' || e.acc_id || ' 不是' || CASE WHEN e.acc_sheets THEN '這個活頁簿任一工作表' ELSE '這份名錄' END "
          "|| '中任何一列的編號：請更正為有效名那一列的編號，或補上該有效名' END",
          fix_en="CASE WHEN e.acc_next IS NOT NULL THEN 'The accepted name ID ' || e.acc_id || ' is that of the synonym ' "
                 "|| coalesce(e.acc_next_name, '') || ', whose accepted name ID is ' || e.acc_next || ': point to the accepted name itself' "
                 "ELSE 'The accepted name ID ' || e.acc_id || ' is the ID of no row of ' || CASE WHEN e.acc_sheets THEN 'any sheet of this "
                 "workbook' ELSE 'this list' END || ': correct it to the ID of the accepted name''s row, or add that accepted name' END",
          tables=(standard.SPECIES_LIST,), shows=("scientificName", "acceptedNameUsageID")),
    Check("TAXON_VERNACULAR_COMPAT_CHARS", "taxonomy", "warning", "俗名用了相容表意字", "Vernacular name in compatibility characters",
          "中文俗名含 CJK 相容表意字（如「蘭」U+F91F，多為 Big5 轉碼留下）：字形與標準字相同，卻是另一個字碼，搜尋、比對與統計都找不到它。",
          "The Chinese name holds CJK compatibility ideographs (e.g. 蘭 U+F91F, mostly left by Big5 conversions): they look like the "
          "standard characters but are other code points, so searches, matching and counts miss the name.",
          "e.vern_compat_chars IS NOT NULL", "'改為標準字（' || e.vern_compat_chars || '）：' || e.vern_nfc",
          fix_en="'Use the standard characters (' || replace(e.vern_compat_chars, chr(12289), ', ') || '): ' || e.vern_nfc", tables=T,
          shows=("vernacularName",)),
    Check("TAXON_VERNACULAR_EN_DIFFERS", "taxonomy", "info", "英文俗名與名錄英文名不同", "English name differs from the checklist's",
          "英文俗名不是名錄（臺灣鳥類名錄 2023）中這個學名的英文名；英文名各地用法不一，僅供參考，不算錯誤。名錄沒有英文名的類群不判定。",
          "The English name is not the one the checklist (Taiwan bird list 2023) gives this taxon; English names vary by source, so this is only a note, never a mismatch. Taxa without English names in the checklist are not judged.",
          "e.vern_en_differs", "'名錄英文名：' || e.vern_en_expected", fix_en="'Checklist English name: ' || e.vern_en_expected", tables=T),
]

# only a name matched to one species of the checklist is judged (not a genus, nor a fuzzy guess)
# an "A/B" aggregate matched by its first species is not that species; nor is a synonym whose row's Chinese name is
# another taxon's (田代氏澤蘭, native, written Eupatorium clematideum: a synonym of the invasive Praxelis clematidea)
EST_JUDGED = ("e.est_claim IS NOT NULL AND e.match_type IN ('exact', 'synonym', 'species_of_listed_subspecies') "
              "AND NOT e.above_species AND NOT (e.match_type = 'synonym' AND e.vern_mismatch)")
CHECKS.append(
    Check("TAXON_ESTABLISHMENT_DISAGREES", "taxonomy", "warning", "原生／外來與名錄不符", "Native or introduced status disagrees with the checklist",
          "這一列寫的原生、特有或外來狀態（establishmentMeans，或值為原生／特有／外來種的狀態欄）與臺灣物種名錄（TaiCOL）不同："
          "寫原生或特有，名錄列為外來種；寫外來，名錄列為原生；寫特有，名錄未列為臺灣特有種（維管束植物的原生、歸化與栽培取自 TaiBON 臺灣維管束植物名錄；名錄沒有狀態的物種不判定）。"
          "名錄也可能較舊（例如新近描述的特有種），請查證後更正其中一方。",
          "What the row says of the taxon's status in Taiwan (establishmentMeans, or a status column of 原生/特有/外來種) disagrees with the "
          "Taiwan checklist (TaiCOL): native or endemic where the checklist lists it as introduced, introduced where it lists it as native, "
          "endemic where it does not list it as endemic to Taiwan (for vascular plants, native, naturalised or cultivated is from TaiBON's "
          "list of Taiwan's vascular plants; a taxon the checklists give no status is not judged). The checklist may be the older of the two "
          "(a newly described endemic): check, then correct one of them.",
          f"{EST_JUDGED} AND coalesce((e.est_claim IN ('native', 'endemic') AND e.is_alien) OR (e.est_claim = 'introduced' AND NOT e.is_alien)"
          # a species matched through its listed subspecies is not endemic because one subspecies is
          " OR (e.est_claim = 'endemic' AND NOT e.is_alien AND NOT e.is_endemic AND e.match_type <> 'species_of_listed_subspecies'), false)",
          # a species matched through its subspecies is endemic only in part: no "(endemic)" said of it
          "CASE WHEN e.is_alien THEN '名錄列 ' || e.accepted_name || ' 為外來種' "
          "WHEN e.est_claim = 'introduced' THEN '名錄列 ' || e.accepted_name || ' 為原生種' || "
          "CASE WHEN e.is_endemic AND e.match_type IN ('exact', 'synonym') THEN '（臺灣特有）' ELSE '' END "
          "ELSE '名錄未列 ' || e.accepted_name || ' 為臺灣特有種' END",
          fix_en="CASE WHEN e.is_alien THEN 'The checklist lists ' || e.accepted_name || ' as introduced' "
                 "WHEN e.est_claim = 'introduced' THEN 'The checklist lists ' || e.accepted_name || ' as native' || "
                 "CASE WHEN e.is_endemic AND e.match_type IN ('exact', 'synonym') THEN ' (endemic to Taiwan)' ELSE '' END "
                 "ELSE 'The checklist does not list ' || e.accepted_name || ' as endemic to Taiwan' END",
          tables=T, shows=("scientificName", "vernacularName", "establishmentMeans")))
CHECKS.append(
    Check("TAXON_ESTABLISHMENT_UNREADABLE", "taxonomy", "warning", "原生／外來狀態無法辨識", "Native or introduced status unreadable",
          "establishmentMeans（或值為原生／外來的狀態欄）寫的不是可辨識的狀態（TaiBON 植物名錄有一列寫「i?」）：看不出這個物種在臺灣是"
          "原生、特有、歸化、栽培或不明，也就無法和名錄比對。",
          "establishmentMeans (or a status column of native / introduced) holds no status a reader can tell (TaiBON's plant list has "
          "one row of \"i?\"): whether the taxon is native, endemic, naturalised, cultivated or unknown in Taiwan cannot be read, nor "
          "compared with the checklist.",
          f"e.est_claim IS NULL AND {filled('e.establishmentMeans')} AND NOT {taxonomy.establishment_other_sql('e.establishmentMeans')}",
          "'改為 原生、特有、歸化（外來）、栽培 或 未知 之一（Darwin Core：native、introduced、uncertain…）'",
          fix_en="'Write one of native, endemic, introduced (naturalised), cultivated or uncertain'",
          tables=T, shows=("scientificName", "establishmentMeans")))

FAMILY = Family("taxonomy", tuple(CHECKS), DERIVATION)
