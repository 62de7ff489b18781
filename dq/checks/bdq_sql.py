"""The SQL building blocks of the TDWG BDQ family: DuckDB macros that read one verbatim value.

Every macro is failure-tolerant: a value that cannot be read gives NULL (never an error), so
one impossible cell cannot stop a run. Dates are read with try_strptime and checked arithmetic,
never make_date on unchecked parts. The macros are created on a connection by `install()`
(dq/checks/bdq.py `derive`), together with the shipped vocabularies they look values up in.
"""
from __future__ import annotations

from .. import duck
from ..paths import REFERENCE

BDQ_REF = REFERENCE / "bdq"

# bdqval:Empty: no value, or only white space and non-printing characters
_BLANK = r"[\s\p{Cc}\p{Cf}\x{a0}\x{3000}\x{feff}]"
# a time of day as ISO 8601 writes it after the T: hour, optional minutes, seconds, fraction, zone
_TIME = r"([01]\d|2[0-3])(:[0-5]\d(:[0-5]\d(\.\d+)?)?)?(Z|[+-]([01]\d|2[0-3])(:?[0-5]\d)?)?"
_NUM = r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?"

MACROS = {
    # -- emptiness and text shape
    # The regex only where the first character can be blank: below '!', U+007F–U+00AD (DEL, C1
    # controls, no-break space, soft hyphen), the format characters (U+0600–U+08FF, U+180E,
    # U+200B–U+206F, U+FEFF and up), U+3000. Same answer on every character (tested), without a
    # regex per value on ordinary text, Chinese included (the code points between are letters).
    "bdq_cp_plain(c)": ("c BETWEEN 33 AND 126 OR c BETWEEN 174 AND 1535 OR c BETWEEN 2304 AND 6143 OR c BETWEEN 6160 AND 8202 "
                        "OR c BETWEEN 8304 AND 12287 OR c BETWEEN 12289 AND 65023"),
    "bdq_empty(x)": f"x IS NULL OR CASE WHEN bdq_cp_plain(unicode(x)) THEN false ELSE regexp_full_match(x, '{_BLANK}*') END",
    "bdq_ne(x)": "NOT bdq_empty(x)",
    # leading or trailing white space or non-printing characters: never standard
    "bdq_padded(x)": f"regexp_matches(x, '^{_BLANK}|{_BLANK}$')",
    # normalised for vocabulary matching: lower case, letters and digits only
    "bdq_norm(x)": r"lower(regexp_replace(x, '[^\p{L}\p{N}]', '', 'g'))",
    # -- numbers: only plain decimal notation counts (try_cast alone would accept 'nan' and 'inf')
    "bdq_num(x)": f"CASE WHEN regexp_full_match(trim(x), '{_NUM}') THEN try_cast(trim(x) AS DOUBLE) END",
    "bdq_int(x)": r"CASE WHEN regexp_full_match(trim(x), '[+-]?\d{1,9}') THEN try_cast(trim(x) AS INTEGER) END",
    "bdq_leap(y)": "(y % 4 = 0 AND (y % 100 <> 0 OR y % 400 = 0))",
    # -- ISO 8601 dates. A part is one date or date-time; start and (exclusive) end of what it
    # denotes. A date-time is an instant (end = start); a day, month or year is its whole span.
    "bdq_tsec(t)": r"""coalesce(try_cast(regexp_extract(t, '^(\d{2})', 1) AS INTEGER), 0) * 3600
        + coalesce(try_cast(regexp_extract(t, '^\d{2}:(\d{2})', 1) AS INTEGER), 0) * 60
        + coalesce(try_cast(regexp_extract(t, '^\d{2}:\d{2}:(\d{2}(\.\d+)?)', 1) AS DOUBLE), 0)""",
    "bdq_dt_start(p)": rf"""CASE
        WHEN regexp_full_match(p, '\d{{4}}') THEN try_strptime(p || '-01-01', '%Y-%m-%d')
        WHEN regexp_full_match(p, '\d{{4}}-\d{{2}}') THEN try_strptime(p || '-01', '%Y-%m-%d')
        WHEN regexp_full_match(p, '\d{{4}}-\d{{2}}-\d{{2}}') THEN try_strptime(p, '%Y-%m-%d')
        WHEN regexp_full_match(p, '\d{{8}}') THEN try_strptime(p, '%Y%m%d')
        WHEN regexp_full_match(p, '\d{{4}}-\d{{3}}') THEN
          CASE WHEN try_cast(right(p, 3) AS INTEGER) BETWEEN 1 AND 365 + CASE WHEN bdq_leap(try_cast(left(p, 4) AS INTEGER)) THEN 1 ELSE 0 END
               THEN try_strptime(left(p, 4) || '-01-01', '%Y-%m-%d') + to_days(try_cast(right(p, 3) AS INTEGER) - 1) END
        WHEN regexp_full_match(p, '\d{{4}}-\d{{2}}-\d{{2}}T{_TIME}') THEN
          try_strptime(left(p, 10), '%Y-%m-%d') + to_microseconds(CAST(bdq_tsec(substr(p, 12)) * 1000000 AS BIGINT))
        END""",
    "bdq_dt_end(p)": r"""CASE
        WHEN regexp_full_match(p, '\d{4}') THEN bdq_dt_start(p) + INTERVAL 1 YEAR
        WHEN regexp_full_match(p, '\d{4}-\d{2}') THEN bdq_dt_start(p) + INTERVAL 1 MONTH
        WHEN contains(p, 'T') THEN bdq_dt_start(p)
        ELSE bdq_dt_start(p) + INTERVAL 1 DAY END""",
    # the end of an interval may leave out what it shares with the start: 1880-05-08/10
    "bdq_iv_b(a, b)": r"""CASE WHEN length(b) < length(a) AND NOT contains(a, 'T') AND NOT regexp_matches(b, '^\d{4}-')
        THEN left(a, length(a) - length(b)) || b ELSE b END""",
    "bdq_ev_s(x)": r"""CASE WHEN x IS NULL THEN NULL
        WHEN NOT contains(x, '/') THEN bdq_dt_start(x)
        WHEN regexp_full_match(x, '[^/]+/[^/]+') THEN bdq_dt_start(split_part(x, '/', 1)) END""",
    "bdq_ev_e(x)": r"""CASE WHEN x IS NULL THEN NULL
        WHEN NOT contains(x, '/') THEN bdq_dt_end(x)
        WHEN regexp_full_match(x, '[^/]+/[^/]+') THEN bdq_dt_end(bdq_iv_b(split_part(x, '/', 1), split_part(x, '/', 2))) END""",
    # a valid ISO 8601 date or interval (start not after end)
    "bdq_ev_ok(x)": "coalesce(bdq_ev_s(x) <= bdq_ev_e(x), false)",
    # the last instant inside the span (the end itself for an instant)
    "bdq_ev_last(x)": "CASE WHEN bdq_ev_e(x) > bdq_ev_s(x) THEN bdq_ev_e(x) - INTERVAL 1 MICROSECOND ELSE bdq_ev_e(x) END",
    # -- vocabularies: the one standard value a text can be read as, or NULL when none or several
    "bdq_vmatch(voc, x)": """(SELECT CASE WHEN count(DISTINCT value) = 1 THEN min(value) END FROM (
          SELECT value, tier, min(tier) OVER () AS t0 FROM (
            SELECT v.value, CASE WHEN v.label = trim(x) THEN 0 WHEN v.norm = bdq_norm(x) THEN 1
                                 WHEN v.kind <> 'alt' AND starts_with(v.norm, bdq_norm(x)) THEN 2
                                 WHEN v.kind = 'value' AND ends_with(v.norm, bdq_norm(x)) AND length(bdq_norm(x)) >= 4
                                      AND regexp_matches(v.label, '[a-z]' || upper(left(bdq_norm(x), 1)) || '[a-z]*$') THEN 3
                                 WHEN v.kind <> 'alt' AND length(bdq_norm(x)) >= 4 AND length(v.norm) = length(bdq_norm(x)) + 1
                                      AND levenshtein(v.norm, bdq_norm(x)) = 1 THEN 4 END AS tier
            FROM bdq_vocab v WHERE v.vocabulary = voc AND bdq_norm(x) <> '') WHERE tier IS NOT NULL) WHERE tier = t0)""",
    "bdq_in_vocab(voc, x)": "x IN (SELECT label FROM bdq_vocab WHERE vocabulary = voc AND kind <> 'alt')",
}


def install(con) -> None:
    """Create the vocabulary tables and the macros on a connection, once (the derive step and the
    answers both need them: installed twice, ~0.06 s of every build)."""
    if con.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = '_bdq_installed'").fetchone()[0]:
        return
    con.execute(f"""CREATE OR REPLACE TEMP TABLE bdq_vocab AS
        SELECT vocabulary, value, label, kind, lower(regexp_replace(label, '[^\\p{{L}}\\p{{N}}]', '', 'g')) AS norm
        FROM read_csv({duck.q(BDQ_REF / 'vocabularies.csv')}, all_varchar = true, header = true)""")
    # Taiwan's words for establishmentMeans (原生, 特有, 外來種 …: dq.taxonomy.ESTABLISHMENT) as alternative
    # labels, so that AMENDMENT_ESTABLISHMENTMEANS_STANDARDIZED proposes native / introduced for them.
    # Endemic is native in Darwin Core.
    from ..taxonomy import ESTABLISHMENT
    alts = {("native" if k == "endemic" else k, y) for k, xs in ESTABLISHMENT.items() for x in xs if not x.isascii()
            for y in (x, x.replace("臺", "台"))}      # 台灣特有 as 臺灣特有
    con.executemany("INSERT INTO bdq_vocab VALUES ('establishmentMeans', ?, ?, 'alt', ?)", [(v, x, x) for v, x in sorted(alts)])
    con.execute(f"""CREATE OR REPLACE TEMP TABLE bdq_iso3166 AS SELECT alpha2, name,
        lower(regexp_replace(name, '[^\\p{{L}}\\p{{N}}]', '', 'g')) AS norm
        FROM read_csv({duck.q(BDQ_REF / 'iso3166.csv')}, all_varchar = true, header = true)""")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE bdq_epsg AS SELECT code, name, kind, rank,
        lower(regexp_replace(name, '[^\\p{{L}}\\p{{N}}]', '', 'g')) AS norm
        FROM read_csv({duck.q(BDQ_REF / 'epsg_geodetic.csv')}, all_varchar = true, header = true)""")
    for sig, body in MACROS.items():
        con.execute(f"CREATE OR REPLACE TEMP MACRO {sig} AS ({body})")
    con.execute("CREATE OR REPLACE TEMP TABLE _bdq_installed AS SELECT 1 AS done")     # last: a failed install is redone
