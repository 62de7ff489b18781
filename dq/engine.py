"""The generic runner: every check family goes through it; it knows no check.

The build streams. `enrich()` runs each family's derivation (dq/checks/<family>.py: small
per-distinct-value tables read from the canonical records `occ`) and defines the record view `e`:
each record with its per-record keys computed inline and the derived columns looked up in those
small tables, so no record-wide table is ever materialised. `run_checks()` defines the mask view
`_m` (every check's predicate evaluated into bit masks, in the same pass). `write_outputs()` runs
that pipeline once, into occurrence.parquet (one COPY, DuckDB's parallel Parquet writer), with
each record's check masks, its filled-field mask and the facts the aggregates ask (RECORD_FACTS);
flags and the per-check aggregates unnest the few distinct masks, never a join of records with flags.
"""
from __future__ import annotations

import dataclasses
import re
import time
from pathlib import Path

from . import duck, geo, profiles, standard
from .checks import NUM_TERMS, Check, DeriveContext, blank, catalogue, families, filled, num_filled, num_part
from .paths import DATE_RX
from .sources.aliases import CANONICAL

# `k.<name>` in a family's joins and columns names one of its record_cols; in `e` those are computed
# inline on the record (alias o): a join back on record_id would be the most expensive step of a build.
_K_ALIAS = re.compile(r"(?<![\w.\"])k\.")


def _inline_keys(sql: str) -> str:
    return _K_ALIAS.sub("o.", sql)


# a reference to a record column (o.name, o."name"), or a string literal, passed over as it is
_O_REF = re.compile(r"""'(?:[^']|'')*'|(?<![\w."])o\.(?:"((?:[^"]|"")+)"|(\w+))""")


def fold_absent(sql: str, absent) -> str:
    """`sql` (over the record, alias o) with each column no source has (`absent`) written as the
    NULL it is in every record. DuckDB does not carry a view's constant into the expressions over
    it: at 1M records the record pass's key projection took 0.73-0.78 s unfolded, 0.63 s folded
    (DuckDB's profile; the keys alone, counted distinct: 0.65-0.76 -> 0.50 s). `absent` as a dict
    (num_fold): each column named there written as the SQL it gives."""
    if not absent:
        return sql
    subst = absent if isinstance(absent, dict) else {c: "NULL::VARCHAR" for c in absent}

    def one(m):
        if m.group(0).startswith("'"):
            return m.group(0)
        name = m.group(1).replace('""', '"') if m.group(1) is not None else m.group(2)
        return subst.get(name, m.group(0))
    return _O_REF.sub(one, sql)


NUM_PARTS = {num_part(t, p) for t in NUM_TERMS for p in "nt"}


def num_fold(con, absent=()) -> dict[str, str]:
    """What fold_absent writes for the record `o` of `occ`: each column no source has (`absent`) as
    NULL, and the number parts of checks.NUM_TERMS (a number NULL, a text the term's own) where occ
    has none (a records table made otherwise than by the build: tests, a snapshot's records)."""
    have = {r[0] for r in con.execute("DESCRIBE occ").fetchall()}
    out = {c: ("NULL::DOUBLE" if c.startswith("_n_") else "NULL::VARCHAR") for c in absent}
    for term in NUM_TERMS:
        n, t = num_part(term, "n"), num_part(term, "t")
        if term in absent:
            out.update({n: "NULL::DOUBLE", t: "NULL::VARCHAR"})
            continue
        if n not in have:
            out[n] = "NULL::DOUBLE"
        if t not in have:
            out[t] = f"o.{duck.ident(term)}" if term in have else "NULL::VARCHAR"
    return out


def key_select(p: "RecordPlan", absent=()) -> str:
    """The per-record keys and values of plan `p` as a select list over the record `o` (", sql AS
    name" each), the columns no source has (`absent`) folded. The one definition both `_ek` (which
    the duplicate counts group) and `e` (which joins those counts by the same keys) select."""
    return "".join(f", {fold_absent(sql, absent)} AS {duck.ident(name)}" for name, sql in p.record_cols.items())


@dataclasses.dataclass(frozen=True)
class RecordPlan:
    """How the record view is put together from the families' declarations: the per-record keys
    and values (`record_cols`, SQL over the record `o`), the derived columns (name, SQL) and the
    lookups (table, alias, join SQL), with `k.` already pointing at the record."""
    record_cols: dict[str, str]
    columns: list[tuple[str, str]]
    joins: list[tuple[str, str, str]]

    @property
    def derived(self) -> list[str]:
        return [n for n, _ in self.columns]

    @property
    def stored_keys(self) -> list[str]:
        """The record_cols a layout-3 record file keeps (all of them: keys into the lookups and
        the values computed from the record alone, such as unc_m)."""
        return list(self.record_cols)


_AS = re.compile(r'\s+AS\s+(\w+|"(?:[^"]|"")+")\s*$', re.I)
_JOIN = re.compile(r"^LEFT JOIN (_\w+) (\w+) ON ", re.I)


def _col_name(sql: str) -> str:
    m = _AS.search(sql)
    if not m:
        return sql.rsplit(".", 1)[-1]
    name = m.group(1)
    return name[1:-1].replace('""', '"') if name.startswith('"') else name


def plan_of(saved: dict) -> RecordPlan:
    """The plan a layout-3 snapshot was written with (its manifest's "record_plan")."""
    return RecordPlan(dict(saved["record_cols"]), [tuple(c) for c in saved["columns"]], [tuple(j) for j in saved["joins"]])


def plan(params: geo.GeoParams = geo.DEFAULT) -> RecordPlan:
    ders = [f.derivation for f in families()]
    cols = []
    for d in ders:
        for c in d.columns:
            sql = _inline_keys(c.format(h3=int(params.h3_resolution)))
            cols.append((_col_name(sql), sql))
    joins = []
    # every family's joins, then every family's late ones (Derivation.late_joins)
    early = [j for d in ders for j in d.joins]
    for j in early + [j for d in ders for j in d.late_joins]:
        m = _JOIN.match(j)
        assert m, j      # a family's join is `LEFT JOIN _table alias ON …` (the lookup files rely on it)
        joins.append((m.group(1), m.group(2), _inline_keys(j)))
    # a join made before the late ones cannot read them
    late = {a for _, a, _ in joins[len(early):]}
    assert not any(_aliases(sql.split(" ON ", 1)[1]) & late for _, _, sql in joins[:len(early)]), sorted(late)
    keys = [k for d in ders for k in d.record_cols]
    # two families naming one key would silently read each other's values
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
    return RecordPlan({k: v for d in ders for k, v in d.record_cols.items()}, cols, joins)


def _aliases(sql: str) -> set[str]:
    return set(re.findall(r"(?<![\w.\"])(\w+)\.", sql))


def lookups_used(p: RecordPlan, columns) -> set[str]:
    """The aliases of the lookups the derived `columns` read, with the joins those joins read. The
    record's own alias `o` is none: a column computed from the record alone (qty_txt) needs no join,
    and counting it made the flags of the 10M bench's 5.3 M duplicates a lookup group, materialised
    with every column of their records (6 M rows at 10M; the 100M flags pass 41 → 292 s)."""
    used = set().union(*(_aliases(s) for n, s in p.columns if n in set(columns)))
    # a join may read an earlier join's alias (the repeat key reads the date and the point)
    for _, alias, sql in reversed(p.joins):
        if alias in used:
            used |= _aliases(sql.split(" ON ", 1)[1])
    return used & {alias for _, alias, _ in p.joins}


def lookup_view(p: RecordPlan, src: str, tables: dict[str, str], snapshot_date: str,
                need: set[str] | None = None) -> str:
    """SQL: the records of `src` (a relation holding the record and its stored keys) with every
    derived column looked up in the per-distinct tables (`tables`: table name → relation). With
    `need`, only the derived columns named there and the lookups they read (a join no column
    reads still costs a probe per record). The derived columns come last, after snapshot_date;
    the stored keys are left out (the record view never had them)."""
    cols = [(n, s) for n, s in p.columns if need is None or n in need]
    used = lookups_used(p, [n for n, _ in cols])
    joins = [sql.replace(f"JOIN {t} {a} ON", f"JOIN {tables[t]} {a} ON", 1) for t, a, sql in p.joins if a in used]
    keys = ", ".join(duck.ident(k) for k in p.record_cols)
    if not DATE_RX.match(snapshot_date):
        raise ValueError(f"not a date: {snapshot_date!r}")
    sel = "".join(f", {s}" for _, s in cols)
    return f"""SELECT o.*{f' EXCLUDE ({keys})' if keys else ''}, DATE '{snapshot_date}' AS snapshot_date{sel}
      FROM {src} o {' '.join(joins)}"""


def enrich(con, snapshot_date: str, params: geo.GeoParams = geo.DEFAULT, progress=print, absent=()) -> None:
    """`occ` (canonical records) → `e` (records plus every derived column the checks read).
    `absent`: canonical columns NULL in every record (no source has them), left out of the filled-field mask."""
    absent = num_fold(con, absent)
    ctx = DeriveContext(snapshot_date=snapshot_date, params=params, progress=progress, t0=time.time(), fold=absent)
    ders = [f.derivation for f in families()]
    for d in ders:
        if d.derive:
            d.derive(con, ctx)
    p = plan(params)
    cols = key_select(p, absent)
    # a view: the derive_keyed steps each stream over it (distinct pairs, group counts of keys)
    con.execute(f"CREATE OR REPLACE TEMP VIEW _ek AS SELECT o.record_id{cols} FROM occ o")
    for d in ders:
        if d.derive_keyed:
            d.derive_keyed(con, ctx)
    # `e` is a view: the record, its keys computed on the fly, lookups in the small per-distinct
    # tables (hash joins whose build side is small, so the record stream is never held in memory).
    # The keys that are no derived column of their own ride along at the end: a layout-3 record
    # file stores them in place of the derived columns (write_outputs).
    _record_view(con, p, snapshot_date, absent=absent)
    con.execute("CREATE OR REPLACE TEMP TABLE _snapshot_date AS SELECT ?::VARCHAR AS d", [snapshot_date])
    progress(f"  derivations done ({time.time() - ctx.t0:.1f}s)")


def _record_view(con, p: RecordPlan, snapshot_date: str, own: str = "", absent=()) -> None:
    """`e`: the record, its keys computed on the fly, every derived column of plan `p` looked up.
    `own`: more columns computed from the record alone (a select list over `e`, the record before
    the joins: run_checks' masks of the checks that read the record's own columns only)."""
    if not isinstance(absent, dict):
        absent = num_fold(con, absent)
    cols = key_select(p, absent)
    derived = set(p.derived)
    extra = "".join(f", o.{duck.ident(k)}" for k in p.record_cols if k not in derived)
    # what reads the record's own texts alone (the filled-field mask, `own`) is computed before the
    # lookups are joined: after the joins the texts are gathered through them first (at 10M records
    # the filled-field mask cost 3.9 CPU s there, ~1 here)
    # a column no source has (`absent`) is no term of the mask: NULL in every record, never filled
    have = {r[0] for r in con.execute("DESCRIBE occ").fetchall()} - set(absent)
    filled = filled_mask_sql([c for c in FILLED if c not in have], parts=absent)
    rec = f"(SELECT o.*{cols}, {filled} FROM occ o)"
    if own:
        rec = f"(SELECT e.*, {own} FROM {rec} e)"
    view = lookup_view(p, rec, {t: t for t, _, _ in p.joins}, snapshot_date)
    con.execute(f"CREATE OR REPLACE TEMP VIEW e AS {_with_keys(view, extra)}")


def _with_keys(view: str, extra: str) -> str:
    """`view` (lookup_view's SQL) with the stored-only keys appended after its columns."""
    head, tail = view.split("\n      FROM ", 1)
    return f"{head}{extra}\n      FROM {tail}"


DIMENSIONS = ["completeness", "coordinates", "taxonomy", "time", "vocabulary", "duplicates"]


def _filled_columns() -> list[str]:
    """The columns the completeness figures and tiers test for being filled, in bit order."""
    cols = dict.fromkeys(profiles.TIER_COLUMNS)
    for prof in profiles.judging():
        for kind in prof.tables:
            for _, _, _, equiv in prof.heatmap_fields(kind):
                cols.update(dict.fromkeys(equiv))
            for _, equiv in prof.fields(kind):
                cols.update(dict.fromkeys(equiv))
    return list(cols)


# Which of these a record has filled is one bit each in its `_f<w>` words, computed in the record
# pass (which reads the columns anyway): agg_completeness and agg_dataset then group and test bits
# instead of testing ~30 texts per record again.
FILLED = _filled_columns()


def filled_mask_sql(omit: list[str] = (), parts: dict[str, str] | None = None) -> str:
    """The record's filled-field mask words, as a select list over the record; a column no source has is never filled.
    `parts` (num_fold): the record is `o` with the number parts of NUM_TERMS, which the terms' tests read."""
    words = _words(len(FILLED))
    terms: list[list[str]] = [[] for _ in range(words)]
    for i, col in enumerate(FILLED):
        if col not in omit:
            w, b = _bit(i)
            test = fold_absent(num_filled(col), parts) if parts is not None and col in NUM_TERMS else filled(duck.ident(col))
            terms[w].append(f"CASE WHEN {test} THEN {1 << b}::UBIGINT ELSE 0::UBIGINT END")
    return ", ".join(f"({' | '.join(t) if t else '0::UBIGINT'}) AS _f{w}" for w, t in enumerate(terms))


def _blank_as_bits(sql: str) -> str:
    """`sql` (a check's predicate over the record `e`) with each blank test of a column of the
    filled-field mask read from the mask's bit: the record pass computes that test once per column,
    and the checks repeated it (scientificName's seven times per record, through every join). The
    text replaced is blank()'s whole bracketed expression (no check writes it inside a literal)."""
    for text, bit in _BLANK_BITS:
        sql = sql.replace(text, bit)
    return sql


def filled_cols() -> list[str]:
    """The record file's filled-field mask columns (_f0 …)."""
    return [f"_f{w}" for w in range(_words(len(FILLED)))]


def has_filled(alias: str = "e"):
    """`has(columns)` for profiles.completeness_sql / tier_sql: a test on the filled-field mask."""
    def has(cols: tuple[str, ...]) -> str:
        bits = [FILLED.index(c) for c in cols]
        words = sorted({_bit(i)[0] for i in bits})
        return "(" + " OR ".join(f"({alias}._f{w} & {_mask_lit(bits, w)}) <> 0" for w in words) + ")"
    return has


def _words(n: int) -> int:
    """How many 64-bit mask words hold n bits (at least one)."""
    return max(1, (n + 63) // 64)


def _bit(i: int) -> tuple[int, int]:
    return i // 64, i % 64


def _mask_lit(bits: list[int], word: int) -> str:
    v = sum(1 << b for w, b in map(_bit, bits) if w == word)
    return f"{v}::UBIGINT"


# blank() of a mask column, as checks write it (e."col" or e.col) → the same test on the mask (has_filled)
_BLANK_BITS = [(blank(ref), f"(NOT {has_filled('e')((col,))})")
               for col in FILLED for ref in dict.fromkeys((f"e.{duck.ident(col)}", f"e.{col}"))]


def _fired(i: int) -> str:
    w, b = _bit(i)
    return f"((_m{w} >> {b}) & 1::UBIGINT) = 1"


CONST_RX = re.compile(r"^'[^']*'$")


def _fix_text(c: Check, lang: str = "zh") -> str:
    """The suggestion a fired check writes, in zh-TW or English: a plain text as is; a computed one
    as its text (NULL when it has none for this record). Each flag is a row of its own, so a text
    needs no separator blanked (at 10M bench rows two replace() per flag cost a third of the flags)."""
    fix = c.fix_for(lang)
    if not fix:
        return "NULL::VARCHAR"
    if CONST_RX.match(fix):
        return f"{fix}::VARCHAR"
    return f"({fix})::VARCHAR"


# record_id = source index × 10^10 + source row (dq/snapshot.py canonical_sql)
def source_of(alias: str = "e") -> str:
    return f"({alias}.record_id // 10000000000)"


SOURCE_OF = source_of("e")
# what dq/snapshot.py canonical_sql sets once per source file: layout 4 keeps it once per source
# (lookup_src) instead of once per record (each text column costs the writer ~0.07 CPU s per 1M rows)
PER_SOURCE = ["dataset_name", "source_file", "table_kind", "profile", "srs_from_header"]


def _applies(checks: list[Check], kinds: list[str], scope: dict[int, set[str]] | None) -> list[tuple[Check, str | None]]:
    """The checks that apply to some record, each with the SQL test restricting it to the records it
    applies to (None when it applies to all). With `scope` (source index → the check ids its
    profile judges at record level) that is a test on the source; without, on the table kind."""
    out = []
    for c in checks:
        if scope is not None:
            srcs = sorted(i for i, ids in scope.items() if c.id in ids)
            if srcs:
                out.append((c, None if len(srcs) == len(scope) else f"{SOURCE_OF} IN ({', '.join(map(str, srcs))})"))
            continue
        ok = [k for k in kinds if k in c.tables]
        if ok:
            out.append((c, None if len(ok) == len(kinds) else f"e.table_kind IN ({', '.join(repr(k) for k in ok)})"))
    return out


def run_checks(con, checks: list[Check] | None = None, scope: dict[int, set[str]] | None = None,
               params: geo.GeoParams = geo.DEFAULT, absent=()) -> list[Check]:
    """Define every predicate over `e` as one bit-mask view `_m` (nothing runs yet).

    Each record gets a bit mask of the checks it fails (64 checks per UBIGINT word); `rq` renders
    the masks as the per-record summary (counts, id lists, per-dimension errors).
    Counting and grouping bits is far cheaper than grouping millions of flag rows (most records
    fail several completeness checks). Both are evaluated inside the one pass that writes
    occurrence.parquet. Returns the checks that applied.
    """
    checks = checks or catalogue()
    kinds = [r[0] for r in con.execute("SELECT DISTINCT table_kind FROM occ").fetchall()]
    applies = _applies(checks, kinds, scope)
    run = [c for c, _ in applies]
    words = _words(len(run))
    terms: list[list[str]] = [[] for _ in range(words)]
    own_terms: list[list[str]] = [[] for _ in range(words)]
    per_key, plan_cols = _per_key_masks(con, applies, params)
    # the checks that read nothing but the record's own columns (completeness, vocabulary …) are
    # evaluated before the lookups are joined (_record_view `own`), the rest after
    have = {r[0] for r in con.execute("DESCRIBE e").fetchall()}
    pre = {r[0] for r in con.execute("DESCRIBE occ").fetchall()} | set(plan(params).record_cols) | set(filled_cols())
    for i, (c, where) in enumerate(applies):
        if i in per_key:
            continue
        w, b = _bit(i)
        # the source or table test only where the snapshot holds records this check does not apply to
        sql = _blank_as_bits(c.sql)
        pred = f"({sql})" if where is None else f"{where} AND ({sql})"
        # CASE takes NULL as false, so no coalesce. The bits are distinct, so the terms are joined by |:
        # + checks every UBIGINT sum for overflow (40 terms over 5M rows: + 2.1 CPU s, | 0.7)
        term = f"CASE WHEN {pred} THEN {1 << b}::UBIGINT ELSE 0::UBIGINT END"
        (own_terms if sql_words(pred) & have <= pre else terms)[w].append(term)
    own = ", ".join(f"({' | '.join(t)}) AS _mo_{w}" for w, t in enumerate(own_terms) if t)
    pm = sorted({col for col, _ in per_key.values()}) + [f"_mo_{w}" for w, t in enumerate(own_terms) if t]
    for col in pm:
        terms[int(col.rsplit("_", 1)[1])].append(f"coalesce(e.{col}, 0::UBIGINT)")
    if plan_cols or own:
        snapshot_date = con.execute("SELECT d FROM _snapshot_date").fetchone()[0]
        p = plan(params)
        _record_view(con, RecordPlan(p.record_cols, p.columns + plan_cols, p.joins), snapshot_date, own, absent=absent)
    masks = ", ".join(f"({' | '.join(t) if t else '0::UBIGINT'}) AS _m{w}" for w, t in enumerate(terms))
    keep = f"e.* EXCLUDE ({', '.join(pm)})" if pm else "e.*"
    con.execute(f"CREATE OR REPLACE TEMP VIEW _m AS SELECT {keep}, {masks} FROM e")
    # the applied checks, for write_outputs (flags) and aggregates
    con.execute("CREATE OR REPLACE TEMP TABLE _run (i INTEGER, check_id VARCHAR, severity VARCHAR, dimension VARCHAR)")
    if run:   # none applies when no record was read (a header-only file): then no flag either
        con.executemany("INSERT INTO _run VALUES (?, ?, ?, ?)", [(i, c.id, c.severity, c.dimension) for i, c in enumerate(run)])
    _record_quality(con, run, words)
    return run


def _per_key_masks(con, applies: list[tuple[Check, str | None]],
                   params: geo.GeoParams) -> tuple[dict[int, tuple[str, str]], list[tuple[str, str]]]:
    """Evaluate the checks that read one lookup's derived columns and nothing of the record itself
    (the coordinate checks read the point lookup alone, the date checks the date lookup …) once
    per distinct key: each such lookup table gets a mask column `_pm<w>` of those checks' bits, and
    `e` carries it as `_pm_<alias>_<w>` through the join it already makes. The record pass then adds
    a few masks instead of evaluating ~25 predicates per record (same bits: a record's answer is its
    key's). Checks limited to some sources (`where`) stay per record. Returns check index →
    (the record view's mask column, the lookup alias), and the plan columns carrying the masks."""
    p = plan(params)
    have = {r[0] for r in con.execute("DESCRIBE e").fetchall()}
    derived = dict(p.columns)
    own = have - set(derived)      # the record's own columns: a check naming one is judged per record
    single = {a: t for t, a, sql in p.joins if _aliases(sql.split(" ON ", 1)[1]) <= {a, "o"}}
    picked: dict[str, list[tuple[int, Check]]] = {}
    for i, (c, where) in enumerate(applies):
        words = sql_words(c.sql)
        cols = words & set(derived)
        if where is not None or not cols or words & own:
            continue
        als = set().union(*(_aliases(derived[n]) for n in cols))
        if len(als) == 1 and next(iter(als)) in single:
            picked.setdefault(next(iter(als)), []).append((i, c))
    out: dict[int, tuple[str, str]] = {}
    extra_cols = []
    for a, checks in picked.items():
        table = single[a]
        tcols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
        mine = {n: sql for n, sql in p.columns if _aliases(sql) == {a}}
        # a derived column named like one of the table's must be that column (county = c.county)
        if any(n in tcols and sql.strip() != f"{a}.{n}" for n, sql in mine.items()):
            continue
        inner = ", ".join(sql for n, sql in mine.items() if n not in tcols)     # each names itself (… AS name)
        words: dict[int, list[str]] = {}
        for i, c in checks:
            w, b = _bit(i)
            words.setdefault(w, []).append(f"CASE WHEN ({c.sql}) THEN {1 << b}::UBIGINT ELSE 0::UBIGINT END")
        sel = ", ".join(f"({' | '.join(t)}) AS _pm{w}" for w, t in words.items())
        keep = ", ".join(f"e.{duck.ident(x)}" for x in tcols if not x.startswith("_pm"))
        con.execute(f"""CREATE OR REPLACE TEMP TABLE {table} AS SELECT {keep}, {sel}
            FROM (SELECT {a}.*{', ' + inner if inner else ''} FROM {table} {a}) e""")
        for w in words:
            extra_cols.append((f"_pm_{a}_{w}", f"{a}._pm{w} AS _pm_{a}_{w}"))
        for i, _ in checks:
            out[i] = (f"_pm_{a}_{_bit(i)[0]}", a)
    return out, extra_cols


_LITERAL = re.compile(r"'(?:[^']|'')*'")


def sql_words(sql: str) -> set[str]:
    """Every word of an SQL text outside its string literals: the columns it may name (lookup_view's
    `need`). A word in a literal names nothing: the field list of agg_completeness or a fix text
    saying 'occurrenceID used …' must not make a query join the lookups or the verbatim texts. Nor does
    a function's name: year(e.event_date_parsed) in DATE_ROC_YEAR's fix made its flags join the source
    texts for the column "year" (10M bench: the flags pass 3.5 → 13.4 s)."""
    return set(re.findall(r"\b[A-Za-z_][A-Za-z_0-9]*\b(?!\s*\()", _LITERAL.sub(" ", sql)))


def narrow(con, view, sql: str) -> None:
    """Point `e` at the record view with only the derived columns `sql` may name (every word of it
    that is one) and the lookups they read: each lookup join costs a hash probe per record, and
    most aggregates read two or three of the nine. `view` (need → SQL) is None for layout 2."""
    if view is not None:
        con.execute(f"CREATE OR REPLACE TEMP VIEW e AS {view(sql_words(sql))}")


def file_level_counts(con, file_level: dict[int, list[str]], checks: list[Check] | None = None,
                      view=None) -> dict[int, dict[str, int]]:
    """Per source index, how many of its records each file-level check would flag (one scan of `e`).

    A column absent from a whole file is one finding for the file, but only if the check would
    fire at all: a missing unit is no finding in a file that has no quantities either."""
    cat = {c.id: c for c in (checks or catalogue())}
    pairs = [(i, cid) for i, ids in file_level.items() for cid in ids]
    if not pairs:
        return {}
    # the checks that read only the canonical record (a quantity without its unit …) count over the
    # canonical view of the sources `occ` (a layout-5 record file would join its texts back first),
    # the others over the record view with the lookups they read
    have = {r[0] for r in con.execute("DESCRIBE occ").fetchall()} if _has_view(con, "occ") else set()
    derived = {r[0] for r in con.execute("DESCRIBE e").fetchall()} - have
    plain = [(i, cid) for i, cid in pairs if have and not sql_words(cat[cid].sql) & derived]
    out: dict[int, dict[str, int]] = {i: {} for i in file_level}
    for rel, some in (("occ", plain), ("e", [x for x in pairs if x not in plain])):
        if not some:
            continue
        cols = ", ".join(f"count(*) FILTER (WHERE {SOURCE_OF} = {i} AND ({cat[cid].sql})) AS n{k}" for k, (i, cid) in enumerate(some))
        if rel == "e":
            narrow(con, view, cols)
        srcs = sorted({i for i, _ in some})
        row = con.execute(f"SELECT {cols} FROM {rel} e WHERE {SOURCE_OF} IN ({', '.join(map(str, srcs))})").fetchone()
        for (i, cid), n in zip(some, row):
            if n:
                out[i][cid] = int(n)
    return out


def _has_view(con, name: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = ? AND temporary", [name]).fetchone()[0])


def summary_sql(run: list[Check], words: int) -> str:
    """The per-record summary as a select list over the mask columns `_m<w>`: error, warning and note
    (info) counts and lists, and per dimension whether the record has an error. The suggestions are in
    flags.parquet, one per record and check, in both languages."""
    def count(sel):
        bits = [i for i, c in enumerate(run) if sel(c)]
        return " + ".join(f"bit_count(_m{w} & {_mask_lit(bits, w)})" for w in range(words))

    def ids(sel):
        order = sorted((c.id, i) for i, c in enumerate(run) if sel(c))
        if not order:
            return "NULL::VARCHAR"
        return "nullif(concat_ws(';', " + ", ".join(f"CASE WHEN {_fired(i)} THEN '{cid}' END" for cid, i in order) + "), '')"

    # an info check (a name taken from the vernacular name, a count read from words) is a note, not a
    # warning: counted with the warnings, the amphibian survey had 18,084 of 18,084 rows "with warnings",
    # 17,269 of them for the note alone
    sev = lambda s: lambda c: c.severity == s   # noqa: E731
    dims = ", ".join(f"{any_error(run, words, d)} AS err_{d}" for d in DIMENSIONS)
    return f"""{count(sev('error'))} AS n_errors, {count(sev('warning'))} AS n_warnings, {count(sev('info'))} AS n_notes,
          {ids(sev('error'))} AS errors, {ids(sev('warning'))} AS warnings, {ids(sev('info'))} AS notes, {dims}"""


SUMMARY = ["n_errors", "n_warnings", "n_notes", "errors", "warnings", "notes"] + [f"err_{d}" for d in DIMENSIONS]


def any_error(run: list[Check], words: int, dimension: str | None = None, alias: str = "") -> str:
    """SQL over the masks: the record has an error (in `dimension`, or in any)."""
    a = f"{alias}." if alias else ""
    bits = [i for i, c in enumerate(run) if c.severity == "error" and (dimension is None or c.dimension == dimension)]
    return "(" + " OR ".join(f"({a}_m{w} & {_mask_lit(bits, w)}) <> 0" for w in range(words)) + ")"


def mask_cols(words: int) -> list[str]:
    return [f"_m{w}" for w in range(words)]


def _record_quality(con, run: list[Check], words: int) -> None:
    """`rq`: the record, then its summary (summary_sql); the lists and texts are built only where written out."""
    masks = ", ".join(mask_cols(words))
    fl = ", ".join(filled_cols())
    con.execute(f"CREATE OR REPLACE TEMP VIEW rq AS SELECT * EXCLUDE ({masks}, {fl}), {summary_sql(run, words)} FROM _m e")


# The fitness-for-use profile "distribution model, 1 km", declared in dq/profiles.py.
USABLE_1KM = profiles.by_id()[profiles.FIT_1KM].fit_sql
# an absence record (searched, not found: dq/checks/vocabulary.py) counts as a record, never as a species present
# a genus or family (a name matched at a higher rank) is no species in a count
SPECIES_LEVEL = "NOT e.is_absence AND NOT coalesce(e.above_species, false)"

# What the area aggregates ask of every record, computed in the record pass (which has every lookup
# joined already) and written beside the masks: each aggregate then reads the record file with the
# point lookup alone, not the names, dates and quantities again (at 10M rows each of those joins
# cost an aggregate ~2 CPU s). `_an` stands for the accepted name in distinct counts (64-bit hash).
RECORD_FACTS = {"_fit": USABLE_1KM, "_abs": "e.is_absence", "_sp": SPECIES_LEVEL,
                "_an": "CASE WHEN e.accepted_name IS NOT NULL THEN hash(e.accepted_name) END",
                "_tier": f"CASE WHEN NOT coalesce({profiles.tiered_sql()}, false) THEN NULL WHEN {{gold}} THEN 2 WHEN {{silver}} THEN 1 ELSE 0 END::UTINYINT",
                "_don": "e.dup_occ_n", "_drn": "e.dup_rec_n"}
# The derived values a computed fix reads that are kept as record facts: the duplicate group sizes
# (the repeat group's lookup is keyed by the record's date and point, three joins per flag; a
# resampled or repeated survey has millions of DUP_RECORD flags).
FACT_OF = {"dup_occ_n": "_don", "dup_rec_n": "_drn"}


# Parquet row groups of the record file: the writer buffers a whole row group of ~140 columns per
# thread, which at DuckDB's default of 122,880 rows set most of a build's peak memory.
# The dictionary limit: a column with more distinct values in a row group than fit in it is written
# plain. The point key (the 10M bench: ~10,000 distinct per row group) was a dictionary by default, whose
# building cost the record pass ~1.2 of its ~23 CPU s; written plain, the file is the same size (81 MB)
# and the other keys, masks and texts are still dictionaries (the file's metadata).
OCC_PARQUET = f"({duck.PARQUET_FAST}, ROW_GROUP_SIZE 32768, DICTIONARY_SIZE_LIMIT 1000)"


def record_source(path: Path, omitted: list[str] = (), rec: str | None = None) -> str:
    """A layout-3 record file as a relation, the canonical columns no source had (not written) as NULL.
    `rec`: some of its records (a relation over it) instead of the whole file."""
    nulls = "".join(f", NULL::VARCHAR AS {duck.ident(c)}" for c in omitted)
    return f"(SELECT *{nulls} FROM {rec or f'read_parquet({duck.q(path)})'})"


# What a layout-5 record file leaves to the snapshot's source files (source_<index>.parquet, the
# staged files moved in): every verbatim text of the record. Written once at staging, read back by
# verbatim_source; writing them again per record cost the record pass ~0.065 CPU s per column per 1M rows.
VERBATIM = list(CANONICAL) + ["extra", "row_cells", "overflow_cells", "row_kind"]
SOURCE_SPAN = 10_000_000_000     # record_id = source index × SOURCE_SPAN + source row


def verbatim_source(path: Path, verbatim: list[tuple[int, str]], need: set[str] | None = None,
                    rec: str | None = None) -> str:
    """A layout-5 record file as a relation; when `need` (the words a query uses; None: all) names a
    verbatim column, with those columns joined back from each source's canonical SELECT (`verbatim`:
    source index → snapshot.canonical_sql over its source file) on the source row.

    One join per source, on its own rows of the record file (a range of record_id), so the join key
    is the source file's `source_row`: a query that keeps a few records has its source_row range
    pushed into the source file's scan (its row groups are in row order) instead of reading every
    row's texts. (Where source_row is the file's row number, as read — a kept Parquet input, a
    delimited file numbered when read — the range is tested as the row numbers are scanned: a
    record of a 2M-row file ~15 ms against ~3 ms.) `rec`: some of its records (a relation over it,
    joined with the texts after it has kept them) instead of the whole file."""
    cols = [c for c in VERBATIM if need is None or c in need]
    rec = rec or f"read_parquet({duck.q(path)})"
    if not cols:
        return f"(SELECT * FROM {rec})"
    sel = ", ".join(f"c.{duck.ident(c)}" for c in cols)
    parts = []
    for i, sql in verbatim:
        lo = int(i) * SOURCE_SPAN
        rows = "" if len(verbatim) == 1 else f" WHERE o.record_id >= {lo} AND o.record_id < {lo + SOURCE_SPAN}"
        # source_row is the source file's: a filter on it (a drill-down's rows, said as constants)
        # reaches that file's scan (DuckDB carries an equality across the join, not an IN list)
        parts.append(f"SELECT o.* EXCLUDE (source_row), c.source_row, {sel} FROM {rec} o JOIN ({sql}) c ON c.source_row = o.source_row{rows}")
    return "(" + " UNION ALL ".join(parts) + ")"


def read_plan(p: RecordPlan) -> RecordPlan:
    """The plan a written record file is read with: a derived column kept as a record fact (FACT_OF)
    is read from the fact, and the lookups and keys that only such columns needed are left out (not
    written: the duplicate counts' lookups hold a key per repeated record, their keys one per record)."""
    cols = [(n, f"o.{FACT_OF[n]} AS {duck.ident(n)}" if n in FACT_OF else s) for n, s in p.columns]
    used = lookups_used(RecordPlan(p.record_cols, cols, p.joins), [n for n, _ in cols])
    joins = [j for j in p.joins if j[1] in used]
    words = set().union(*(sql_words(s) for _, s in cols), *(sql_words(j) for _, _, j in joins))
    return RecordPlan({k: v for k, v in p.record_cols.items() if k in words}, cols, joins)


def lookup_file(table: str) -> str:
    """The file a layout-3 snapshot keeps a per-distinct lookup table in (`_pt` → lookup_pt.parquet)."""
    return f"lookup{table}.parquet"


def write_outputs(con, outdir: Path, run: list[Check] | None = None, timings: dict | None = None,
                  cpu: dict | None = None, cpu_clock=None, omit: list[str] = (), layout: dict | None = None,
                  record_layout: int = 3, snapshot_date: str | None = None,
                  params: geo.GeoParams = geo.DEFAULT, verbatim: list[tuple[int, str]] | None = None) -> int:
    """occurrence.parquet (record + per-record results), the lookup files, flags.parquet, rejected.parquet.

    The record file is the one pass over all records: read, keys, lookups, every predicate, the
    summary, written by one COPY. Flags are then the fired ids of that file's errors/warnings
    columns, one row per record and check, with the check's suggestion computed only there.
    `omit`: canonical columns no source has (all NULL): not written, read back as NULL by
    store.records_sql (each costs the writer as much as a filled one). `layout` gets the
    record view's columns ("all", in order) and those left out of the file ("omitted").
    `record_layout` 3: the derived columns are not written per record; the record keeps its keys
    (point, place, name, date, quantity, duplicate keys) and each per-distinct table is written
    once, as lookup_<table>.parquet; store.records_sql joins them back (the writer's cost is per
    value written: ~65 derived columns per record were most of it). 2: every derived column in
    the record file. 5: besides, no verbatim text (VERBATIM): `verbatim` (source index → its
    canonical SELECT over the snapshot's source file) is where they are read back from.
    Returns the number of records written.
    """
    if run is None:
        run = _applied(con)
    t = time.time()
    c = cpu_clock() if cpu_clock else 0.0
    target = outdir / "occurrence.parquet"
    from .store import record_select
    p = plan(params)
    cols = [r[0] for r in con.execute("DESCRIBE SELECT * FROM rq").fetchall()]
    words = _words(len(run))
    masks = mask_cols(words)
    derived = set(p.derived)
    stored_only = [k for k in p.record_cols if k not in derived]
    # the number parts are what the passes read of a record's numbers, never a column of its own
    parts = [c for c in cols if c in NUM_PARTS]
    logical = [c for c in cols if c not in stored_only and c not in NUM_PARTS]     # the record view's columns, as every layout reads them
    omit = [c for c in omit if c in cols]
    if record_layout >= 3:
        if snapshot_date is None:     # the one enrich() was given
            snapshot_date = con.execute("SELECT d FROM _snapshot_date").fetchone()[0]
        drop = omit + ["snapshot_date"] + [d for d in p.derived if d not in p.record_cols]
        if record_layout >= 4:
            drop += [c for c in PER_SOURCE if c not in omit]
        if record_layout >= 5:
            if verbatim is None:
                raise ValueError("record layout 5 needs the sources' canonical SELECTs (verbatim)")
            drop += [c for c in VERBATIM if c in cols and c not in omit]
        # the keys only the facts' lookups read (the occurrenceID and repeat keys: two random 64-bit
        # columns, 160 of the 10M bench's record file's ~330 MB) are not written: read_plan
        read_p = read_plan(p)
        drop += [k for k in p.record_cols if k not in read_p.record_cols and k in cols] + parts
    else:
        drop = omit + stored_only + parts
    # The tier's filled tests are bits of the filled-field mask, its month the date lookup's; a fact
    # whose columns the record view lacks (a run of one family alone) is NULL.
    silver, gold = profiles.tier_sql(has_filled("e"), "coalesce(e.date_has_month, false)")
    known = set(cols) | set(filled_cols())
    facts = ", ".join(f"({sql if {r.strip(chr(34)) for r in _E_REF.findall(sql)} <= known else 'NULL'}) AS {name}"
                      for name, sql in ((n, q.replace("{gold}", gold).replace("{silver}", silver)) for n, q in RECORD_FACTS.items()))
    # Every layout keeps the check masks (what aggregates and flags read); layout 4 keeps only them:
    # the summary (counts, id lists, err_<dimension>) is a function of the masks, written once per
    # distinct mask (lookup_rsum) instead of per record.
    src = f"(SELECT *, {facts} FROM _m e)"      # _m carries the filled-field mask (_record_view)
    if record_layout < 4:
        src = f"(SELECT *, {summary_sql(run, words)} FROM {src})"
    sel = f"SELECT * EXCLUDE ({', '.join(duck.ident(c) for c in drop)}) FROM {src}" if drop else f"SELECT * FROM {src}"
    n = con.execute(f"COPY ({sel}) TO {duck.q(target)} {OCC_PARQUET}").fetchone()[0]
    if record_layout >= 3:
        p = read_p           # what the written file is read with, from here on and by the snapshot's readers
    mlist = ", ".join(masks)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _rsum AS SELECT {mlist}, {summary_sql(run, words)}
        FROM (SELECT DISTINCT {mlist} FROM read_parquet({duck.q(target)}))""")
    # per distinct mask, the checks it says fired: flags and per-check aggregates unnest these few rows
    word_of = "CASE r.i // 64 " + " ".join(f"WHEN {w} THEN s._m{w}" for w in range(words)) + " END"
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _mi AS SELECT {', '.join(f's.{m}' for m in masks)}, r.i, r.check_id
        FROM _rsum s JOIN _run r ON (({word_of} >> (r.i % 64)::UBIGINT) & 1::UBIGINT) = 1""")
    if record_layout >= 4:
        srcs = [c for c in PER_SOURCE if c not in omit]
        # dq/snapshot.py build() fills _src from what it set per source; a caller that did not, from the records
        if not con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = '_src' AND temporary").fetchone()[0]:
            have = {r[0] for r in con.execute("DESCRIBE occ").fetchall()}
            con.execute(f"""CREATE TEMP TABLE _src AS SELECT DISTINCT {source_of('occ')} AS source_index,
                {', '.join((duck.ident(c) if c in have else 'NULL::VARCHAR') + ' AS ' + duck.ident(c) for c in PER_SOURCE)} FROM occ""")
        p = RecordPlan(p.record_cols, p.columns + [(c, f"rs.{c}") for c in SUMMARY] + [(c, f"sr.{c}") for c in srcs],
                       p.joins + [("_rsum", "rs", "LEFT JOIN _rsum rs ON " + " AND ".join(f"rs.{m} = o.{m}" for m in masks)),
                                  ("_src", "sr", f"LEFT JOIN _src sr ON sr.source_index = {source_of('o')}")])
    if record_layout >= 3:
        for tbl in dict.fromkeys(t for t, _, _ in p.joins):    # a table two joins read is written once
            # without the checks' per-key masks (_per_key_masks): the record file holds the answers
            pm = [r[0] for r in con.execute(f"DESCRIBE {tbl}").fetchall() if r[0].startswith("_pm") or r[0] in GROUP_IDS]
            sel = f"* EXCLUDE ({', '.join(pm)})" if pm else "*"
            con.execute(f"COPY (SELECT {sel} FROM {tbl}) TO {duck.q(outdir / lookup_file(tbl))} ({duck.PARQUET_FAST})")
    if layout is not None:
        layout.update({"all": logical, "omitted": omit})
        if record_layout >= 3:
            # the snapshot says how its records are put back together: a later version of the code,
            # whose families derive other columns, still reads it as it was written
            layout["plan"] = {"record_cols": p.record_cols, "columns": p.columns, "joins": p.joins}
    if timings is not None:
        timings["write_occurrence"] = round(time.time() - t, 2)
    if cpu is not None and cpu_clock:
        cpu["write_occurrence"] = round(cpu_clock() - c, 2)
        c = cpu_clock()
    t = time.time()
    # everything after reads the written file: its lookups ran once, and it holds every column e had
    # the record file as a relation, with what a query needs (layout 5: the verbatim texts only then)
    if record_layout >= 5:
        rsrc = lambda need=None, rec=None: verbatim_source(target, verbatim, need, rec)   # noqa: E731
    else:
        rsrc = lambda need=None, rec=None: record_source(target, omit, rec)   # noqa: E731
    if record_layout >= 3:
        # the lookups are still in the database: joined from there, not read back from their files
        tables = {tb: tb for tb, _, _ in p.joins}
        # `more`: columns over the same lookups a caller adds for itself (aggregates: the lookups' group ids)
        view = lambda need=None, more=(): lookup_view(dataclasses.replace(p, columns=p.columns + list(more)),   # noqa: E731
                                                      rsrc(need), tables, snapshot_date, need)
        con.execute(f"CREATE OR REPLACE TEMP VIEW e AS {view()}")
    else:
        view = None
        con.execute(f"CREATE OR REPLACE TEMP VIEW e AS {record_select(target, logical + masks + filled_cols() + list(RECORD_FACTS), omit)}")
    if layout is not None:
        layout["view"] = view

    fired = {r[0] for r in con.execute("SELECT DISTINCT i FROM _mi").fetchall()}
    rec_cols = {r[0] for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet({duck.q(target)})").fetchall()}
    con.execute(f"COPY ({flags_sql(run, target, rsrc, p, view is not None, snapshot_date, masks, fired, rec_cols)}) TO {duck.q(outdir / 'flags.parquet')} ({duck.PARQUET_FAST}, ROW_GROUP_SIZE 32768)")
    con.execute(f"CREATE OR REPLACE TEMP VIEW flags AS SELECT * FROM read_parquet({duck.q(outdir / 'flags.parquet')})")
    if timings is not None:
        timings["write_flags"] = round(time.time() - t, 2)
    if cpu is not None and cpu_clock:
        cpu["write_flags"] = round(cpu_clock() - c, 2)
    con.execute(f"COPY (SELECT * FROM rej ORDER BY source_file, source_row) TO {duck.q(outdir / 'rejected.parquet')} (FORMAT parquet)")
    return n


def flags_sql(run: list[Check], target: Path, rsrc, p: RecordPlan, lookups: bool, snapshot_date: str,
              masks: list[str], fired: set[int] | None = None, rec_cols: set[str] | None = None) -> str:
    """SQL: one row per record and fired check (the bits of its masks, per distinct mask in `_mi`),
    with the check's suggestion in zh-TW and English. `lookups`: the derived columns are in the
    per-distinct tables (layout 3 and later), else in `e`; `rsrc(need, rec)`: the record file (or
    the relation `rec` over it) with the columns the words `need` name (layout 5 joins the verbatim
    texts only then). `fired`: the checks (bit indexes) some record fails (None: any may)."""
    # A flag's suggestion is a plain text for most checks: those flags need no more than the record
    # file's ids and masks. Only the checks whose fix is computed from the record (a corrected point,
    # the checklist's name, a group's size …) need its derived columns, and the records are joined
    # with those checks first, so only their flags pay for the lookups.
    computed = [i for i, c in enumerate(run) if c.fix and not all(CONST_RX.match(c.fix_for(g) or "''") for g in ("zh", "en"))]

    def suggestion(lang: str, idx: str, which) -> str:
        whens = " ".join(f"WHEN {i} THEN {_fix_text(c, lang)}" for i, c in enumerate(run) if c.fix and which(i))
        return f"CASE {idx} {whens} ELSE NULL::VARCHAR END" if whens else "NULL::VARCHAR"
    plain = lambda i: i not in computed   # noqa: E731
    on = " AND ".join(f"mi.{m} = o.{m}" for m in masks)
    rec = f"read_parquet({duck.q(target)})"
    parts = [f"""SELECT o.record_id, mi.check_id, {suggestion('zh', 'mi.i', plain)} AS suggestion,
        {suggestion('en', 'mi.i', plain)} AS suggestion_en FROM {rec} o JOIN _mi mi ON {on} WHERE mi.i NOT IN ({', '.join(map(str, computed)) or '-1'})"""]
    live = [i for i in computed if fired is None or i in fired]    # a check no record fails writes no flag
    if not live:
        return parts[0]
    if not lookups:
        groups = {frozenset(): live}
    else:
        # the computed fixes grouped by the lookups (layout 5: and the verbatim texts) they read: a
        # flag pays only for its own check's joins (5 M duplicate flags need none: the group size is
        # a record fact; only the few fixes that quote a verbatim value join the source texts)
        groups: dict[frozenset, list[int]] = {}
        for i in live:
            words = sql_words(_fix_text(run[i], "zh") + _fix_text(run[i], "en")) - set(FACT_OF)
            groups.setdefault(frozenset(lookups_used(p, words) | (words & set(VERBATIM))), []).append(i)
    facts = "".join(f", o.{f} AS {d}" for d, f in FACT_OF.items())
    # the flagged records of every check whose fix reads a lookup, picked in one scan of the record
    # file and kept (a few per cent of the records): each group then reads those, not the file again
    # (at 10M records eight groups had scanned it eight times, ~0.25 CPU s each)
    shared = [i for key, ids in groups.items() if key for i in ids] if lookups and len(groups) > 2 else []
    ctes = [f"_fx AS MATERIALIZED (SELECT o.*{facts}, mi.i AS _fi, mi.check_id AS _fcid FROM {rec} o "
            f"JOIN _mi mi ON {on} WHERE mi.i IN ({', '.join(map(str, shared))}))"] if shared else []
    for ids in groups.values():
        zh, en = (suggestion(g, "e._fi", lambda i: i in ids) for g in ("zh", "en"))
        pick = f"JOIN _mi mi ON {on} WHERE mi.i IN ({', '.join(map(str, ids))})"
        if lookups:
            words = sql_words(zh + en) - set(FACT_OF)
            # the flagged records of these checks first, then their texts (layout 5) and lookups
            flagged = f"(SELECT * FROM _fx WHERE _fi IN ({', '.join(map(str, ids))}))" if ids[0] in shared else \
                f"(SELECT o.*{facts}, mi.i AS _fi, mi.check_id AS _fcid FROM {rec} o {pick})"
            rel = lookup_view(p, rsrc(words, flagged), {tb: tb for tb, _, _ in p.joins}, snapshot_date, words)
            # a fix that reads only the record's own texts (the escape checks decode eleven of them: at 10M
            # records 205 k flags and 59 distinct fixes cost ~1.4 CPU s) is worked out once per distinct text
            if rec_cols is not None and words & set(VERBATIM) and not lookups_used(p, words):
                # the columns the fix reads (the facts too, which `words` leaves out), with the check's index
                keyed = ["_fi"] + sorted(sql_words(zh + en) & (set(rec_cols) | set(VERBATIM) | {n for n, _ in p.columns} | set(FACT_OF))
                                         - {"record_id", "source_row"})
                name, cols = f"_fxd{len(ctes)}", ", ".join(duck.ident(c) for c in keyed)
                ctes.append(f"{name} AS MATERIALIZED (SELECT e.record_id, e._fcid, {cols} FROM ({rel}) e)")
                same = " AND ".join(f"f.{duck.ident(c)} IS NOT DISTINCT FROM s.{duck.ident(c)}" for c in keyed)
                parts.append(f"""SELECT f.record_id, f._fcid AS check_id, s.suggestion, s.suggestion_en FROM {name} f
                    JOIN (SELECT e.*, {zh} AS suggestion, {en} AS suggestion_en FROM (SELECT DISTINCT ON ({cols}) {cols} FROM {name}) e) s
                    ON {same}""")
                continue
        else:
            rel = f"SELECT o.*, mi.i AS _fi, mi.check_id AS _fcid FROM e o {pick}"
        parts.append(f"SELECT e.record_id, e._fcid AS check_id, {zh} AS suggestion, {en} AS suggestion_en FROM ({rel}) e")
    return ("WITH " + ", ".join(ctes) + " " if ctes else "") + " UNION ALL ".join(parts)


# a column an SQL text over the record `e` reads (a fix text, a record fact): `e.name` or `e."name"`
_E_REF = re.compile(r'(?<![\w."])e\.("(?:[^"]|"")+"|\w+)')


# The fractions summed exactly (a DECIMAL sum is an integer sum): a sum of DOUBLEs depends on the order
# the threads hand the groups over, and two builds of the same files gave scores differing in their
# last bits (0.4285641899839665 and 0.42856418998396656)
COMPLETENESS_SUM = "sum((e.n * {c})::DECIMAL(38, 12))::DOUBLE"


# What the aggregates group records by that is a lookup's columns: the point's areas (the point lookup)
# and the matched name's (the name lookup). Each combination has an id, a hash of its values computed
# once per lookup row (a collision is accepted as for the record keys: ~n²/2^65 for n combinations);
# the records are grouped by the ids, and the groups get the texts back from the lookups after.
# Grouped by the four area texts (grouping sets 0 and 1) and the six taxon texts (set 3), the 10M
# bench's grouping took 8.4 CPU s, by the ids 4.2-5.1 (the same groups).
GROUP_IDS = {"_aid": ("county", "town", "h3_r7", "grid_id"),
             "_tid": ("group_zh", "group_en", "accepted_name", "taxon_id", "is_endemic", "redlist")}


def _group_ids(con, p: RecordPlan, in_lookups: bool) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """For each of GROUP_IDS, creates the table `<id>_t` (id → its columns, from the lookup) and returns
    how the record view gets the id: `in_lookups` (layout 3 on, the record view joins the lookups): the
    id is added to its lookup table (after write_outputs wrote the lookup files), and the returned plan
    columns (`more`) are for `view(need, more)`; layout 2 (the derived columns in the record file): the
    same hash computed per record (`inline`: id → SQL over the record)."""
    derived = dict(p.columns)
    tables = {a: t for t, a, _ in p.joins}
    more, inline = [], {}
    for gid, names in GROUP_IDS.items():
        exprs = [_AS.sub("", derived[n]) for n in names]
        als = set().union(*(_aliases(derived[n]) for n in names))
        assert len(als) == 1 and next(iter(als)) in tables, (gid, als)     # one lookup's own columns
        a = next(iter(als))
        table, h = tables[a], f"hash({', '.join(exprs)})"
        con.execute(f"""CREATE OR REPLACE TEMP TABLE {gid}_t AS SELECT DISTINCT {h} AS {gid},
            {', '.join(f'{x} AS {n}' for x, n in zip(exprs, names))} FROM {table} {a}""")
        if not in_lookups:
            inline[gid] = f"hash({', '.join(names)})"
            continue
        if gid not in {r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()}:
            con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT {a}.*, {h} AS {gid} FROM {table} {a}")
        more.append((gid, f"{a}.{gid}"))
    return more, inline


def aggregates(con, outdir: Path, sources: list[dict] | None = None, view=None,
               params: geo.GeoParams = geo.DEFAULT) -> dict[str, int]:
    """Write the small tables the pages read (after write_outputs). Returns their row counts.

    `sources` (the manifest's) give each source file's profile and the checks it was judged by.
    `view` (layout 3, from write_outputs): each query reads the record view with only its lookups."""
    dims = DIMENSIONS
    # whether a record has an error is a test on its check masks (no join with the summary lookup)
    run = _applied(con)
    words = _words(len(run))
    masks = mask_cols(words)
    mg = ", ".join(masks)

    def error_free(n):
        """SQL: records without an error (in all, per dimension, in content): `n(cond)` counts where cond holds."""
        no_error = n(f"NOT {any_error(run, words, alias='e')}")
        # "content" = every dimension but completeness: a file can lack whole columns the standard
        # asks for (then no record is error-free) and still have points, names and dates worth mapping
        content = " OR ".join(any_error(run, words, d, "e") for d in dims if d != "completeness")
        ok_content = n(f"NOT ({content})") + " AS ok_content"
        ok_dims = [n("NOT " + any_error(run, words, d, "e")) + f" AS ok_{d}" for d in dims]
        return no_error, ok_content, ", ".join(ok_dims + [ok_content])
    # filled fields are bits of the record's _f<w> words (filled_mask_sql, written by the record pass)
    has = has_filled("e")
    fw = ", ".join(filled_cols())
    # Every aggregate reads `_agx`: the records grouped once, in one scan, by what each family of
    # aggregates counts (grouping sets; `_set` says which):
    #   0  agency, dataset, the point's areas, masks and the two facts they count (a survey's fixed
    #      sites: ~8× fewer rows than records at 10M): the area and per-check aggregates (`_ag`);
    #   1  agency, dataset, areas and the distinct accepted names of species-level records, for the
    #      distinct species counts (`_ag`'s is_name rows; their n is not counted);
    #   2  agency, dataset, source file, profile, table kind, masks, filled fields, tier and facts:
    #      agg_dataset, agg_completeness and agg_profile;
    #   3  agency, county and the matched name's columns: agg_taxon_area and agg_species.
    # Five more scans of the records, each with its own lookups, cost the 10M build ~6 CPU s.
    #   (the areas and the name's columns as their ids, GROUP_IDS: the texts are joined to the groups after)
    more, inline = _group_ids(con, plan(params), view is not None)
    # (what a source sets once, its profile, table kind and dataset name, is joined to the groups after)
    per_ds = f"agency, dataset_id, source_index, {mg}, {fw}, _tier, _fit, _abs"
    ag = f"""CREATE OR REPLACE TEMP TABLE _agx AS SELECT
          CASE WHEN grouping(sp_an) = 0 THEN 1 WHEN grouping(source_index) = 0 THEN 2 WHEN grouping(_aid) = 0 THEN 0 ELSE 3 END AS _set,
          agency, dataset_id, _aid, {mg}, _fit, _abs, sp_an, source_index, {fw}, _tier, county, _tid, _sp, _an,
          count(*) AS n
        FROM (SELECT agency, dataset_id, {inline.get('_aid', '_aid')} AS _aid, {mg}, _fit, _abs, CASE WHEN _sp THEN _an END AS sp_an,
                {SOURCE_OF} AS source_index, {fw}, _tier, county, {inline.get('_tid', '_tid')} AS _tid, _sp, _an FROM e)
        GROUP BY GROUPING SETS ((agency, dataset_id, _aid, {mg}, _fit, _abs), (agency, dataset_id, _aid, sp_an), ({per_ds}),
                                (agency, county, _tid, _fit, _abs, _sp, _an))"""
    if view is not None:     # (layout 2: `e` is the record file, every column in it)
        con.execute(f"CREATE OR REPLACE TEMP VIEW e AS {view(sql_words(ag), more)}")
    con.execute(ag)
    con.execute(f"""CREATE OR REPLACE TEMP VIEW _ag AS SELECT g._set = 1 AS is_name, g.agency, g.dataset_id,
          {', '.join('a.' + c for c in GROUP_IDS['_aid'])}, {', '.join('g.' + m for m in masks)}, g._fit, g._abs, g.sp_an AS _an, g.n
        FROM _agx g LEFT JOIN _aid_t a ON a._aid = g._aid WHERE g._set IN (0, 1)""")
    con.execute(f"""CREATE OR REPLACE TEMP VIEW _agd AS SELECT g.{per_ds.replace(', ', ', g.')}, s.dataset_name, s.profile, s.table_kind, g.n
        FROM _agx g JOIN _src s USING (source_index) WHERE g._set = 2""")
    con.execute(f"""CREATE OR REPLACE TEMP VIEW _agt AS SELECT g.agency, g.county, {', '.join('t.' + c for c in GROUP_IDS['_tid'])},
          g._fit, g._abs, g._sp, g._an, g.n FROM _agx g LEFT JOIN _tid_t t ON t._tid = g._tid WHERE g._set = 3""")
    # the record facts (RECORD_FACTS) in place of the lookups they were computed from
    d_n = lambda cond="true": f"coalesce(sum(e.n) FILTER (WHERE {cond}), 0)::BIGINT"   # noqa: E731
    a_n = lambda cond="true": d_n(f"NOT e.is_name AND {cond}")   # noqa: E731  (_ag: the name rows count no records)
    no_error, _, ok_cols = error_free(d_n)
    a_no_error, a_ok_content, a_ok_cols = error_free(a_n)
    a_species = "count(DISTINCT e._an) AS species"       # only the is_name rows have _an
    species = "count(DISTINCT e._an) FILTER (WHERE e._sp) AS species"
    queries = {
        "agg_dataset": f"""SELECT e.agency, e.dataset_id, any_value(e.dataset_name) AS dataset_name, sum(e.n)::BIGINT AS records,
              string_agg(DISTINCT e.profile, ',' ORDER BY e.profile) AS profile,
              {no_error} AS records_no_error, {COMPLETENESS_SUM.format(c=profiles.completeness_sql('e', has))} AS completeness_sum,
              {d_n('e._tier = 2')} AS tier_gold, {d_n('e._tier = 1')} AS tier_silver,
              {d_n('e._tier = 0')} AS tier_bronze, {d_n('e._tier IS NOT NULL')} AS tier_records,
              {d_n('e._fit')} AS usable_1km, {d_n('e._abs')} AS absences,
              coalesce(any_value(s.species), 0) AS species, {ok_cols}
            FROM _agd e LEFT JOIN (SELECT agency, dataset_id, count(DISTINCT _an) AS species FROM _ag WHERE is_name GROUP BY ALL) s
              USING (agency, dataset_id)
            GROUP BY e.agency, e.dataset_id ORDER BY ALL""",
        # per-check counts: f is one row per (group, fired check) with the records it covers in n
        "agg_dataset_check": """SELECT f.agency, f.dataset_id, f.check_id, sum(f.n)::BIGINT AS n
            FROM _fc f GROUP BY ALL ORDER BY ALL""",
        "agg_town_check": """SELECT f.agency, f.dataset_id, f.county, f.town, f.check_id, sum(f.n)::BIGINT AS n
            FROM _fc f GROUP BY ALL ORDER BY ALL""",
        "agg_town": f"""SELECT e.agency, e.county, e.town, {a_n()} AS records, {a_ok_cols},
              {a_no_error} AS records_no_error,
              {a_n('e._fit')} AS usable_1km, {a_species}, {a_n('e._abs')} AS absences
            FROM _ag e GROUP BY ALL ORDER BY ALL""",
        "agg_h3_check": """SELECT f.agency, f.dataset_id, f.h3_r7 AS h3, f.check_id, sum(f.n)::BIGINT AS n FROM _fc f
            WHERE f.h3_r7 IS NOT NULL GROUP BY ALL ORDER BY ALL""",
        "agg_h3": f"""SELECT e.agency, e.h3_r7 AS h3, {a_n()} AS records, {a_ok_content},
              {a_no_error} AS records_no_error,
              {a_n('e._fit')} AS usable_1km, {a_species}, {a_n('e._abs')} AS absences
            FROM _ag e WHERE e.h3_r7 IS NOT NULL GROUP BY ALL ORDER BY ALL""",
        "agg_grid": f"""SELECT e.agency, e.grid_id, {a_n()} AS records, {a_n('e._fit')} AS usable_1km,
              {a_species} FROM _ag e WHERE e.grid_id IS NOT NULL AND NOT coalesce(e._abs, false) GROUP BY ALL ORDER BY ALL""",
        "agg_taxon_area": f"""SELECT e.agency, coalesce(e.group_zh, '未比對') AS group_zh, coalesce(e.group_en, 'Unmatched') AS group_en,
              e.county, sum(e.n)::BIGINT AS records, {d_n('e._fit')} AS usable_1km,
              {species}
            FROM _agt e WHERE NOT e._abs GROUP BY ALL ORDER BY ALL""",
        "agg_species": f"""SELECT e.agency, e.accepted_name, any_value(e.group_zh) AS group_zh, any_value(e.taxon_id) AS taxon_id,
              bool_or(e.is_endemic) AS is_endemic, any_value(e.redlist) AS redlist, sum(e.n)::BIGINT AS records,
              {d_n('e._fit')} AS usable_1km
            FROM _agt e WHERE e.accepted_name IS NOT NULL AND e._sp GROUP BY ALL ORDER BY ALL""",
    }
    queries["agg_completeness"] = _completeness_sql()
    # the same areas over all agencies (<name>_all): distinct species cannot be summed across
    # agencies, so they are counted again, in the same pass (a second grouping set)
    paired = {"agg_town": "e.county, e.town", "agg_h3": "e.h3_r7", "agg_grid": "e.grid_id"}
    # The fired checks of a record are the bits of its masks (the same as flags.parquet): the
    # groups of _ag are split into checks (_mi, per distinct mask), no join of millions of flags.
    on = " AND ".join(f"mi.{m} = g.{m}" for m in masks)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _fc AS
        SELECT g.agency, g.dataset_id, g.county, g.town, g.h3_r7, mi.check_id, sum(g.n)::BIGINT AS n
        FROM _ag g JOIN _mi mi ON {on} WHERE NOT g.is_name AND ({' OR '.join(f'g.{m} <> 0' for m in masks)}) GROUP BY ALL""")
    counts = {}
    for name, sql in queries.items():
        if name in paired:
            keys = paired[name]
            both = sql.replace("SELECT e.agency, ", "SELECT grouping(e.agency) AS _all, e.agency, ", 1).replace(
                "GROUP BY ALL ORDER BY ALL", f"GROUP BY GROUPING SETS ((e.agency, {keys}), ({keys}))")
            con.execute(f"CREATE OR REPLACE TEMP TABLE _pair AS {both}")
            counts[name + "_all"] = con.execute(f"""COPY (SELECT * EXCLUDE (_all, agency) FROM _pair WHERE _all = 1 ORDER BY ALL)
                TO {duck.q(outdir / (name + '_all.parquet'))} (FORMAT parquet)""").fetchone()[0]
            sql = "SELECT * EXCLUDE (_all) FROM _pair WHERE _all = 0 ORDER BY ALL"
        # COPY answers with the number of rows it wrote
        counts[name] = con.execute(f"COPY ({sql}) TO {duck.q(outdir / (name + '.parquet'))} (FORMAT parquet)").fetchone()[0]
    if sources is not None:
        counts["agg_profile"] = _profile_table(con, outdir, sources)
    if view is not None:
        con.execute(f"CREATE OR REPLACE TEMP VIEW e AS {view()}")
    # the groups are written: their views and tables are not kept through the BDQ pass
    for v in ("_ag", "_agd", "_agt"):
        con.execute(f"DROP VIEW IF EXISTS {v}")
    for t in ("_agx", "_fc", "_pair", *(f"{g}_t" for g in GROUP_IDS)):
        con.execute(f"DROP TABLE IF EXISTS {t}")
    return counts


def _applied(con) -> list[Check]:
    """The checks run_checks applied, in mask-bit order."""
    cat = {c.id: c for c in catalogue()}
    return [cat[r[0]] for r in con.execute("SELECT check_id FROM _run ORDER BY i").fetchall()]


def _profile_table(con, outdir: Path, sources: list[dict]) -> int:
    """agg_profile: per agency × dataset × source file, the profile, why, the checks judged per
    record and the file-level findings (columns absent from the whole file). Pages read it for
    the file-level findings and to tell whether two snapshots judged a dataset alike."""
    con.execute("""CREATE OR REPLACE TEMP TABLE _src_profile (source_index BIGINT, source_file VARCHAR, profile VARCHAR,
        profile_how VARCHAR, profile_fields VARCHAR[], table_kind VARCHAR, checks_judged VARCHAR[], checks_file_level VARCHAR[])""")
    con.executemany("INSERT INTO _src_profile VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
        (s["index"], s["name"], s["profile"], s["profile_reason"].get("how"), list(s["profile_reason"].get("fields", [])),
         s["table"], sorted(s["checks_record_level"]), sorted(s["checks_file_level"])) for s in sources])
    return con.execute(f"""COPY (SELECT r.agency, r.dataset_id, p.* EXCLUDE (source_index), r.records
        FROM (SELECT agency, dataset_id, source_index, sum(n)::BIGINT AS records FROM _agd GROUP BY ALL) r
        JOIN _src_profile p USING (source_index) ORDER BY ALL) TO {duck.q(outdir / 'agg_profile.parquet')} (FORMAT parquet)""").fetchone()[0]


def _completeness_sql() -> str:
    """Per agency × dataset × profile × table × field: records and how many have the field filled.

    The records are grouped by their filled-field mask first (one scan of the record file's few
    columns; a few hundred groups), then each profile's fields (every field of the 生態檢核 tables
    with its M/C/O level for eco-check, the required fields for the others) are bit tests on the
    groups. The join with the field list keeps each profile's and table kind's own fields.
    """
    rows, cols = [], {}
    has = has_filled("c")
    for prof in profiles.judging():
        for kind in prof.tables:
            for term, zh, level, equiv in prof.heatmap_fields(kind):
                # filled as the profile's checks judge it: the field or an accepted equivalent (individualCount …)
                any_filled = has(tuple(equiv))
                if any_filled not in cols:
                    cols[any_filled] = f"coalesce(sum(c.n) FILTER (WHERE {any_filled}), 0) AS f_{len(cols)}"
                alias = f"f_{list(cols).index(any_filled)}"
                rows.append(f"('{prof.id}', '{kind}', '{term}', '{zh}', '{level}', '{alias}')")
    fw = ", ".join(filled_cols())
    grouped = f"SELECT agency, dataset_id, profile, table_kind, {fw}, sum(n) AS n FROM _agd GROUP BY ALL"
    present = (f"SELECT c.agency, c.dataset_id, c.profile, c.table_kind, sum(c.n) AS records, "
               f"{', '.join(cols.values())} "
               f"FROM ({grouped}) c GROUP BY ALL")
    return f"""WITH c AS ({present}),
        u AS (UNPIVOT c ON COLUMNS('^f_') INTO NAME alias VALUE filled),
        f(profile, kind, field, field_zh, level, alias) AS (VALUES {', '.join(rows)})
      SELECT u.agency, u.dataset_id, u.profile, u.table_kind, f.field, f.field_zh, f.level, u.records::BIGINT AS records, u.filled::BIGINT AS filled
      FROM u JOIN f ON f.alias = u.alias AND f.kind = u.table_kind AND f.profile = u.profile ORDER BY ALL"""
