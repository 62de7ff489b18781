"""Controlled-vocabulary checks from the standard's value ranges. Derivation, once per record:
the quantity text (organismQuantity, else individualCount), what it says (a count, an absence, a
presence without a count, a range or a limit, or nothing readable) and its number or bounds."""
from __future__ import annotations

import re

from .. import standard
from . import ALL_TABLES, HTML_ENTITY_RX, Check, Derivation, Family, blank, filled, unescape_html, unescape_r

QTY = "nullif(trim(coalesce(nullif(trim(o.organismQuantity), ''), o.individualCount)), '')"
ABSENT_STATUS = ("absent", "absence", "未發現", "無紀錄", "不存在")
PRESENCE_WORDS = ("x", "+", "present", "presence", "不計數", "未計數", "有", "出現")
_NUM = "\\d+(?:\\.\\d+)?"


STATUS = "lower(trim(o.occurrenceStatus))"


def quantity_cols(qty: str = "qty_txt", status: str = "status") -> dict[str, str]:
    """What a count says, as SQL over one distinct (quantity text, occurrenceStatus) pair.

    qty_kind: 'count' (a number > 0, in qty_num), 'absence' (0, or occurrenceStatus absent:
    searched and not found), 'presence' (seen, not counted: eBird's X, 不計數), 'range' (10~19),
    'at_least' (>50, 20+), 'at_most' (<5), 'invalid' (anything else), NULL when blank.
    qty_low/qty_high bound ranges and limits. is_absence: an absence record is kept and counted,
    but it is no presence: out of presence maps, coverage, species counts and the 1 km filter.
    """
    t = f"lower(trim({qty}))"
    absent = f"coalesce({status}, '') IN ({', '.join(repr(x) for x in ABSENT_STATUS)})"
    rng = f"regexp_extract({t}, '^({_NUM})\\s*[~～\\-－–—至到]\\s*({_NUM})$', ['lo', 'hi'])"
    kind = f"""CASE WHEN {absent} THEN 'absence' WHEN {qty} IS NULL THEN NULL
        WHEN try_cast({qty} AS DOUBLE) IS NOT NULL THEN
             CASE WHEN try_cast({qty} AS DOUBLE) = 0 THEN 'absence' WHEN try_cast({qty} AS DOUBLE) > 0 THEN 'count' ELSE 'invalid' END
        WHEN {t} IN ({', '.join(repr(x) for x in PRESENCE_WORDS)}) THEN 'presence'
        WHEN {rng}.lo <> '' THEN 'range'
        WHEN regexp_matches({t}, '^([>≥＞]=?\\s*{_NUM}|{_NUM}\\s*(\\+|以上|多))$') THEN 'at_least'
        WHEN regexp_matches({t}, '^[<≤＜]=?\\s*{_NUM}$') THEN 'at_most'
        ELSE 'invalid' END"""
    return {
        "qty_num": f"CASE WHEN NOT {absent} THEN try_cast({qty} AS DOUBLE) END",
        "qty_kind": kind,
        "qty_low": f"CASE WHEN {rng}.lo <> '' THEN try_cast({rng}.lo AS DOUBLE) WHEN regexp_matches({t}, '^[>≥＞]|\\+$|以上$|多$') "
                   f"THEN try_cast(regexp_extract({t}, '({_NUM})', 1) AS DOUBLE) END",
        "qty_high": f"CASE WHEN {rng}.hi <> '' THEN try_cast({rng}.hi AS DOUBLE) WHEN regexp_matches({t}, '^[<≤＜]') "
                    f"THEN try_cast(regexp_extract({t}, '({_NUM})', 1) AS DOUBLE) END",
        "is_absence": f"coalesce(({kind}) = 'absence', false)",
    }


def derive(con, ctx) -> None:
    # each distinct (count text, status) classified once: a handful of values, however many records
    cols = ", ".join(f"{sql} AS {name}" for name, sql in quantity_cols().items())
    # the raw columns distinct first: the trims once per distinct triple, not per record
    raw = ", ".join(sorted(set(re.findall(r"o\.(\w+)", QTY + STATUS))))
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _qk AS SELECT hash(qty_txt, status) AS qk, {cols}
        FROM (SELECT DISTINCT {QTY} AS qty_txt, {STATUS} AS status FROM (SELECT DISTINCT {raw} FROM occ) o)""")


DERIVATION = Derivation(
    record_cols={"qty_txt": QTY, "qk": f"hash({QTY}, {STATUS})"},
    derive=derive,
    joins=("LEFT JOIN _qk q ON q.qk = k.qk",),
    # an absence is a taxon's: a count of 0 on a row naming none (BBS Taiwan's "No survey" rows of a visit cancelled
    # for rain, a blank name) was counted among the absence records. A row names one when its name was read at all
    # (a match type, 'none' for a name the checklist lacks) or its vernacular name was (a name source: a Chinese or
    # English name no list holds has no match type); reads the taxonomy family's alias t
    columns=("k.qty_txt", "q.qty_num", "q.qty_kind", "q.qty_low", "q.qty_high",
             "(coalesce(q.is_absence, false) AND t.match_type IS DISTINCT FROM 'not_a_name' "
             "AND (t.match_type IS NOT NULL OR t.name_source IS NOT NULL)) AS is_absence"),
)

BOR = ", ".join(f"'{k.lower()}'" for k in standard.BASIS_OF_RECORD) + ", " + \
      ", ".join(f"'{v}'" for v in standard.BASIS_OF_RECORD.values())
# the exact spellings, tested first so that most records never reach lower(trim(…))
BOR_EXACT = ", ".join(f"'{k}'" for k in standard.BASIS_OF_RECORD) + ", " + \
      ", ".join(f"'{v}'" for v in standard.BASIS_OF_RECORD.values())

CHECKS = [
    Check("VOCAB_BASIS_OF_RECORD", "vocabulary", "error", "紀錄類型不在控制詞彙", "basisOfRecord not in vocabulary",
          "basisOfRecord 不是 GBIF 建議清單中的值（HumanObservation、PreservedSpecimen…或其中文；不分大小寫，GBIF 下載檔的 HUMAN_OBSERVATION 寫法亦同；GBIF 的通用值 Observation 亦可）。",
          "basisOfRecord is not one of GBIF's values (HumanObservation, PreservedSpecimen… or their Chinese labels; any case, "
          "and as a GBIF download writes them, HUMAN_OBSERVATION; GBIF's generic Observation too).",
          f"e.basisOfRecord NOT IN ({BOR_EXACT}) AND {filled('e.basisOfRecord')} AND {standard.bor_key_sql('e.basisOfRecord')} NOT IN ({BOR})",
          "'改為 HumanObservation 等控制詞彙'", fix_en="'Use the controlled vocabulary, e.g. HumanObservation'", shows=("basisOfRecord",)),
    Check("VOCAB_QUANTITY", "vocabulary", "error", "數量無法解讀", "Quantity cannot be read",
          "數量不是數字、區間（10~19）、下限（>50）或「出現未計數」（X、不計數）；負數亦同。0 或 occurrenceStatus=absent 是「未發現」紀錄，不算錯。",
          "organismQuantity is neither a number, a range (10~19), a limit (>50) nor 'present, not counted' (X, 不計數), or it is negative. 0 or occurrenceStatus absent is an absence record, not an error.",
          "e.qty_kind = 'invalid'", "'填寫大於 0 的數字；未發現請填 0，出現但未計數請填 X'", fix_en="'Enter a number above 0; 0 when searched and not found, X when present but not counted'",
          shows=("organismQuantity", "individualCount")),
    Check("VOCAB_QUANTITY_APPROXIMATE", "vocabulary", "info", "數量為區間或下限", "Quantity is a range or a limit",
          "數量寫成區間（10~19）或上下限（>50、20+），可讀但不是確切數字；統計時以範圍的上下限處理。",
          "The count is a range (10~19) or a limit (>50, 20+): readable, not exact; analyses use its bounds.",
          "e.qty_kind IN ('range', 'at_least', 'at_most')",
          "CASE WHEN e.qty_kind = 'range' THEN '可拆成 organismQuantity ' || e.qty_low::INT || '，範圍 ' || e.qty_txt || ' 寫入備註' "
          "ELSE '可改為 organismQuantity ' || coalesce(e.qty_low, e.qty_high)::INT || '（界限值），並於備註寫明 ' || e.qty_txt END", fix_en="CASE WHEN e.qty_kind = 'range' THEN 'Could be organismQuantity ' || e.qty_low::INT || ' with the range ' || e.qty_txt || ' in the remarks' ELSE 'Could be organismQuantity ' || coalesce(e.qty_low, e.qty_high)::INT || ' (its bound) with ' || e.qty_txt || ' in the remarks' END",
          shows=("organismQuantity", "individualCount")),
    Check("VOCAB_QUANTITY_NOT_COUNTED", "vocabulary", "info", "出現但未計數", "Present, not counted",
          "數量寫「X」（eBird）或「不計數」：有出現、未計數量。是出現紀錄，不是錯誤；只是不能用於數量統計。",
          "The count says X (eBird) or 不計數: the taxon was present but not counted. A presence record, not an error, just not usable for abundance.",
          "e.qty_kind = 'presence'", "'不必修正；若有實際數量，填入可供數量統計'", fix_en="'Nothing to fix; enter the actual count if known, for counts to use it'", shows=("organismQuantity", "individualCount")),
    Check("VOCAB_QUANTITY_TYPE_MISSING", "vocabulary", "warning", "有數量但沒有數量單位", "Quantity without a unit",
          "有 organismQuantity 卻沒有 organismQuantityType（原則為「隻」）。",
          "organismQuantity is given without organismQuantityType (normally 隻, individuals).",
          f"{filled('e.organismQuantity')} AND {blank('e.organismQuantityType')}", "'填寫數量單位，例如「隻」'", fix_en="'Enter the unit of the quantity, e.g. individuals'",
          columns=("organismQuantityType",), shows=("organismQuantity", "organismQuantityType")),
    Check("VOCAB_SELF_PRODUCED", "vocabulary", "error", "第一手資料不是布林值", "selfProduced not boolean",
          "selfProduced 只能是 True 或 False。", "selfProduced must be True or False.",
          f"{filled('e.selfProduced')} AND lower(trim(e.selfProduced)) NOT IN ('true', 'false')",
          "'改為 True 或 False'", fix_en="'Write True or False'", shows=("selfProduced",)),
]

# The text columns people write Chinese in: where R's <U+XXXX> escapes turn up (BBS Taiwan: 3,700
# vernacular names such as 小<U+9E0A><U+9DC9>, 2,800 observer names and remarks).
ESCAPE_COLS = ("scientificName", "vernacularName", "recordedBy", "rightsHolder", "verbatimLocality", "locality",
               "municipality", "habitat", "occurrenceRemarks", "samplingProtocol", "datasetName")


def _col(col: str) -> str:
    return f'e."{col}"'


def _escaped(col: str) -> str:
    return f"contains({_col(col)}, '<U+')"


# an R escape unescape_r turns into a character: 2 to 8 hex digits (R writes <U+XXXX>, beyond U+FFFF <U+XXXXXXXX>)
# naming a code point codepoint_chr gives (tab and line ends; no other control character — C0, DEL, C1 —,
# no surrogate, nothing beyond U+10FFFF)
R_DECODABLE_RX = (r"<U\+0*(?:[9AaDd]|[2-6][0-9A-Fa-f]|7[0-9A-Ea-e]|[A-Fa-f][0-9A-Fa-f]|[1-9A-Fa-f][0-9A-Fa-f]{2}|[1-9A-Ca-cEeFf][0-9A-Fa-f]{3}"
                  r"|[Dd][0-7][0-9A-Fa-f]{2}|[1-9A-Fa-f][0-9A-Fa-f]{4}|10[0-9A-Fa-f]{4})>")


def _unescaped_fix(sep: str, lead: str, cols, escaped, decode, decodable) -> str:
    """'Should read: col=decoded; …' for the columns holding an escape `decode` turns into a character; none
    such (<U+D800> alone), no fix: "should read" the same text told nothing, and the check's to-do stands in.
    `decodable`: a regex of such an escape, or None to compare the decoded text with the cell. The regex for
    the R escapes, flagged on 20,633 rows of the 1M bench: a comparison (and nullif(), whose first argument
    DuckDB computes twice) doubled the flags pass's cost there."""
    def part(c):
        if decodable:
            return f"CASE WHEN {escaped(c)} AND regexp_matches({_col(c)}, '{decodable}') THEN '{c}=' || {decode(_col(c))} END"
        # the decoded text bound once (a one-item list's lambda), compared with the cell and written out: decoded
        # twice per column, and the columns' parts twice again in the test and the text, TEXT_HTML_ENTITY's fixes
        # were ~140 kB of SQL whose planning took ~0.25 s of every build where the check fires
        return f"CASE WHEN {escaped(c)} THEN list_transform([{decode(_col(c))}], _d -> CASE WHEN _d <> {_col(c)} THEN '{c}=' || _d END)[1] END"
    parts = ", ".join(part(c) for c in cols)
    return f"list_transform([[{parts}]], _p -> CASE WHEN list_count(_p) > 0 THEN '{lead}' || array_to_string(_p, '{sep}') END)[1]"


def _escape_check(cid: str, title_zh: str, title_en: str, explain_zh: str, explain_en: str, cols, escaped, decode,
                  decodable, todo_zh: str, todo_en: str, shows) -> Check:
    """A check for escape codes a tool wrote into texts: flagged where `escaped` finds one in any of `cols`,
    its fix each column as `decode` reads it (_unescaped_fix), judged whatever the yardstick (profiles.ROW_SHAPE)."""
    return Check(cid, "vocabulary", "warning", title_zh, title_en, explain_zh, explain_en,
                 " OR ".join(escaped(c) for c in cols),
                 _unescaped_fix("；", "改為：", cols, escaped, decode, decodable),
                 fix_en=_unescaped_fix("; ", "Should read: ", cols, escaped, decode, decodable), tables=ALL_TABLES,
                 todo_zh=todo_zh, todo_en=todo_en, shows=shows)


CHECKS.append(_escape_check(
    "TEXT_ESCAPED_UNICODE", "文字含 R 的跳脫碼（字被寫成代碼）", "Text holds R escape codes (<U+XXXX>)",
    "文字欄含有「<U+」開頭的代碼：R 在 Windows（Big5 語系）存檔時，把 Big5 沒有的字（鴴、鸊、鷉、䴉…）寫成代碼，名稱因此失真、無法比對。",
    "A text holds codes such as <U+9D34>: R on Windows under a Big5 locale writes every character Big5 lacks (鴴, 鸊, 鷉, 䴉 …) "
    "that way, so the name is garbled and matches nothing.",
    ESCAPE_COLS, _escaped, unescape_r, R_DECODABLE_RX,
    "請對照原始資料，把代碼換回原來的字。", "Put the characters the codes stand for back, from the original data.",
    ("vernacularName", "recordedBy", "verbatimLocality", "occurrenceRemarks")))

# a web export's HTML escapes: the texts above, and the authorship a checklist export carries (TaiCOL's 2022
# exports: 85 authors such as "Matsui &amp; Tominaga, 2020" in the four animal files)
HTML_COLS = ESCAPE_COLS + ("scientificNameAuthorship",)


def _html_escaped(col: str) -> str:
    # contains() first: a regex on every text of every record would cost the record pass (#14)
    return f"(contains({_col(col)}, '&') AND regexp_matches({_col(col)}, '{HTML_ENTITY_RX}'))"


CHECKS.append(_escape_check(
    "TEXT_HTML_ENTITY", "文字含 HTML 跳脫碼（如 &amp;）", "Text holds HTML escape codes (such as &amp;)",
    "文字欄含有 &amp;、&#39; 這類 HTML 跳脫碼：從網頁或系統匯出時沒有還原，畫面與比對看到的是代碼而不是字（& 寫成 &amp;）。",
    "A text holds HTML escape codes such as &amp; or &#39;: a web page or system exported it without turning them back, so "
    "what is shown and compared is the code, not the character (& written as &amp;).",
    # decodability by comparison: its rows are few (TaiCOL's amphibians: 11 of 43), a regex of the valid
    # decimal code points would be long
    HTML_COLS, _html_escaped, unescape_html, None,
    "請把跳脫碼換回原來的字（&amp; 改為 &），再重新匯出。", "Turn the escape codes back into characters (&amp; into &) and export again.",
    ("scientificNameAuthorship", "vernacularName", "recordedBy", "locality", "verbatimLocality", "occurrenceRemarks")))

FAMILY = Family("vocabulary", tuple(CHECKS), DERIVATION)
