"""Controlled-vocabulary checks from the standard's value ranges. Derivation: the quantity text
(organismQuantity, else individualCount) and its number, computed once per record."""
from __future__ import annotations

from .. import standard
from . import Check, Derivation, Family, blank, filled

QTY = "nullif(trim(coalesce(nullif(trim(o.organismQuantity), ''), o.individualCount)), '')"
DERIVATION = Derivation(
    record_cols={"qty_txt": QTY, "qty_num": f"try_cast({QTY} AS DOUBLE)"},
    columns=("k.qty_txt", "k.qty_num"),
)

BOR = ", ".join(f"'{k.lower()}'" for k in standard.BASIS_OF_RECORD) + ", " + \
      ", ".join(f"'{v}'" for v in standard.BASIS_OF_RECORD.values())
# the exact spellings, tested first so that most records never reach lower(trim(…))
BOR_EXACT = ", ".join(f"'{k}'" for k in standard.BASIS_OF_RECORD) + ", " + \
      ", ".join(f"'{v}'" for v in standard.BASIS_OF_RECORD.values())

CHECKS = [
    Check("VOCAB_BASIS_OF_RECORD", "vocabulary", "error", "紀錄類型不在控制詞彙", "basisOfRecord not in vocabulary",
          "basisOfRecord 不是 GBIF 建議清單中的值（HumanObservation、PreservedSpecimen…或其中文）。",
          "basisOfRecord is not one of GBIF's values (HumanObservation, PreservedSpecimen… or their Chinese labels).",
          f"e.basisOfRecord NOT IN ({BOR_EXACT}) AND {filled('e.basisOfRecord')} AND lower(trim(e.basisOfRecord)) NOT IN ({BOR})",
          "'改為 HumanObservation 等控制詞彙'", shows=("basisOfRecord",)),
    Check("VOCAB_QUANTITY", "vocabulary", "error", "數量不是大於 0 的數字", "Quantity not a number > 0",
          "數量必須是大於 0 的數字；「不計數」、「10~19」、「>50」這類文字無法統計。",
          "organismQuantity must be a number above 0; text such as 不計數, 10~19 or >50 cannot be counted.",
          "e.qty_txt IS NOT NULL AND (e.qty_num IS NULL OR e.qty_num <= 0)",
          "CASE WHEN regexp_matches(e.qty_txt, '^\\s*\\d+\\s*[~～\\-]\\s*\\d+\\s*$') THEN '區間請拆成數量 ' || "
          "regexp_extract(e.qty_txt, '(\\d+)', 1) || ' 並於備註寫明範圍' WHEN regexp_matches(e.qty_txt, '^\\s*[>≥]') THEN "
          "'改為下限數字 ' || regexp_extract(e.qty_txt, '(\\d+)', 1) || ' 並於備註寫明' ELSE '填寫大於 0 的數字' END",
          shows=("organismQuantity", "individualCount")),
    Check("VOCAB_QUANTITY_TYPE_MISSING", "vocabulary", "warning", "有數量但沒有數量單位", "Quantity without a unit",
          "有 organismQuantity 卻沒有 organismQuantityType（原則為「隻」）。",
          "organismQuantity is given without organismQuantityType (normally 隻, individuals).",
          f"{filled('e.organismQuantity')} AND {blank('e.organismQuantityType')}", "'填寫數量單位，例如「隻」'",
          columns=("organismQuantityType",), shows=("organismQuantity", "organismQuantityType")),
    Check("VOCAB_SELF_PRODUCED", "vocabulary", "error", "第一手資料不是布林值", "selfProduced not boolean",
          "selfProduced 只能是 True 或 False。", "selfProduced must be True or False.",
          f"{filled('e.selfProduced')} AND lower(trim(e.selfProduced)) NOT IN ('true', 'false')",
          "'改為 True 或 False'", shows=("selfProduced",)),
]

FAMILY = Family("vocabulary", tuple(CHECKS), DERIVATION)
