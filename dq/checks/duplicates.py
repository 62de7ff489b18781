"""Duplicate checks. Derivation: per record, a key of its occurrenceID within its dataset and a key
of what it observed (taxon, recorder, count, remarks, event, the file's other columns); group sizes
are counted once, over the keys seen more than once, with the derived date and point (time and
coordinate families). Exact repeats are flagged, every row of the group."""
from __future__ import annotations

from . import Check, Derivation, DeriveContext, Family
from .vocabulary import QTY


def repeat_key_sql(o: str, qty: str) -> str:
    """SQL: the key of an observation for DUP_RECORD (NULL when the record names no taxon).

    Taxon (scientific name, else the vernacular name it was given by), recorder, count, remarks,
    event and verbatim event date (a survey season), plus every column the file has beyond the
    standard ones (`extra`). The engine adds the derived date and point. The readers give an empty
    cell as NULL, so a short row (its missing cells NULL) repeats the full row whose cells are empty.
    """
    taxon = f"coalesce(nullif({o}.scientificName, ''), nullif({o}.vernacularName, ''))"
    return (f"CASE WHEN {taxon} IS NOT NULL THEN hash({o}.dataset_id, {taxon}, {o}.recordedBy, {qty}, "
            f"{o}.occurrenceRemarks, {o}.eventID, {o}.verbatimEventDate, {o}.extra) END")


# the observation key adds the derived date and rounded point to the record key rk0; the point is
# rounded once per distinct point (_pt lat5/lon5: the same values, so the same keys as rounding
# per record, which cost ~0.04 CPU s per 1M records in each of the two passes computing the key)
RKEY = "hash(k.rk0, d.event_date_parsed, c.lat5, c.lon5)"


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


DERIVATION = Derivation(
    record_cols={
        # trim() copies every long ID to test it: a text whose first character is printable ASCII
        # cannot be spaces alone (DuckDB's trim() removes the Unicode space separators, U+0020,
        # U+00A0 and up; tests/test_checks.py pins both)
        "okey": ("CASE WHEN NOT (o.occurrenceID IS NULL OR CASE WHEN unicode(o.occurrenceID) BETWEEN 33 AND 159 THEN false "
                 "ELSE trim(o.occurrenceID) = '' END) THEN hash(o.dataset_id, o.occurrenceID) END"),
        "rk0": repeat_key_sql("o", QTY),
    },
    derive_keyed=derive_keyed,
    joins=("LEFT JOIN _okc oc ON oc.k = k.okey", f"LEFT JOIN _rkc rc ON rc.k = {RKEY}"),
    columns=("CASE WHEN k.okey IS NULL THEN 0 ELSE coalesce(oc.n, 1) END AS dup_occ_n",
             "CASE WHEN k.rk0 IS NULL THEN 0 ELSE coalesce(rc.n, 1) END AS dup_rec_n"),
)



CHECKS = [
    Check("DUP_OCCURRENCE_ID", "duplicates", "error", "紀錄編號重複", "occurrenceID repeated",
          "同一資料集中有多筆紀錄使用相同的 occurrenceID；每一筆都會被標記。",
          "Several records of one dataset share an occurrenceID; every one of them is flagged.",
          "e.dup_occ_n > 1", "'occurrenceID 重複 ' || e.dup_occ_n || ' 次'", fix_en="'occurrenceID used ' || e.dup_occ_n || ' times'"),
    Check("DUP_RECORD", "duplicates", "warning", "疑似重複紀錄", "Possible duplicate record",
          "同一資料集中，物種、日期、點位、數量、記錄者（有填時）與其他欄位都相同的紀錄（空白儲存格視為相同）；群組內每一筆都會被標記。",
          "Records of one dataset with the same taxon, date, point, count, recorder (when given) and other columns (empty cells compared as equal); every row of the group is flagged.",
          # a file of one row per animal without a count (NTU/OCA's reef fish: a school of 753 damselfish is
          # 753 equal rows) repeats rows on purpose: the fix says how to tell a count from a copy
          "e.dup_rec_n > 1",
          "CASE WHEN e.qty_txt IS NULL THEN '同組共 ' || e.dup_rec_n || ' 筆完全相同且沒有數量：若每列是一隻個體，請填 individualCount（或併成一列並填數量）；若不是，請刪除重複列' "
          "ELSE '同組共 ' || e.dup_rec_n || ' 筆，請確認是否重複' END",
          fix_en="CASE WHEN e.qty_txt IS NULL THEN e.dup_rec_n || ' identical records without a count: if each row is one individual, "
                 "fill in individualCount (or make them one row with the count); if not, delete the copies' "
                 "ELSE e.dup_rec_n || ' records alike: check whether they are one' END"),
]

FAMILY = Family("duplicates", tuple(CHECKS), DERIVATION)
