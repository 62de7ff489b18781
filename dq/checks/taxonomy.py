"""Taxonomy checks against the Taiwan checklist (dq/taxonomy.py matches each distinct name once)."""
from __future__ import annotations

from .. import standard
from ..taxonomy import FUZZY_MIN_SCORE
from . import Check, filled

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
          "e.match_type = 'fuzzy'", "'建議改為 ' || e.fuzzy_suggestion", tables=T),
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
