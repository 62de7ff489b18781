"""Date checks. Derivation: eventDate (or year/month/day) parsed once per distinct combination
(ISO dates, slashes, YYYYMMDD, partial dates, intervals, ROC 民國 years) into date_status and
event_date_parsed, eventTime once per distinct time into time_status and time_fix. Every parse is
failure-tolerant: an impossible date (1952-02-30, month 13) is DATE_INVALID on its record, never an
error that stops the run."""
from __future__ import annotations

from . import STAND_IN_RX, Check, Derivation, DeriveContext, Family, Param
from .completeness import NOT_PARENT

OLDEST = Param("MIN_YEAR", 1800, "year", "早於此年的日期視為過早", "dates before this year are implausibly old")
MIN_YEAR = OLDEST.value

FMTS = "['%Y-%m-%d', '%Y/%m/%d', '%Y%m%d', '%Y.%m.%d']"
PARTIAL = "['%Y-%m', '%Y/%m', '%Y']"
# year/month/day parts → a date or NULL (never make_date, which throws on 1952-02-30)
YMD = ("try_strptime(lpad(CAST(try_cast({y} AS INT) AS VARCHAR), 4, '0') || '-' || CAST(try_cast({m} AS INT) AS VARCHAR) || '-' "
       "|| CAST(try_cast({d} AS INT) AS VARCHAR), '%Y-%m-%d')::DATE")


# the date text gives a month: YYYY-MM…, YYYY/MM…, YYYY.MM…, YYYY年M月…, 民國 99/6…, YYYYMMDD or an ROC
# YYYMMDD (a month column is tested apart)
def has_month(col: str) -> str:
    return (f"(regexp_matches(coalesce({col}, ''), '^\\s*((中華)?民國\\s*)?\\d{{1,4}}\\s*[-/.年]\\s*\\d{{1,2}}') "
            f"OR regexp_matches(coalesce({col}, ''), '^\\s*\\d{{7,8}}'))")


def normalised(col: str) -> str:
    """SQL: a date text in the slash form the parse reads. A time of day is dropped; the forms Taiwan's
    spreadsheets and forms write are rewritten: 2010年4月9日 (Excel's zh-TW long date), 99年6月12日,
    民國99/4/9 and 民國99年 (the prefix goes; the year stays ROC: ROC_MARK). The seven digits of an ROC date
    run together are roc_digits' (over this text's column: its test reads the text three times)."""
    # Excel's zh-TW date-time writes 上午/下午 before the time (2010/4/9 下午 03:15:00)
    x = f"regexp_replace(trim({col}), '\\s*[上下]午\\s*(\\d{{1,2}}:)', ' \\1', 'g')"
    x = f"regexp_replace({x}, '[T ]\\d{{1,2}}:\\d{{2}}[^/]*', '', 'g')"
    x = f"regexp_replace({x}, '^(中華)?民國\\s*', '')"
    x = f"regexp_replace({x}, '^(\\d{{1,4}})\\s*年\\s*(\\d{{1,2}})\\s*月\\s*(\\d{{1,2}})\\s*日?$', '\\1/\\2/\\3')"
    x = f"regexp_replace({x}, '^(\\d{{1,4}})\\s*年\\s*(\\d{{1,2}})\\s*月$', '\\1/\\2')"
    return f"regexp_replace({x}, '^(\\d{{1,4}})\\s*年$', '\\1')"


def roc_digits(col: str) -> str:
    """SQL: `col` (a normalised date text) with the seven digits of an ROC date run together in the slash form
    (1061013 = 民國 106 年 10 月 13 日; a Gregorian date has eight), only up to this year's ROC year (1990612 is
    no ROC date of 2110)."""
    return (f"CASE WHEN regexp_matches({col}, '^[01]\\d{{6}}$') AND try_cast(left({col}, 3) AS INT) <= year(current_date) - 1911 "
            f"THEN regexp_replace({col}, '^([01]\\d{{2}})(\\d{{2}})(\\d{{2}})$', '\\1/\\2/\\3') ELSE {col} END")


# the text says its year is an ROC year even without a day (民國 99, 99年6月): a year of 1-3 digits
# with 年 is never Gregorian; without either mark, "99/6" or "112" is left as it reads
ROC_MARK = "regexp_matches(trim(date_txt), '^(中華)?民國|^\\d{1,3}\\s*年')"


def _ymd(y: str, m: str, d: str) -> str:
    return YMD.format(y=y, m=m, d=d)


BLANK_DATE = "(date_txt IS NULL OR trim(date_txt) = '')"


def excel_serial(col: str) -> str:
    """SQL: the date an Excel date serial stands for (43466 → 2019-01-01), else NULL. A workbook's date
    column formatted as General or Number, or saved from it as CSV, holds these day numbers (days since
    1899-12-30, Excel's own count, which is right from 1 March 1900 on); a time of day is the fraction.
    Only five digits from 18264 (1950-01-01) up to today are read so: below it, five digits are as likely an
    ROC year and month run together (10805 = 民國 108 年 5 月, not 1929-07-31), which stays DATE_INVALID."""
    n = f"try_cast(regexp_extract({col}, '^(\\d{{5}})(\\.\\d+)?$', 1) AS INTEGER)"
    return (f"(CASE WHEN {n} BETWEEN 18264 AND current_date - DATE '1899-12-30' "
            f"THEN DATE '1899-12-30' + {n} END)")


# eventTime: ISO 8601 as Darwin Core asks (14:07-0600, 08:40:21Z, 13:00:00Z/15:30:00Z): hh, hh:mm or
# hh:mm:ss[.s] (or the basic hhmm[ss]), an optional T, and an optional zone (Z, ±hh, ±hh:mm, ±hhmm); an
# interval is two of them
_ISO_TIME = (r"T?(([01]\d|2[0-3])(:[0-5]\d(:[0-5]\d([.,]\d+)?)?)?|([01]\d|2[0-3])[0-5]\d([0-5]\d([.,]\d+)?)?|24:00(:00)?)"
             r"(Z|[+-]([01]\d|2[0-3])(:?[0-5]\d)?)?")
_T = "trim(time_txt)"
# a time written with the placeholder of a missing value: BBS Taiwan's events export "NA:NA+0800" (R's NA
# pasted into the hh:mm of a visit whose time was not noted: 801 of its 423,119 events)
_T_PLACEHOLDER = rf"regexp_matches({_T}, '^(?i)({STAND_IN_RX})([:：/ ]+({STAND_IN_RX}))*([+-]\d{{2}}:?\d{{2}}|Z)?$')"
# what a form or spreadsheet writes instead (7:30, 07:30:5, 下午 3:15, 3:15 PM, 7時30分): the hour, minute, second and
# 12-hour mark, read only when they are the whole text
_T_LOOSE = (rf"regexp_extract({_T}, '^(?i)(上午|下午|AM|PM)?\s*(\d{{1,2}})\s*[:：時點]\s*(\d{{1,2}})\s*分?(?:\s*[:：]\s*(\d{{1,2}})\s*秒?)?\s*(上午|下午|AM|PM)?$', "
            "['ap', 'h', 'm', 's', 'ap2'])")
TIME_STATUS = (f"CASE WHEN time_txt IS NULL OR {_T} = '' THEN NULL "
               f"WHEN regexp_full_match({_T}, '{_ISO_TIME}(/{_ISO_TIME})?') THEN 'ok' "
               f"WHEN {_T_PLACEHOLDER} THEN 'placeholder' ELSE 'invalid' END")


def _time_fix(x: str) -> str:
    """SQL: a loose time (7:30, 下午 3:15, 3:15 PM, 7時30分), whose parts (_T_LOOSE) are the column `x`, as the
    hh:mm[:ss] it stands for, else NULL. A 12-hour form (上午/下午, AM/PM) is read by its mark; an hour, minute or
    second out of range gives NULL."""
    ap = f"upper(coalesce(nullif({x}.ap, ''), {x}.ap2))"
    h = f"try_cast({x}.h AS INT)"
    hour = f"CASE WHEN {ap} IN ('下午', 'PM') AND {h} BETWEEN 1 AND 11 THEN {h} + 12 WHEN {ap} IN ('上午', 'AM') AND {h} = 12 THEN 0 ELSE {h} END"
    m, sec = f"try_cast({x}.m AS INT)", f"try_cast(nullif({x}.s, '') AS INT)"
    ok = (f"{x}.h <> '' AND {hour} BETWEEN 0 AND 23 AND {m} BETWEEN 0 AND 59 AND coalesce({sec}, 0) BETWEEN 0 AND 59 "
          f"AND ({ap} = '' OR {h} BETWEEN 1 AND 12)")
    return (f"CASE WHEN {ok} THEN lpad(({hour})::VARCHAR, 2, '0') || ':' || lpad({m}::VARCHAR, 2, '0') "
            f"|| coalesce(':' || lpad({sec}::VARCHAR, 2, '0'), '') END")


# per distinct time of `_dt5`: its status, and for an invalid one the fix (the loose parts read once)
TIMES_SQL = (f"SELECT time_txt, time_status, CASE WHEN time_status = 'invalid' THEN {_time_fix('loose')} END AS time_fix "
             f"FROM (SELECT time_txt, {TIME_STATUS} AS time_status, {_T_LOOSE} AS loose FROM (SELECT DISTINCT time_txt FROM _dt5))")


# an A/B interval of two full dates (over a distinct date's slash-split text `parts`)
INTERVAL = f"len(parts) = 2 AND try_strptime(parts[1], {FMTS}) IS NOT NULL AND try_strptime(parts[2], {FMTS}) IS NOT NULL"


def _invalid_fix(lang: str) -> str:
    """SQL over a distinct date of `_dates` (its status, `parts` and the parts `g` it was written with): what is
    wrong with a date that cannot be read, where that can be said: "Write it as YYYY-MM-DD" was the fix of
    2023-02-30, which is written so (a walk); the reversed interval's fix is the interval turned round."""
    swapped = f"strftime({_ymd('g.y', 'g.d', 'g.m')}, '%Y-%m-%d')"
    first = _ymd("g.y", "g.m", "1")      # never make_date: it throws where a conjunction is evaluated out of order
    days = f"day(last_day({first}))"
    # a month that is none (13, 0), with the swapped date only where a day was given; a day past its month's end.
    # Anything else (2023/01-15, a month written May) is left to the general fix
    bad_month = "g.y BETWEEN 1 AND 9999 AND g.m IS NOT NULL AND NOT g.m BETWEEN 1 AND 12"
    bad_day = f"g.y BETWEEN 1 AND 9999 AND g.m BETWEEN 1 AND 12 AND g.d IS NOT NULL AND NOT g.d BETWEEN 1 AND {days}"
    if lang == "zh":
        return f"""CASE WHEN date_status <> 'invalid' THEN NULL
            WHEN {INTERVAL} THEN '區間起日晚於迄日：請改為 ' || parts[2] || '/' || parts[1]
            WHEN {bad_month} THEN '沒有 ' || g.m || ' 月（月份是 1–12）'
                 || coalesce('；若是日、月對調，應為 ' || {swapped}, '') || '：請依原始紀錄更正'
            WHEN {bad_day} THEN g.y || ' 年 ' || g.m || ' 月沒有 ' || g.d || ' 日（該月只有 ' || {days} || ' 日）：請依原始紀錄更正'
            END"""
    return f"""CASE WHEN date_status <> 'invalid' THEN NULL
        WHEN {INTERVAL} THEN 'The interval starts after it ends: write it as ' || parts[2] || '/' || parts[1]
        WHEN {bad_month} THEN 'There is no month ' || g.m || ' (months are 1–12)'
             || coalesce('; if day and month are swapped, it is ' || {swapped}, '') || ': correct it from the original record'
        WHEN {bad_day} THEN strftime({first}, '%B %Y') || ' has no day ' || g.d
             || ' (it has ' || {days} || ' days): correct it from the original record'
        END"""


def derive(con, ctx: DeriveContext) -> None:
    blank_date = BLANK_DATE
    # the year, month and day columns (a month or day left blank: the first)
    def parts(year: str) -> str:
        return _ymd(year, "coalesce(nullif(trim(month_txt), ''), '1')", "coalesce(nullif(trim(day_txt), ''), '1')")
    from_parts = parts("year_txt")
    roc = _ymd("try_cast(ymd.y AS INT) + 1911", "ymd.m", "ymd.dd")
    # 民國99年6月 or 民國99年: the month's (or the year's) first day, as for a Gregorian YYYY-MM
    roc_ym = _ymd("try_cast(rym.y AS INT) + 1911", "coalesce(nullif(rym.m, ''), '1')", "1")
    # a year column of ROC years (97-105: a survey's 民國年), with its month and day columns: from ROC 40
    # (1951) to this year's; below that a two-digit year is as likely Gregorian (18 for 2018) and is not read
    roc_year = "try_cast(trim(year_txt) AS INT) BETWEEN 40 AND year(current_date) - 1911"
    from_roc_parts = parts("try_cast(trim(year_txt) AS INT) + 1911")
    serial = excel_serial("d0")
    # one scan of the records: the distinct dates with their times of day (a survey's visits give a
    # few hundred dates, each at a few dozen times); the dates are parsed once per date, the times once per time
    con.execute("""CREATE OR REPLACE TEMP TABLE _dt5 AS SELECT DISTINCT eventDate AS date_txt, "year" AS year_txt,
        "month" AS month_txt, "day" AS day_txt, eventTime AS time_txt FROM occ""")
    con.execute(f"CREATE OR REPLACE TEMP TABLE _times AS {TIMES_SQL}")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _dates AS
      WITH d AS (SELECT DISTINCT date_txt, year_txt, month_txt, day_txt FROM _dt5),
      p0 AS (SELECT *, {normalised('date_txt')} AS d_, {ROC_MARK} AS roc_mark FROM d),
      p AS (SELECT * EXCLUDE (d_), {roc_digits('d_')} AS d0 FROM p0),
      q AS (SELECT *, string_split(d0, '/') AS parts,
             regexp_extract(d0, '^(\\d{{2,4}})[/.\\-](\\d{{1,2}})[/.\\-](\\d{{1,2}})$', ['y', 'm', 'dd']) AS ymd,
             regexp_extract(d0, '^(\\d{{1,3}})(?:[/.\\-](\\d{{1,2}}))?$', ['y', 'm']) AS rym FROM p),
      -- the year, month and day a date that does not exist was written with (2023-02-30, 2023-13-01, 民國112/2/30,
      -- 20230230, or the year/month/day columns), for a fix that says what is wrong with it
      g AS (SELECT *, CASE
              -- a month or day left blank is the first (as the parse reads it); one that cannot be read, no month
              WHEN {blank_date} THEN struct_pack(y := try_cast(trim(year_txt) AS BIGINT) + CASE WHEN {roc_year} THEN 1911 ELSE 0 END,
                                                m := CASE WHEN nullif(trim(month_txt), '') IS NULL THEN 1 ELSE try_cast(trim(month_txt) AS INT) END,
                                                d := try_cast(trim(day_txt) AS INT))
              WHEN ymd.y <> '' THEN struct_pack(y := try_cast(ymd.y AS BIGINT) + CASE WHEN try_cast(ymd.y AS INT) BETWEEN 1 AND 200 THEN 1911 ELSE 0 END,
                                               m := try_cast(ymd.m AS INT), d := try_cast(ymd.dd AS INT))
              WHEN regexp_matches(d0, '^\\d{{8}}$') THEN struct_pack(y := try_cast(d0[1:4] AS BIGINT), m := try_cast(d0[5:6] AS INT),
                                                                    d := try_cast(d0[7:8] AS INT)) END AS g FROM q)
      SELECT date_txt, year_txt, month_txt, day_txt,
        CASE WHEN {serial} IS NOT NULL THEN 'excel_serial'
             WHEN {blank_date} AND try_cast(year_txt AS INT) IS NULL THEN 'missing'
             WHEN {blank_date} AND {roc_year} THEN CASE WHEN {from_roc_parts} IS NULL THEN 'invalid' ELSE 'roc' END
             WHEN {blank_date} THEN CASE WHEN {from_parts} IS NULL THEN 'invalid' ELSE 'ok' END
             WHEN ymd.y <> '' AND try_cast(ymd.y AS INT) BETWEEN 1 AND 200 THEN CASE WHEN {roc} IS NULL THEN 'invalid' ELSE 'roc' END
             WHEN roc_mark AND rym.y <> '' THEN CASE WHEN {roc_ym} IS NULL THEN 'invalid' ELSE 'roc' END
             WHEN {INTERVAL}
                  THEN CASE WHEN try_strptime(parts[1], {FMTS}) > try_strptime(parts[2], {FMTS}) THEN 'invalid' ELSE 'ok' END
             WHEN try_strptime(d0, {FMTS}) IS NOT NULL THEN 'ok'
             WHEN try_strptime(d0, {PARTIAL}) IS NOT NULL THEN 'ok'
             ELSE 'invalid' END AS date_status,
        CASE WHEN {serial} IS NOT NULL THEN {serial}
             WHEN ymd.y <> '' AND try_cast(ymd.y AS INT) BETWEEN 1 AND 200 THEN {roc}
             WHEN roc_mark AND rym.y <> '' THEN {roc_ym}
             WHEN {blank_date} AND {roc_year} THEN {from_roc_parts}
             WHEN {blank_date} THEN {from_parts}
             WHEN {INTERVAL} THEN try_strptime(parts[1], {FMTS})::DATE
             ELSE coalesce(try_strptime(d0, {FMTS}), try_strptime(d0, {PARTIAL}))::DATE END AS event_date_parsed,
        -- what the date text says, for its agreement with the year/month/day columns: an interval's end, and
        -- whether it names a day (a full date or an interval), a month (YYYY-MM) or the year alone
        CASE WHEN {INTERVAL} THEN try_strptime(parts[2], {FMTS})::DATE END AS date_end,
        CASE WHEN ({INTERVAL}) OR try_strptime(d0, {FMTS}) IS NOT NULL THEN 'day'
             WHEN try_strptime(d0, ['%Y-%m', '%Y/%m']) IS NOT NULL THEN 'month' ELSE 'year' END AS date_prec,
        {_invalid_fix('zh')} AS date_fix, {_invalid_fix('en')} AS date_fix_en
      FROM g""")
    # date_has_month: the text names a month (TBIA's gold tier asks for one), tested once per distinct date
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _dk AS
        WITH d AS (SELECT hash(date_txt, year_txt, month_txt, day_txt) AS d4, date_status, event_date_parsed,
                   -- a month named by the date text, a month column beside a blank date, or an Excel day number
                   ({has_month('date_txt')} OR date_status = 'excel_serial'
                    OR coalesce({blank_date} AND try_cast(trim(month_txt) AS INT) BETWEEN 1 AND 12, false)) AS date_has_month,
                   {blank_date} AND date_status IN ('ok', 'roc', 'invalid') AS date_from_parts, date_prec,
                   {PARTS_DISAGREE} AS date_parts_disagree, date_fix, date_fix_en FROM _dates)
        SELECT hash(x.date_txt, x.year_txt, x.month_txt, x.day_txt, x.time_txt) AS dk, d.* EXCLUDE (d4), t.time_status, t.time_fix
        FROM _dt5 x JOIN d ON d.d4 = hash(x.date_txt, x.year_txt, x.month_txt, x.day_txt)
        LEFT JOIN _times t ON t.time_txt IS NOT DISTINCT FROM x.time_txt""")


# eventDate read, and a year, month or day column that says otherwise (GBIF's RECORDED_DATE_MISMATCH):
# the year within the date's span (or that year in ROC years, 112 for 2023), the month where the date
# names one month, the day where it names one day
_S, _E = "event_date_parsed", "coalesce(date_end, event_date_parsed)"
PARTS_DISAGREE = f"""(date_status = 'ok' AND NOT {BLANK_DATE} AND (
    (try_cast(trim(year_txt) AS INT) IS NOT NULL AND NOT (try_cast(trim(year_txt) AS INT) BETWEEN year({_S}) AND year({_E})
        OR try_cast(trim(year_txt) AS BIGINT) + 1911 BETWEEN year({_S}) AND year({_E})))
    OR (try_cast(trim(month_txt) AS INT) IS NOT NULL AND date_prec <> 'year' AND date_trunc('month', {_S}) = date_trunc('month', {_E})
        AND try_cast(trim(month_txt) AS INT) <> month({_S}))
    OR (try_cast(trim(day_txt) AS INT) IS NOT NULL AND date_prec = 'day' AND {_S} = {_E}
        AND try_cast(trim(day_txt) AS INT) <> day({_S}))))"""


DERIVATION = Derivation(
    record_cols={"dk": 'hash(o.eventDate, o."year", o."month", o."day", o.eventTime)'},
    derive=derive,
    joins=("LEFT JOIN _dk d ON d.dk = k.dk",),
    columns=("d.date_status", "d.event_date_parsed", "d.date_has_month", "d.date_parts_disagree", "d.date_from_parts", "d.date_prec",
             "d.time_status", "d.time_fix", "d.date_fix", "d.date_fix_en"),
)

CHECKS = [
    Check("DATE_MISSING", "time", "error", "缺少日期", "Date missing",
          "eventDate 與 year 都是空白。", "Both eventDate and year are empty.",
          f"e.date_status = 'missing' AND {NOT_PARENT}", columns=("eventDate", "year")),
    Check("DATE_INVALID", "time", "error", "日期無法解讀", "Date cannot be read",
          "日期不是可辨識的格式（YYYY-MM-DD、YYYY/MM/DD、YYYYMMDD、區間 A/B…）、是不存在的日子（2 月 30 日、13 月），或區間起日晚於迄日。",
          "The date is not a recognised form (YYYY-MM-DD, YYYY/MM/DD, YYYYMMDD, an A/B interval…), is a day that does not exist "
          "(30 February, month 13), or is an interval that starts after it ends.",
          "e.date_status = 'invalid'", "coalesce(e.date_fix, '改為 YYYY-MM-DD')", fix_en="coalesce(e.date_fix_en, 'Write it as YYYY-MM-DD')"),
    Check("DATE_FUTURE", "time", "error", "日期在未來", "Date in the future",
          "日期晚於快照日期。", "The date is after the snapshot date.",
          "e.event_date_parsed > e.snapshot_date"),
    Check("DATE_TOO_OLD", "time", "warning", "日期過早", "Implausibly old date",
          f"日期早於 {MIN_YEAR} 年。", f"The date is before {MIN_YEAR}.",
          f"year(e.event_date_parsed) < {MIN_YEAR}", params=(OLDEST,)),
    Check("DATE_ROC_YEAR", "time", "error", "日期用民國年", "Date in ROC (民國) years",
          "年份是民國年（例如 0112-05-01、112/05/01、112年5月1日、1120501，或年欄寫 112）：Darwin Core 要西元年，已換算為西元日期使用。",
          "The year is an ROC (民國) year (e.g. 0112-05-01, 112/05/01, 112年5月1日, 1120501, or 112 in the year column): Darwin Core asks for the "
          "Gregorian year; the converted date is used.",
          "e.date_status = 'roc'",
          # a year alone (a year column, 0112) gives no month or day: its fix is the year, not a date on 1 January.
          # Told by the derived date_has_month, and the year by strftime: a fix naming a verbatim column (eventDate,
          # or "year", which DuckDB's year() reads as) makes its flags join the source texts (10M bench: 3.5 → 13.4 s)
          "CASE WHEN coalesce(e.date_from_parts, false) OR NOT coalesce(e.date_has_month, false) THEN '年份改為西元 ' || strftime(e.event_date_parsed, '%Y') || ' 年' "
          # a month without a day (99年6月) is written as one: 2010-06, not the 1st of the month it was parsed to
          "WHEN e.date_prec = 'month' THEN '改為 ' || strftime(e.event_date_parsed, '%Y-%m') "
          "ELSE '改為 ' || strftime(e.event_date_parsed, '%Y-%m-%d') END",
          fix_en="CASE WHEN coalesce(e.date_from_parts, false) OR NOT coalesce(e.date_has_month, false) THEN 'Write the year as ' || strftime(e.event_date_parsed, '%Y') || ' (Gregorian)' "
                 "WHEN e.date_prec = 'month' THEN 'Write ' || strftime(e.event_date_parsed, '%Y-%m') || ' (Gregorian year)' "
                 "ELSE 'Write ' || strftime(e.event_date_parsed, '%Y-%m-%d') || ' (Gregorian year)' END"),
    Check("DATE_EXCEL_SERIAL", "time", "error", "日期是 Excel 日期序號", "Date is an Excel date serial",
          "日期欄是 Excel 的日期序號（例如 43466 即 2019-01-01；工作表的日期欄格式被設成「通用」或「數值」，或由此另存成 CSV "
          "時會這樣）：Darwin Core 要 YYYY-MM-DD，已換算為日期使用。",
          "The date is an Excel date serial (e.g. 43466 for 2019-01-01: a workbook's date column formatted as General or "
          "Number, or a CSV saved from it): Darwin Core asks for YYYY-MM-DD; the converted date is used.",
          "e.date_status = 'excel_serial'",
          "'改為 ' || strftime(e.event_date_parsed, '%Y-%m-%d') || '（並把日期欄的儲存格格式設為文字或日期）'",
          fix_en="'Write ' || strftime(e.event_date_parsed, '%Y-%m-%d') || ' (and format the date column as text or date)'"),
    Check("DATE_PARTS_DISAGREE", "time", "warning", "日期與年／月／日欄不一致", "Date and year/month/day disagree",
          "eventDate 讀得出日期，但 year、month 或 day 欄寫的是另一個年、月或日（例如 eventDate 2019-05-01、year 2018）："
          "兩者至少有一個是錯的；儀表板採用 eventDate。",
          "eventDate reads as a date, but the year, month or day column says another year, month or day (e.g. eventDate "
          "2019-05-01 with year 2018): at least one of them is wrong; the dashboard uses eventDate.",
          "e.date_parts_disagree", shows=("eventDate", "year", "month", "day"),
          todo_zh="核對原始紀錄，改正 eventDate 或 year／month／day 中錯的一方",
          todo_en="Check the original record and correct whichever of eventDate and year/month/day is wrong"),
    Check("DATE_TIME_INVALID", "time", "warning", "時間無法解讀", "Time of day cannot be read",
          "eventTime 不是 ISO 8601 的時間（hh:mm 或 hh:mm:ss，可加時區，例如 07:30、07:30+08:00、13:00/15:30），"
          "或用 NA、None 等文字代替空白（BBS Taiwan 的樣區調查匯出 801 筆 NA:NA+0800）。",
          "eventTime is not an ISO 8601 time of day (hh:mm or hh:mm:ss, with its zone if known: 07:30, 07:30+08:00, "
          "13:00/15:30), or holds a stand-in for an empty value such as NA or None (BBS Taiwan's survey events export 801 as NA:NA+0800).",
          "e.time_status IN ('invalid', 'placeholder')",
          "CASE WHEN e.time_status = 'placeholder' THEN '沒有記錄時間（匯出時寫成 NA 之類的文字）：請留空' "
          "WHEN e.time_fix IS NOT NULL THEN '改為 ' || e.time_fix "
          "ELSE '改為 hh:mm 或 hh:mm:ss（例如 07:30、07:30+08:00）；不知道時請留空' END",
          fix_en="CASE WHEN e.time_status = 'placeholder' THEN 'No time was recorded (exported as a text such as NA): leave it empty' "
                 "WHEN e.time_fix IS NOT NULL THEN 'Write ' || e.time_fix "
                 "ELSE 'Write hh:mm or hh:mm:ss (e.g. 07:30, 07:30+08:00); leave it empty if unknown' END",
          shows=("eventTime",)),
]

FAMILY = Family("time", tuple(CHECKS), DERIVATION)
