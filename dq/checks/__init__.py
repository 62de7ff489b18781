"""The check catalogue: every check declared once, like GBIF's OccurrenceIssue enum.

One module per check family (dq/checks/<family>.py) holds, in this order, the family's
derivation (what it computes once per distinct value at snapshot time, and the columns it adds
to the record view `e`) and then the checks that read those columns. A check is a SQL predicate
over `e` and an optional SQL expression for the suggested fix. dq/engine.py only runs families:
it knows no check. Docs, the Rules page and the reports are generated from these declarations,
so they cannot disagree with what runs.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Callable

from .. import standard

DIMENSIONS = ["completeness", "coordinates", "taxonomy", "time", "vocabulary", "duplicates", "open_data"]
DIMENSION_ZH = {"completeness": "完整度", "coordinates": "坐標", "taxonomy": "分類", "time": "時間",
                "vocabulary": "詞彙", "duplicates": "重複", "open_data": "開放資料"}
SEVERITIES = ["error", "warning", "info"]
# the order lists and fix lists give findings in: errors first
SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}
ALL_TABLES = (standard.OCCURRENCE, standard.PROJECT, standard.SPECIES_LIST)
# A value can only be blank if it is empty or starts with a control character or space (code
# points up to 32), a no-break space (U+00A0) or a full-width space (U+3000). blank() answers
# "filled" from that first code point for the millions of ordinary values, inside a CASE, so the
# whitespace regex runs only on the rare candidates: measured 2.7x cheaper than the same test as
# OR/AND of byte-range comparisons (DuckDB evaluates both sides of those), and blank() runs on
# every field of every record in the completeness checks and the filled-field mask.
_WS = "'[\\s\\x{{3000}}\\x{{a0}}]*'"


def blank(col: str) -> str:
    """SQL: the cell is NULL, empty or only whitespace (incl. the full-width space 　)."""
    return (f"({col} IS NULL OR CASE WHEN unicode({col}) > 32 AND unicode({col}) NOT IN (160, 12288) THEN false "
            f"ELSE regexp_full_match({col}, {_WS.format()}) END)")


def filled(col: str) -> str:
    return f"(NOT {blank(col)})"


# What an export writes for an empty cell (R's NA, pandas' NaN and None, SQL's NULL, N/A, dashes, question
# marks): a regex alternation, read case-insensitively. A time made of them (BBS Taiwan's NA:NA+0800,
# checks/time.py) and a vernacular name that is one (checks/taxonomy.py) are stand-ins, not values.
STAND_IN_RX = r"na|n/a|nan|none|null|-+|\?+"


# The canonical terms a pass may read per record as numbers: a kept Parquet input's DOUBLE column is
# given as the number (`_n_<term>`, NULL otherwise) and any other source's text as `_t_<term>` (NULL where
# the number is given), beside the term's text. A key or a blank test reads the two parts; the text of the
# number (float_text, ~0.45 CPU s per column per 10M records) is made once per distinct value instead.
NUM_TERMS = ("decimalLongitude", "decimalLatitude", "coordinateUncertaintyInMeters")


def num_part(term: str, part: str) -> str:
    """The name of a term's number ('n') or text ('t') part."""
    return f"_{part}_{term}"


def num_text(term: str, o: str = "o.") -> str:
    """SQL: the term's text from its two parts (the text the source gives, or the number's: float_text)."""
    from ..sources.parquet import float_text
    return f"coalesce({o}{num_part(term, 't')}, {float_text(o + num_part(term, 'n'))})"


def num_filled(term: str, o: str = "o.") -> str:
    """SQL: the term is filled, from its two parts (a number is never blank)."""
    return f"({o}{num_part(term, 'n')} IS NOT NULL OR {filled(o + num_part(term, 't'))})"


# past this many terms a chain of AND / OR / + exceeds DuckDB's expression depth: one flat list test
CHAIN_MAX = 300


def cells_sql(cols: list[str], test: str) -> str:
    """SQL over a row's cells (`cols`: quoted column expressions): 'all_blank' (every cell blank),
    'any_filled' (some cell filled) or 'filled' (how many are). A chain of AND / OR (which stop early)
    or + for ordinary widths; for thousands of columns one list test over them all."""
    if not cols:
        return "0" if test == "filled" else "false"
    if len(cols) <= CHAIN_MAX:
        if test == "all_blank":
            return " AND ".join(blank(c) for c in cols)
        if test == "any_filled":
            return " OR ".join(f"NOT {blank(c)}" for c in cols)
        return " + ".join(f"(NOT {blank(c)})::INT" for c in cols)
    n = f"len(list_filter([{', '.join(cols)}], x -> NOT {blank('x')}))"
    return {"all_blank": f"{n} = 0", "any_filled": f"{n} > 0", "filled": n}[test]


# CJK compatibility ideographs, the block and its supplement: one glyph, another character (蘭 U+F91F
# for 蘭 U+862D), so searches, matching and counts miss the text. Big5 conversions leave them: TaiCOL's
# 2020 plant list (32 Chinese names), TaiBON's name lists, 137 titles of data.gov.tw's 2018 list.
COMPAT_RX = "[\\x{F900}-\\x{FAFF}\\x{2F800}-\\x{2FA1F}]"


def compat_chars_sql(col: str) -> str:
    """SQL: NULL, or the compatibility ideographs of the text `col` each with its code point and the
    standard character NFC gives ("蘭 U+F91F → 蘭 U+862D、…"). The few code points of the block that are
    unified ideographs themselves (﨎 U+FA0E) are not changed by NFC and not named."""
    chars = (f"list_sort(list_distinct(list_filter(regexp_extract_all({col}, '{COMPAT_RX}'), c -> nfc_normalize(c) <> c)))")
    each = "c -> c || ' U+' || upper(hex(unicode(c))) || ' → ' || nfc_normalize(c) || ' U+' || upper(hex(unicode(nfc_normalize(c))))"
    return (f"(CASE WHEN regexp_matches({col}, '{COMPAT_RX}') THEN "
            f"nullif(array_to_string(list_transform({chars}, {each}), '、'), '') END)")


def codepoint_chr(n: str) -> str:
    """SQL: the character of code point `n`, NULL for a number that names none a text should hold. DuckDB's
    chr() raises on a surrogate (U+D800-DFFF) or a number beyond U+10FFFF: one such escape in a cell stopped a
    whole file ("Invalid UTF8 Codepoint 55296"). Control characters (but tab and line ends) are none either:
    decoded into a fix, a C0 control made openpyxl refuse the fix list's workbook, and DEL or a C1 control
    (U+0080-009F; <U+0096> is what mis-decoded Windows-1252 leaves) would be an invisible character in it."""
    return (f"(CASE WHEN ({n} BETWEEN 32 AND 1114111 AND {n} NOT BETWEEN 127 AND 159 AND {n} NOT BETWEEN 55296 AND 57343) "
            f"OR {n} IN (9, 10, 13) THEN chr({n}) END)")


def unescape_r(col: str) -> str:
    """SQL: the text with R's <U+XXXX> escapes turned back into characters ('小<U+9E0A><U+9DC9>' → '小鸊鷉').

    R on Windows under a Big5 locale writes every character Big5 lacks (鴴, 鸊, 鷉, 䴉 …) that way.
    The split is only done on texts that hold an escape; a malformed one (or one naming no character,
    <U+D800>) is left as it was."""
    code = codepoint_chr("TRY_CAST(('0x' || split_part(x, '>', 1)) AS INTEGER)")
    # an escape never closed ('<U+41' at a cell's end) names nothing: left as written, not read as 'A41'
    dec = ("array_to_string(list_transform(string_split({c}, '<U+'), (x, i) -> CASE WHEN i = 1 THEN x "
           "WHEN strpos(x, '>') = 0 THEN '<U+' || x ELSE "
           f"coalesce({code} || substr(x, strpos(x, '>') + 1), '<U+' || x) END), '')")
    return f"(CASE WHEN contains({col}, '<U+') THEN {dec.format(c=col)} ELSE {col} END)"


# the HTML escapes a web export leaves in a text (TaiCOL's 2022 exports write "Matsui &amp; Tominaga, 2020"):
# the named ones of HTML's XML core and the numeric ones; a bare "&" (AT&T; "Matsui & Tominaga") is none
HTML_ENTITY_RX = "&(?:amp|lt|gt|quot|apos|nbsp|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});"


def _cp1252_sql() -> str:
    """SQL list of what a browser reads &#128; … &#159; as (Windows-1252: &#150; is '–', &#146; is '’'; HTML's
    rule for those numbers), NULL where Windows-1252 has no character."""
    def one(i: int) -> str:
        try:
            return "'" + bytes([i]).decode("cp1252").replace("'", "''") + "'"
        except UnicodeDecodeError:
            return "NULL"
    return "[" + ", ".join(one(i) for i in range(128, 160)) + "]::VARCHAR[]"


def unescape_html(col: str) -> str:
    """SQL: the text with its HTML escapes turned back into characters, as a browser shows it ('Matsui &amp;
    Tominaga' → 'Matsui & Tominaga', '&#39;' → "'", '&amp;lt;' → '&lt;'). The text is split at every "&" and
    each piece's leading escape read once, so a decoded "&" (&amp;lt;, &#38;lt;) never starts another escape:
    one level, as a browser (html.unescape) reads it. An escape naming no character stays as written."""
    # a number of Windows-1252's range as a browser reads it (&#150; and &#x96; are '–', not the control U+0096)
    def number(n: str) -> str:
        # the number is bound once (a one-item list's lambda): written out at each of its eight uses, the
        # decoding of one column was ~3.5 kB of SQL, and TEXT_HTML_ENTITY's fixes over twelve columns in two
        # languages ~180 kB, whose planning took ~0.45 s of every build where the check fires
        return (f"list_transform([{n}], _cp -> CASE WHEN _cp BETWEEN 128 AND 159 THEN ({_cp1252_sql()})[_cp - 127] "
                f"ELSE {codepoint_chr('_cp')} END)[1]")
    dec = number("TRY_CAST(substr(split_part(x, ';', 1), 2) AS INTEGER)")
    hexa = number("TRY_CAST(('0x' || substr(split_part(x, ';', 1), 3)) AS INTEGER)")
    rest = "substr(x, strpos(x, ';') + 1)"
    named = " ".join(f"WHEN starts_with(x, '{name};') THEN {ch} || {rest}" for name, ch in
                     (("amp", "'&'"), ("lt", "'<'"), ("gt", "'>'"), ("quot", "'\"'"), ("apos", "''''"), ("nbsp", "chr(160)")))
    parts = (f"array_to_string(list_transform(string_split({col}, '&'), (x, i) -> CASE WHEN i = 1 THEN x {named} "
             f"WHEN regexp_matches(x, '^#[0-9]{{1,7}};') THEN coalesce({dec} || {rest}, '&' || x) "
             f"WHEN regexp_matches(x, '^#[xX][0-9a-fA-F]{{1,6}};') THEN coalesce({hexa} || {rest}, '&' || x) "
             "ELSE '&' || x END), '')")
    return f"(CASE WHEN contains({col}, '&') THEN {parts} ELSE {col} END)"


@dataclasses.dataclass(frozen=True)
class Param:
    """A typed threshold of a check: its value is the one the check's SQL was built with."""
    name: str
    value: float | int
    unit: str            # 'm', 'year', 'score', 'factor' …
    zh: str
    en: str

    def __str__(self) -> str:
        v = f"{self.value:,.0f}" if isinstance(self.value, (int, float)) and float(self.value).is_integer() else f"{self.value}"
        return f"{self.name} = {v} {self.unit}".strip()


@dataclasses.dataclass(frozen=True)
class Check:
    id: str
    dimension: str
    severity: str
    title_zh: str
    title_en: str
    explain_zh: str
    explain_en: str
    sql: str                       # predicate over `e`; TRUE = the record has this problem
    fix: str | None = None         # SQL text expression: the suggested fix, shown to the user (zh-TW)
    tables: tuple[str, ...] = (standard.OCCURRENCE,)
    params: tuple[Param, ...] = ()  # the thresholds it uses, typed (shown on the Rules page)
    # The column(s) a "field is empty" check is about. When a file has none of them at all, the
    # check is one file-level finding (缺少欄位 X) for that file instead of a flag on every row.
    columns: tuple[str, ...] = ()
    # The columns whose values the fix list shows as the offending values (default: by dimension).
    shows: tuple[str, ...] = ()
    # What a data manager should check when there is no concrete fix (default: by dimension).
    todo_zh: str = ""
    todo_en: str = ""
    # the same fix in English (SQL text expression); a check with a fix has both
    fix_en: str | None = None

    def __post_init__(self):
        assert self.dimension in DIMENSIONS, self.id
        assert (self.fix is None) == (self.fix_en is None), f"{self.id}: fix and fix_en come together"
        assert self.severity in SEVERITIES, self.id
        assert all(isinstance(p, Param) for p in self.params), self.id

    def fix_for(self, lang: str = "zh") -> str | None:
        """The fix's SQL text expression in zh-TW or English (None: the check has no concrete fix)."""
        return self.fix_en if lang == "en" else self.fix

    @property
    def named_columns(self) -> tuple[str, ...]:
        """The columns a person can add to a file (not the tool's own, such as an SRS implied by headers)."""
        from ..sources.aliases import CANONICAL
        return tuple(c for c in self.columns if c in CANONICAL)

    @property
    def evidence(self) -> tuple[str, ...]:
        return self.shows or self.columns or SHOWS_BY_DIMENSION[self.dimension]

    def todo(self, lang: str = "zh") -> str:
        if lang == "en":
            return self.todo_en or TODO_BY_DIMENSION[self.dimension][1]
        return self.todo_zh or TODO_BY_DIMENSION[self.dimension][0]


@dataclasses.dataclass(frozen=True)
class Derivation:
    """What a family adds to the record view `e`, computed once per distinct value.

    The engine runs, for the families in order: every `derive(con, ctx)` (per-distinct tables,
    read from the canonical records `occ`); then the view `_ek` of `record_id` and every family's
    `record_cols` (keys into those tables and values computed from the record alone); then every
    `derive_keyed(con, ctx)` (tables that need `_ek`, each one streaming pass over it); then the
    view `e` = the record with its record_cols computed inline (a family names them `k.<name>`)
    + every family's `joins`, selecting `o.*` and every family's `columns`. No record-wide table is
    materialised: `e` is evaluated once, in the pass that writes occurrence.parquet.
    A family may read the tables and aliases of families listed before it.
    """
    record_cols: dict[str, str] = dataclasses.field(default_factory=dict)   # name → SQL over `o`
    derive: Callable[[Any, "DeriveContext"], None] | None = None
    derive_keyed: Callable[[Any, "DeriveContext"], None] | None = None
    joins: tuple[str, ...] = ()      # e.g. "LEFT JOIN _dk d ON d.dk = k.dk"
    # joins made after every family's `joins`: a lookup whose columns are lists or long texts that few
    # checks read. DuckDB carries a joined column through every later join of the record pass: the
    # place names' lookups (a list of counties per locality) made second cost the 10M bench's pass
    # ~2.5 of its ~22 CPU s more than made last. Never read by another join's condition.
    late_joins: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()    # e.g. "d.date_status"


@dataclasses.dataclass
class DeriveContext:
    snapshot_date: str
    params: Any                      # dq.geo.GeoParams
    progress: Callable[[str], None] = lambda m: None
    t0: float = 0.0
    # what the record's columns are written as where occ lacks them (engine.num_fold): a derivation
    # reading the number parts of NUM_TERMS from occ reads these in their place
    fold: dict = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class Family:
    name: str
    checks: tuple[Check, ...]
    derivation: Derivation = Derivation()


def families() -> list[Family]:
    """Every family, in derivation order (a family may read what an earlier one derived)."""
    from . import completeness, coordinates, duplicates, opendata, shape, taxonomy, time, vocabulary
    return [m.FAMILY for m in (coordinates, time, taxonomy, vocabulary, duplicates, completeness, shape, opendata)]


CATALOGUE_ORDER = ["completeness", "row_shape", "coordinates", "taxonomy", "time", "vocabulary", "duplicates", "open_data"]


# The verbatim columns a fix list shows for a check that names none of its own.
SHOWS_BY_DIMENSION = {
    "completeness": (), "open_data": (),
    "coordinates": ("decimalLatitude", "decimalLongitude", "verbatimLatitude", "verbatimLongitude", "verbatimSRS",
                    "coordinateUncertaintyInMeters", "verbatimLocality"),
    "taxonomy": ("scientificName", "vernacularName"),
    "time": ("eventDate", "year", "month", "day"),
    "vocabulary": ("basisOfRecord", "organismQuantity", "organismQuantityType", "selfProduced"),
    "duplicates": ("occurrenceID", "scientificName", "eventDate", "recordedBy"),
}
# The sentence a fix list carries when a check has no concrete fix for a record.
TODO_BY_DIMENSION = {
    "completeness": ("請對照原始紀錄補填此欄位。", "Fill this field in from the original record."),
    "coordinates": ("請對照原始紀錄（野帳、GPS 軌跡）確認坐標、坐標參考系統與誤差範圍。",
                    "Check the point, its coordinate system and uncertainty against the original record (field notes, GPS track)."),
    "taxonomy": ("請對照 TaiCOL 臺灣物種名錄確認學名拼寫與鑑定結果。",
                 "Check the name's spelling and the identification against the TaiCOL checklist."),
    "time": ("請對照原始紀錄確認調查日期（西元年-月-日）。", "Check the survey date (YYYY-MM-DD) against the original record."),
    "vocabulary": ("請依標準的控制詞彙或數值格式改寫此欄。", "Rewrite the value in the standard's vocabulary or number format."),
    "duplicates": ("請確認這些紀錄是否為同一筆；重複者刪除，不同者給不同編號。",
                   "Check whether these records are one; delete the copies or give distinct ones distinct ids."),
    "open_data": ("請確認資料集的詮釋資料。", "Check the dataset's metadata."),
}


def catalogue() -> list[Check]:
    fams = {f.name: f for f in families()}
    checks: list[Check] = []
    for name in CATALOGUE_ORDER:
        checks.extend(fams[name].checks)
    ids = [c.id for c in checks]
    dup = {i for i in ids if ids.count(i) > 1}
    assert not dup, f"check ids declared twice: {dup}"
    return checks


def by_id() -> dict[str, Check]:
    return {c.id: c for c in catalogue()}


def messages(table: str | None = None, lang: str = "zh") -> list[tuple[str, str, str, str, str]]:
    """(check id, severity, zh-TW message, message in `lang`, what to check in `lang`) for fix lists,
    optionally only the checks of one table kind."""
    out = []
    for c in catalogue():
        if table is None or table in c.tables:
            zh = c.title_zh + "：" + c.explain_zh
            out.append((c.id, c.severity, zh, (c.title_en + ": " + c.explain_en) if lang == "en" else zh, c.todo(lang)))
    return out


def load_messages(con, table: str | None = None, lang: str = "zh", name: str = "_meta") -> None:
    """The same as a temp table `name` (check_id, severity, message_zh, message, todo) to join fix lists against
    (`name` is our own constant, never a user's text)."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} (check_id VARCHAR, severity VARCHAR, message_zh VARCHAR, message VARCHAR, todo VARCHAR)")
    con.executemany(f"INSERT INTO {name} VALUES (?, ?, ?, ?, ?)", messages(table, lang))
