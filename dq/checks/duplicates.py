"""Duplicate checks; the engine counts group sizes with window functions once."""
from __future__ import annotations

from . import Check

CHECKS = [
    Check("DUP_OCCURRENCE_ID", "duplicates", "error", "紀錄編號重複", "occurrenceID repeated",
          "同一資料集中有多筆紀錄使用相同的 occurrenceID；每一筆都會被標記。",
          "Several records of one dataset share an occurrenceID; every one of them is flagged.",
          "e.dup_occ_n > 1", "'occurrenceID 重複 ' || e.dup_occ_n || ' 次'"),
    Check("DUP_RECORD", "duplicates", "warning", "疑似重複紀錄", "Possible duplicate record",
          "同一資料集中，物種、日期、點位、記錄者與數量都相同的紀錄；群組內每一筆都會被標記。",
          "Records of one dataset with the same taxon, date, point, recorder and count; every row of the group is flagged.",
          "e.dup_rec_n > 1", "'同組共 ' || e.dup_rec_n || ' 筆，請確認是否重複'"),
]
