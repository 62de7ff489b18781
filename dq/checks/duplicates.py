"""Duplicate checks. Derivation: per record, a key of its occurrenceID within its dataset and a key
of what it observed (taxon, recorder, count, remarks, event, the file's other columns); group sizes
are counted once, over the keys seen more than once, with the derived date and point (time and
coordinate families). Exact repeats are flagged, every row of the group."""
from __future__ import annotations

from .. import standard
from ..taxonomy import VERN_KEY, VERN_PAIR_KEY
from . import Check, Derivation, DeriveContext, Family
from .vocabulary import QTY

# a species list's row: its dataset and the name it is matched by (the taxonomy family's key nk)
LIST_KEY = (f"CASE WHEN {{o}}table_kind = '{standard.SPECIES_LIST}' THEN "
            f"hash({{o}}agency, {{o}}dataset_id, {{o}}scientificName, {VERN_KEY}) END")


def repeat_key_sql(o: str, qty: str) -> str:
    """SQL: the key of an observation for DUP_RECORD (NULL when the record names no taxon).

    Taxon (scientific name, else the vernacular name it was given by), recorder, count, remarks,
    event, verbatim event date (a survey season), time of day and the place's name (NTU/OCA's reef survey gives two
    sites one point: Dabaisha and Guiwan are two places), plus every column the file has beyond the
    standard ones (`extra`). The engine adds the derived date and point. The readers give an empty
    cell as NULL, so a short row (its missing cells NULL) repeats the full row whose cells are empty.
    """
    taxon = f"coalesce(nullif({o}.scientificName, ''), nullif({o}.vernacularName, ''))"
    return (f"CASE WHEN {taxon} IS NOT NULL THEN hash({o}.dataset_id, {taxon}, {o}.recordedBy, {qty}, "
            f"{o}.occurrenceRemarks, {o}.eventID, {o}.verbatimEventDate, {o}.eventTime, {o}.locality, {o}.verbatimLocality, {o}.extra) END")


# the observation key adds the derived date and rounded point to the record key rk0; the point is
# rounded once per distinct point (_pt lat5/lon5: the same values, so the same keys as rounding
# per record, which cost ~0.04 CPU s per 1M records in each of the two passes computing the key).
# A date or point that cannot be read is compared as written (its key): rows dated 2023-02-30 and
# 2023-13-01 were "8 identical records" of one group, their unread dates both NULL
RKEY = ("hash(k.rk0, d.event_date_parsed, c.lat5, c.lon5, CASE WHEN d.event_date_parsed IS NULL THEN k.dk END, "
        "CASE WHEN c.lat5 IS NULL THEN k.pk END)")


def derive_keyed(con, ctx: DeriveContext) -> None:
    # Both group counts in one scan of the records (two grouping sets): the keys are computed from
    # the staged text once instead of twice (at 10M records 14.2 → 11.0 CPU s). Only keys seen more
    # than once are kept, so the joins in `e` stay small. Every record's point and date key is in
    # _pt and _dk (both are built from the distinct values of all records), so the left joins match
    # what inner joins would.
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _dupc AS SELECT grouping(okey) AS g, okey, rkey, count(*) AS n
        FROM (SELECT k.okey, CASE WHEN k.rk0 IS NOT NULL THEN {RKEY} END AS rkey
              FROM _ek k LEFT JOIN _pt c ON c.pk = k.pk LEFT JOIN _dk d ON d.dk = k.dk)
        GROUP BY GROUPING SETS ((okey), (rkey)) HAVING count(*) > 1""")
    con.execute("CREATE OR REPLACE TEMP TABLE _okc AS SELECT okey AS k, n FROM _dupc WHERE g = 0 AND okey IS NOT NULL")
    con.execute("CREATE OR REPLACE TEMP TABLE _rkc AS SELECT rkey AS k, n FROM _dupc WHERE g = 1 AND rkey IS NOT NULL")
    con.execute("DROP TABLE _dupc")


def derive(con, ctx: DeriveContext) -> None:
    # A species list naming one species on two rows (花狹口蛙 and 亞洲錦蛙 are both Kaloula pulchra;
    # 布氏樹蛙 and 白頷樹蛙 both Polypedates braueri): per dataset, the rows whose names the taxonomy
    # family matched to the same species (exactly, as a synonym or through its subspecies), with the
    # other names of it. Read from the distinct names of species-list rows only (not a synonym table's, nor a crosswalk's).
    # The file's other columns (no term took them) are the list's context: a list of species per
    # national park (國家公園, 學名, 中文名) names a species once per park. Not when they differ on
    # every row of the dataset (a row number, an ID column): then they tell nothing apart.
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _lt AS
        WITH r AS (SELECT agency, dataset_id, extra, scientificName AS sci, {VERN_KEY.format(o='')} AS vern_key,
                          coalesce(nullif(trim(scientificName), ''), trim(vernacularName)) AS shown,
                          {VERN_PAIR_KEY.format(o='')} AS vk, count(*) AS n
                   FROM occ WHERE table_kind = '{standard.SPECIES_LIST}'
                     -- a synonym's row linked to another taxon (its accepted name; a Darwin Core checklist's
                     -- accepted rows name themselves), or a crosswalk of the names surveyors wrote (BBS
                     -- Taiwan's species_ori: 9 ways of writing 雁鴨科) lists a species again on purpose
                     AND (nullif(trim(acceptedNameUsageID), '') IS NULL OR trim(acceptedNameUsageID) = trim(taxonID))
                     AND nullif(trim(verbatimIdentification), '') IS NULL
                   GROUP BY ALL),
        ids AS (SELECT agency, dataset_id FROM r GROUP BY ALL HAVING count(DISTINCT extra) = sum(n)),
        -- one species (not an "A/B" aggregate matched by its first species, not a genus)
        -- a synonym whose row's own Chinese name is another taxon's is a taxon the list keeps apart (TaiBON's name
        -- list: Eupatorium clematideum 田代氏澤蘭, native, is a synonym of the invasive Praxelis clematidea 貓腥草 in
        -- TaiCOL): no "make them one row" (120 of twnamelist's 296), its synonym and Chinese-name findings say it
        m AS (SELECT r.* EXCLUDE (extra, vk), CASE WHEN i.dataset_id IS NULL THEN r.extra END AS ctx, t.accepted_name
              FROM r JOIN _nk t ON t.nk = hash(r.sci, r.vern_key)
              LEFT JOIN ids i ON i.agency IS NOT DISTINCT FROM r.agency AND i.dataset_id IS NOT DISTINCT FROM r.dataset_id
              LEFT JOIN _vern v ON v.vk = r.vk
              WHERE t.accepted_name IS NOT NULL AND t.match_type IN ('exact', 'synonym', 'species_of_listed_subspecies')
                AND NOT coalesce(t.above_species, false)
                AND NOT (t.match_type = 'synonym' AND coalesce(v.vern_mismatch, false))),
        g AS (SELECT agency, dataset_id, ctx, accepted_name, sum(n) AS n, list(DISTINCT shown ORDER BY shown) AS names
              FROM m GROUP BY ALL HAVING sum(n) > 1)
        SELECT hash(m.agency, m.dataset_id, m.sci, m.vern_key) AS k, max(g.n) AS n,
               array_to_string(list_sort(list_distinct(list_filter(flatten(list(g.names)), x -> x IS DISTINCT FROM any_value(m.shown)))), '、') AS others
        FROM m JOIN g ON g.accepted_name = m.accepted_name AND g.agency IS NOT DISTINCT FROM m.agency
                     AND g.dataset_id IS NOT DISTINCT FROM m.dataset_id AND g.ctx IS NOT DISTINCT FROM m.ctx
        GROUP BY m.agency, m.dataset_id, m.sci, m.vern_key""")


DERIVATION = Derivation(
    record_cols={
        "slk": LIST_KEY.format(o="o."),
        # trim() copies every long ID to test it: a text whose first character is printable ASCII
        # cannot be spaces alone (DuckDB's trim() removes the Unicode space separators, U+0020,
        # U+00A0 and up; tests/test_checks.py pins both)
        "okey": ("CASE WHEN NOT (o.occurrenceID IS NULL OR CASE WHEN unicode(o.occurrenceID) BETWEEN 33 AND 159 THEN false "
                 "ELSE trim(o.occurrenceID) = '' END) THEN hash(o.dataset_id, o.occurrenceID) END"),
        "rk0": repeat_key_sql("o", QTY),
    },
    derive=derive,
    derive_keyed=derive_keyed,
    joins=("LEFT JOIN _okc oc ON oc.k = k.okey", f"LEFT JOIN _rkc rc ON rc.k = {RKEY}", "LEFT JOIN _lt lt ON lt.k = k.slk"),
    columns=("CASE WHEN k.okey IS NULL THEN 0 ELSE coalesce(oc.n, 1) END AS dup_occ_n",
             "CASE WHEN k.rk0 IS NULL THEN 0 ELSE coalesce(rc.n, 1) END AS dup_rec_n",
             "coalesce(lt.n, 0) AS listed_n", "lt.others AS listed_others"),
)



CHECKS = [
    Check("DUP_OCCURRENCE_ID", "duplicates", "error", "紀錄編號重複", "occurrenceID repeated",
          "同一資料集中有多筆紀錄使用相同的 occurrenceID；每一筆都會被標記。",
          "Several records of one dataset share an occurrenceID; every one of them is flagged.",
          "e.dup_occ_n > 1", "'occurrenceID 重複 ' || e.dup_occ_n || ' 次'", fix_en="'occurrenceID used ' || e.dup_occ_n || ' times'"),
    Check("DUP_RECORD", "duplicates", "warning", "疑似重複紀錄", "Possible duplicate record",
          "同一資料集中，物種、日期、點位、地點名稱、數量、記錄者（有填時）與其他欄位都相同的紀錄（空白儲存格視為相同）；群組內每一筆都會被標記。",
          "Records of one dataset with the same taxon, date, point, place name, count, recorder (when given) and other columns (empty cells compared as equal); every row of the group is flagged.",
          # a file of one row per animal without a count (NTU/OCA's reef fish: a school of 753 damselfish is
          # 753 equal rows) repeats rows on purpose: the fix says how to tell a count from a copy
          "e.dup_rec_n > 1",
          # BBS Taiwan's export: a visit's detections of one species with count 1, each its own occurrenceID,
          # whose distance band and minute were not exported (102,511 of 385,131 rows): separate on purpose,
          # indistinguishable to whoever uses the file. Kept short: it is written on every such flag (the 10M
          # bench's 5.3M; a text of ~600 bytes raised the build's peak RSS by ~450 MB)
          "CASE WHEN e.qty_txt IS NULL THEN '同組共 ' || e.dup_rec_n || ' 筆完全相同且沒有數量：若每列是一隻個體，請填 individualCount（或併成一列並填數量）；若不是，請刪除重複列' "
          "WHEN e.dup_occ_n = 1 THEN '同組共 ' || e.dup_rec_n || ' 筆只有紀錄編號不同：若是分開的偵測，請匯出區分它們的欄位或加總成一列；若是重複，請刪除' "
          "ELSE '同組共 ' || e.dup_rec_n || ' 筆，請確認是否重複' END",
          fix_en="CASE WHEN e.qty_txt IS NULL THEN e.dup_rec_n || ' identical records without a count: if each row is one individual, "
                 "fill in individualCount (or make them one row with the count); if not, delete the copies' "
                 "WHEN e.dup_occ_n = 1 THEN e.dup_rec_n || ' records differ only in their occurrenceID: if separate detections, "
                 "export what tells them apart or sum them into one row; if copies, delete them' "
                 "ELSE e.dup_rec_n || ' records alike: check whether they are one' END"),
]

CHECKS.append(
    Check("DUP_TAXON_LISTED", "duplicates", "warning", "同一物種列了不只一次", "Taxon listed more than once",
          "物種名錄中，同一個物種出現在不只一列：名稱重複，或以不同的俗名、學名或同物異名列出（例如「花狹口蛙」與「亞洲錦蛙」都是 Kaloula pulchra），"
          "物種數因此多算，兩列的狀態也可能互相矛盾。每一列都會被標記。",
          "A species list names one species on more than one row: the same name twice, or under two vernacular names, names or synonyms "
          "(花狹口蛙 and 亞洲錦蛙 are both Kaloula pulchra), so the list counts it twice and its rows may disagree. Every such row is flagged.",
          "e.listed_n > 1",
          "CASE WHEN coalesce(e.listed_others, '') = '' THEN '同一名稱列了 ' || e.listed_n || ' 次：請只留一列（各列內容不同時，合併後保留一列）' "
          "ELSE '與「' || e.listed_others || '」同為 ' || e.accepted_name || '（共 ' || e.listed_n || ' 列）：請併為一列' END",
          fix_en="CASE WHEN coalesce(e.listed_others, '') = '' THEN 'The same name on ' || e.listed_n || ' rows: keep one (merge them if their other columns differ)' "
                 "ELSE 'The same species (' || e.accepted_name || ') as ' || replace(e.listed_others, chr(12289), ', ') || ' (' || e.listed_n || ' rows): make them one row' END",
          tables=(standard.SPECIES_LIST,), shows=("scientificName", "vernacularName")))

FAMILY = Family("duplicates", tuple(CHECKS), DERIVATION)
