"""Taxonomy checks against the Taiwan checklist (dq/taxonomy.py matches each distinct name once)."""
from __future__ import annotations

from .. import standard
from ..taxonomy import FROM_VERNACULAR, FUZZY_MIN_SCORE
from . import Check, filled

T = (standard.OCCURRENCE, standard.SPECIES_LIST)
HAS_NAME = filled("e.scientificName")
# the record has no scientific name but its vernacular name gave one (dq/taxonomy.py names_from_vernacular)
NAME_FROM_VERN = "e.name_source IN (" + ", ".join(f"'{x}'" for x in FROM_VERNACULAR) + ")"

CHECKS = [
    Check("TAXON_NAME_MISSING", "taxonomy", "error", "缺少學名", "Scientific name missing",
          "學名空白，無法比對物種名錄。", "No scientific name, so the record cannot be matched to the checklist.",
          f"NOT {HAS_NAME} AND NOT coalesce({NAME_FROM_VERN} OR e.name_source = 'ambiguous', false)",
          "CASE WHEN e.vernacularName IS NOT NULL THEN '俗名「' || e.vernacularName || '」不在名錄中，請補上學名' END", tables=T),
    Check("TAXON_NAME_FROM_VERNACULAR", "taxonomy", "info", "學名由俗名對照名錄取得", "Scientific name taken from the vernacular name",
          "學名欄空白，但俗名在臺灣物種名錄（TaiCOL）中只對應一個分類群，已採用其有效名（比對方式記錄於 name_source：中文俗名、舊俗名或英文俗名）。",
          "No scientific name, but the vernacular name fits exactly one taxon of the Taiwan checklist (TaiCOL); its accepted name is used (how it matched is in name_source: Chinese, former or English name).",
          f"NOT {HAS_NAME} AND {NAME_FROM_VERN} AND e.accepted_name IS NOT NULL",
          "'依俗名「' || e.vernacularName || '」補上學名 ' || e.accepted_name", tables=T),
    Check("TAXON_VERNACULAR_AMBIGUOUS", "taxonomy", "warning", "俗名對應多個物種", "Vernacular name fits several taxa",
          "學名欄空白，而俗名在名錄中對應不只一個分類群（例如「日本樹蛙」在 2017、2020 年分為太田樹蛙與周氏樹蛙），無法判定是哪一種；請依候選名補上學名。",
          "No scientific name, and the vernacular name fits more than one taxon of the checklist (e.g. 日本樹蛙, split in 2017 and 2020 into Buergeria otai and B. choui); fill in the scientific name from the candidates.",
          f"NOT {HAS_NAME} AND e.name_source = 'ambiguous'", "'候選學名：' || e.name_candidates", tables=T),
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
    Check("TAXON_VERNACULAR_EN_DIFFERS", "taxonomy", "info", "英文俗名與名錄英文名不同", "English name differs from the checklist's",
          "英文俗名不是名錄（臺灣鳥類名錄 2023）中這個學名的英文名；英文名各地用法不一，僅供參考，不算錯誤。名錄沒有英文名的類群不判定。",
          "The English name is not the one the checklist (Taiwan bird list 2023) gives this taxon; English names vary by source, so this is only a note, never a mismatch. Taxa without English names in the checklist are not judged.",
          "e.vern_en_differs", "'名錄英文名：' || e.vern_en_expected", tables=T),
]
