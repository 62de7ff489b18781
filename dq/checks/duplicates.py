"""Duplicate checks; the engine counts group sizes with window functions once."""
from __future__ import annotations

from . import Check


def repeat_key_sql(o: str, qty: str) -> str:
    """SQL: the key of an observation for DUP_RECORD (NULL when the record names no taxon).

    Taxon (scientific name, else the vernacular name it was given by), recorder, count, remarks,
    event and verbatim event date (a survey season), plus every column the file has beyond the
    standard ones. The engine adds the derived date and point. Empty cells count as NULL: a short
    row (its missing cells NULL) repeats the full row whose same cells are empty.
    """
    def v(c):
        return f"nullif(trim({o}.{c}), '')"
    taxon = f"coalesce({v('scientificName')}, {v('vernacularName')})"
    extra = f"""regexp_replace(coalesce({o}.extra, ''), ':""', ':null', 'g')"""
    return (f"CASE WHEN {taxon} IS NOT NULL THEN hash({o}.dataset_id, {taxon}, {v('recordedBy')}, {qty}, "
            f"{v('occurrenceRemarks')}, {v('eventID')}, {v('verbatimEventDate')}, {extra}) END")


CHECKS = [
    Check("DUP_OCCURRENCE_ID", "duplicates", "error", "紀錄編號重複", "occurrenceID repeated",
          "同一資料集中有多筆紀錄使用相同的 occurrenceID；每一筆都會被標記。",
          "Several records of one dataset share an occurrenceID; every one of them is flagged.",
          "e.dup_occ_n > 1", "'occurrenceID 重複 ' || e.dup_occ_n || ' 次'"),
    Check("DUP_RECORD", "duplicates", "warning", "疑似重複紀錄", "Possible duplicate record",
          "同一資料集中，物種、日期、點位、數量、記錄者（有填時）與其他欄位都相同的紀錄（空白儲存格視為相同）；群組內每一筆都會被標記。",
          "Records of one dataset with the same taxon, date, point, count, recorder (when given) and other columns (empty cells compared as equal); every row of the group is flagged.",
          "e.dup_rec_n > 1", "'同組共 ' || e.dup_rec_n || ' 筆，請確認是否重複'"),
]
