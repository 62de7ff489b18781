"""Read-side access to snapshots for the pages.

Pages call these functions (cached by snapshot id in the page); they read the small aggregate
tables a snapshot carries. Only drill-downs (example records, fix lists, flagged points, rows
missing a field) touch record-level Parquet, always filtered and limited, with bound parameters.
"""
from __future__ import annotations

import collections
import functools
import io
import json
import re
import os
from pathlib import Path

import pandas as pd

from . import duck, formulas, profiles, standard
from .checks import DIMENSION_ZH, DIMENSIONS, SEVERITY_RANK, by_id, catalogue, load_messages
from .paths import DEMO_ROOT, REFERENCE, SNAPSHOTS, list_snapshots
from .taxonomy import diaeresis_fold

OCC_DIMENSIONS = [d for d in DIMENSIONS if d != "open_data"]
EXCEL_MAX_ROWS = 1_048_575   # one row is the header


def snapshots() -> list[Path]:
    # DQ_SNAPSHOT_ROOTS (folders joined by os.pathsep) replaces the usual two roots: `dq bench
    # --pages --snapshot` points the dashboard at a big snapshot built elsewhere
    roots = os.environ.get("DQ_SNAPSHOT_ROOTS")
    return list_snapshots(*([Path(r) for r in roots.split(os.pathsep)] if roots else [DEMO_ROOT, SNAPSHOTS]))


def by_name(name: str) -> Path:
    for s in snapshots():
        if s.name == name:
            return s
    raise KeyError(f"no snapshot {name}")


def previous(snap: Path) -> Path | None:
    earlier = [s for s in snapshots() if s.name < Path(snap).name]
    return earlier[-1] if earlier else None


def manifest(snap: Path) -> dict:
    return json.loads((Path(snap) / "manifest.json").read_text(encoding="utf-8"))


def _pq(snap: Path, name: str) -> str:
    return duck.q(Path(snap) / (name + ".parquet"))


def record_select(path: Path, columns: list[str] | None = None, omitted: list[str] = ()) -> str:
    """SQL: the records of a record file with every column of the record view, in its order; the
    canonical columns no source had (`omitted`, not written: dq/engine.py write_outputs) as NULL."""
    src = f"read_parquet({duck.q(path)})"
    if not omitted:
        return f"SELECT * FROM {src}"
    gone = set(omitted)
    sel = ", ".join(f"NULL::VARCHAR AS {duck.ident(c)}" if c in gone else duck.ident(c) for c in columns)
    return f"SELECT {sel} FROM {src}"


def records_sql(snap: Path, need: str | None = None) -> str:
    """A snapshot's records as a parenthesised relation to select from, whatever its layout
    (manifest "layout"; 1 or none: every column is in occurrence.parquet; 2: the columns no source
    had are not; 3: the derived columns are in lookup files, joined back on the record's keys;
    5: the verbatim texts are in the source files the snapshot keeps, joined back on the source row).
    `need` (layout 3 and later): the SQL that will read the relation; only the derived (layout 5:
    and verbatim) columns it names are joined in (each join costs a probe per record; the texts
    a scan of the source file), the record file's own columns are all there."""
    snap = Path(snap)
    m = manifest(snap)
    layout = m.get("layout") or 1
    if layout >= 3:
        import dataclasses
        from . import engine, geo
        omitted = m.get("record_columns_omitted") or []
        # the plan it was written with; snapshots from before the manifest kept it: today's code's
        p = engine.plan_of(m["record_plan"]) if m.get("record_plan") else \
            engine.plan(dataclasses.replace(geo.DEFAULT, h3_resolution=int(m["params"]["h3_resolution"])))
        words = None if need is None else engine.sql_words(need)
        tables = {t: f"read_parquet({duck.q(snap / engine.lookup_file(t))})" for t, _, _ in p.joins}
        joined = set(p.derived)
        if layout >= 5:
            src = engine.verbatim_source(snap / "occurrence.parquet", verbatim_selects(snap, m), words)
            joined |= set(engine.VERBATIM)
        else:
            src = engine.record_source(snap / "occurrence.parquet", omitted)
        inner = engine.lookup_view(p, src, tables, m["snapshot"], words)
        cols = [c for c in m["record_columns"] if words is None or c not in joined or c in words]
        return f"(SELECT {', '.join(duck.ident(c) for c in cols)} FROM ({inner}))"
    return f"({record_select(snap / 'occurrence.parquet', m.get('record_columns'), m.get('record_columns_omitted') or [])})"


def verbatim_selects(snap: Path, m: dict | None = None) -> list[tuple[int, str]]:
    """A layout-5 snapshot's sources as (index, canonical SELECT over the source file it keeps),
    built from the mapping its manifest stores per source (snapshot.canonical_sql: no SQL is stored)."""
    from .snapshot import canonical_sql, source_file
    snap = Path(snap)
    m = m or manifest(snap)
    # the file name is derived from the index, never taken from the manifest's text
    return [(int(s["index"]), canonical_sql(s["canonical"], snap / source_file(s["index"]), int(s["index"])))
            for s in m["sources"]]


SOURCE_SPAN = 10_000_000_000     # record_id = source index × SOURCE_SPAN + source row (engine.SOURCE_SPAN)
REC = "__records__"   # where a drill-down's SQL reads the records: _rec fills in records_sql for what it names


def _rec(snap: Path, sql: str) -> str:
    return sql.replace(REC, records_sql(snap, sql))


def _query(sql: str, params: list | None = None, spatial: bool = False) -> pd.DataFrame:
    con = duck.connect(spatial=spatial)
    try:
        return con.execute(sql, params or []).df()
    finally:
        con.close()


def _filters(alias: str = "", agency: str | None = None, dataset: str | None = None,
             check_ids: list[str] | None = None) -> tuple[list[str], list]:
    """WHERE terms with bound parameters (user choices never enter SQL text)."""
    a = alias + "." if alias else ""
    where, params = [], []
    if agency:
        where.append(f"{a}agency = ?")
        params.append(agency)
    if dataset:
        where.append(f"{a}dataset_id = ?")
        params.append(dataset)
    if check_ids:
        where.append("list_contains(?, f.check_id)")
        params.append(list(check_ids))
    return where, params


def _agg(snap: Path, name: str, agency: str | None = None, dataset: str | None = None) -> pd.DataFrame:
    where, params = _filters("", agency, dataset)
    df = _query(f"SELECT * FROM read_parquet({_pq(snap, name)})" + (" WHERE " + " AND ".join(where) if where else ""), params)
    return _with_tier_records(df) if name == "agg_dataset" else df


def agencies(snap: Path) -> list[str]:
    return sorted(_agg(snap, "agg_dataset")["agency"].unique().tolist())


def dataset_ids(snap: Path, agency: str | None = None) -> list[str]:
    return sorted(_agg(snap, "agg_dataset", agency)["dataset_id"].unique().tolist())


def dataset_names(snap: Path, agency: str | None = None) -> dict[str, str]:
    """dataset id → the name a picker shows (the id where the dataset has no name): the pickers offered
    "TWBBS" and "amphibian-survey-2008-2016"."""
    d = _agg(snap, "agg_dataset", agency)[["dataset_id", "dataset_name"]].drop_duplicates("dataset_id")
    name = {i: (n.strip() if isinstance(n, str) and n.strip() else i) for i, n in zip(d["dataset_id"], d["dataset_name"])}
    # two datasets of one name (two agencies' "鳥類調查") are told apart by their ids
    twice = {n for n, k in collections.Counter(name.values()).items() if k > 1}
    return {i: (f"{n} ({i})" if n in twice and n != i else n) for i, n in name.items()}


# ---- scores -------------------------------------------------------------------------------

def _share(ds: pd.DataFrame, col: str, records: int) -> float | None:
    """A share of records, or None when the snapshot cannot judge it (built before the column existed)."""
    return float(ds[col].sum() / records) if col in ds and records else None


def _with_tier_records(ds: pd.DataFrame) -> pd.DataFrame:
    """agg_dataset as read (_agg) with tier_records: the records TBIA's tiers grade (an event table's
    or a species list's rows have no tier). A snapshot built before that column counted every record,
    those rows as bronze: its datasets of a profile without tiers are taken as ungraded, so an old and
    a new snapshot of the same data give the same shares."""
    if "tier_records" in ds or "tier_gold" not in ds:
        return ds
    on = ds["profile"].fillna("").map(lambda v: bool(set(v.split(",")) & profiles.TIERED)) if "profile" in ds else True
    ds["tier_records"] = ds["records"].where(on, 0)
    for t in profiles.TIERS:
        ds[f"tier_{t}"] = ds[f"tier_{t}"].where(on, 0)
    return ds


def _tier_share(ds: pd.DataFrame, col: str) -> float | None:
    """A tier's share of the records TBIA's tiers grade; None when no record is graded."""
    n = ds["tier_records"].sum() if col in ds else 0
    return float(ds[col].sum() / n) if n else None


def _tier_shares(ds: pd.DataFrame, col: str) -> pd.Series:
    """Per row of agg_dataset, _tier_share (NaN where none of its records is graded)."""
    if col not in ds:
        return pd.Series(float("nan"), index=ds.index)
    return ds[col] / ds["tier_records"].where(ds["tier_records"] > 0)


def kpis(snap: Path, agency: str | None = None) -> dict:
    """Overview cards. Shares are of records; 'species' counts distinct accepted names. Each
    dataset counts only its own profile's checks; completeness is graded."""
    ds = _agg(snap, "agg_dataset", agency)
    sp = _agg(snap, "agg_species", agency)
    records = int(ds["records"].sum())
    return {"records": records, "agencies": int(ds["agency"].nunique()), "datasets": int(len(ds)),
            "species": int(sp["accepted_name"].nunique()),
            # no records (an agency absent from a snapshot): no share at all, not 0 %
            "share_no_error": _share(ds, "records_no_error", records), "usable_1km": _share(ds, "usable_1km", records),
            "completeness": _share(ds, "completeness_sum", records), "gold": _tier_share(ds, "tier_gold")}


# KPIs whose meaning depends on what each dataset was judged by (the others are counts)
JUDGED_KPIS = ("share_no_error", "completeness")


def kpi_delta(snap: Path, agency: str | None = None) -> dict | None:
    """Change of each KPI since the previous snapshot (None when there is none). A judged share
    whose yardstick changed is None, and `comparable` says so: never shown as a regression."""
    prev = previous(snap)
    if prev is None:
        return None
    a, b = kpis(prev, agency), kpis(snap, agency)
    same = comparable(prev, snap, agency)
    out = {k: (None if a[k] is None or b[k] is None or (k in JUDGED_KPIS and not same) else b[k] - a[k]) for k in b}
    return out | {"previous": prev.name, "comparable": same}


def _profiles(snap: Path, agency: str | None = None, dataset: str | None = None) -> pd.DataFrame | None:
    """agg_profile (None for a snapshot built before profiles existed)."""
    if not (Path(snap) / "agg_profile.parquet").exists():
        return None
    return _agg(snap, "agg_profile", agency, dataset)


def judged(snap: Path, agency: str | None = None, dataset: str | None = None) -> dict[tuple[str, str], tuple] | None:
    """Per agency × dataset, what it was judged by: (profiles, record-level checks, file-level checks)."""
    df = _profiles(snap, agency, dataset)
    if df is None:
        return None
    out = {}
    for (ag, ds), g in df.groupby(["agency", "dataset_id"]):
        out[(ag, ds)] = (tuple(sorted(set(g["profile"]))), tuple(sorted({c for x in g["checks_judged"] for c in x})),
                         tuple(sorted({c for x in g["checks_file_level"] for c in x})))
    return out


def comparable(a: Path, b: Path, agency: str | None = None, dataset: str | None = None) -> bool:
    """Whether scores of snapshots a and b can be subtracted: every dataset in both was judged by
    the same profile, the same checks, with the same columns absent. A snapshot built before
    profiles cannot be compared with one built after."""
    ja, jb = judged(a, agency, dataset), judged(b, agency, dataset)
    if ja is None or jb is None:
        return False
    # the checks' thresholds too: a snapshot built before centroid_chance flagged 19,538 demo records
    # "on a centroid" that one built after does not, a change of yardstick, not of the data
    ma, mb = manifest(a), manifest(b)
    if ma.get("params") != mb.get("params"):
        return False
    common = set(ja) & set(jb)
    # what each check asks (its SQL's fingerprint, manifest "rules"): COORD_MISSING stopped asking a
    # parent event for a point; a snapshot built before fingerprints cannot vouch for its checks
    ra, rb = ma.get("rules"), mb.get("rules")
    if ra != rb:
        used = {c for k in common for c in ja[k][1] + ja[k][2]}
        if ra is None or rb is None or any(ra.get(c) != rb.get(c) for c in used):
            return False
    return all(ja[k] == jb[k] for k in common)


def judged_checks(snap: Path, agency: str | None = None) -> set[str] | None:
    """Check ids judged at record level for any of the agency's datasets (None: snapshot predates profiles)."""
    j = judged(snap, agency)
    return None if j is None else {c for v in j.values() for c in v[1]}


def file_findings(snap: Path, agency: str | None = None, dataset: str | None = None, lang: str = "zh") -> pd.DataFrame:
    """File-level findings: one row per source file × check whose column the file lacks entirely."""
    cols = ["agency", "dataset_id", "source_file", "profile", "check_id", "columns", "severity", "title", "records"]
    df = _profiles(snap, agency, dataset)
    if df is None or df.empty:
        return pd.DataFrame(columns=cols)
    df = df.explode("checks_file_level").dropna(subset=["checks_file_level"]).rename(columns={"checks_file_level": "check_id"})
    if df.empty:
        return pd.DataFrame(columns=cols)
    cat = by_id()
    df = df.groupby(["agency", "dataset_id", "source_file", "profile", "check_id"], as_index=False)["records"].sum()
    df["columns"] = df["check_id"].map(lambda i: " / ".join(cat[i].named_columns))
    df = _check_meta(df, lang)
    df["_sev"] = df["severity"].map(SEVERITY_RANK)
    return df.sort_values(["_sev", "records", "check_id"], ascending=[True, False, True])[cols].reset_index(drop=True)


def tier_change(snap: Path, agency: str | None = None) -> pd.DataFrame:
    """TBIA record tiers per dataset: shares now and in the previous snapshot (NaN where it cannot say)."""
    now = datasets(snap, agency)
    cols = ["tier_gold", "tier_silver", "tier_bronze"]
    out = now[["agency", "dataset_id", "dataset_name", "records"] + [c for c in cols if c in now]].copy()
    # datasets() computed the shares already (share_<tier>)
    for c in cols:
        out[c + "_share"] = now[c.replace("tier_", "share_")]
    prev = previous(snap)
    before = datasets(prev, agency) if prev is not None else pd.DataFrame(columns=["agency", "dataset_id"])
    for c in cols:
        s = c.replace("tier_", "share_")
        before[c + "_share_prev"] = before[s] if s in before else float("nan")
    keep = ["agency", "dataset_id"] + [c + "_share_prev" for c in cols]
    out = out.merge(before[keep], on=["agency", "dataset_id"], how="left")
    for c in cols:
        out[c + "_change"] = out[c + "_share"] - out[c + "_share_prev"]
    return out


def scores(snap: Path, agency: str | None = None, dataset: str | None = None) -> dict:
    """DESIGN.md Scores, counting only each dataset's own profile's checks: per dimension the share
    of records with no record-level error in it; completeness graded (share of the profile's
    required fields filled, averaged over records); overall = no record-level error at all;
    TBIA tiers as shares. None where the snapshot cannot judge it."""
    return _scores_of(_agg(snap, "agg_dataset", agency, dataset))


def _scores_of(ds: pd.DataFrame) -> dict:
    """scores() of some rows of agg_dataset."""
    n = int(ds["records"].sum())
    out = {"overall": ds["records_no_error"].sum() / n if n else None, "records": n}
    for d in OCC_DIMENSIONS:
        out[d] = ds[f"ok_{d}"].sum() / n if n else None
    out["completeness"] = _share(ds, "completeness_sum", n)
    for t in profiles.TIERS:
        out[f"tier_{t}"] = _tier_share(ds, f"tier_{t}")
    # rows no tier grades (an event table's, a species list's)
    out["tier_ungraded"] = int(n - ds["tier_records"].sum()) if "tier_records" in ds else 0
    return out


def datasets(snap: Path, agency: str | None = None) -> pd.DataFrame:
    ds = _agg(snap, "agg_dataset", agency)
    ds["score_overall"] = ds["records_no_error"] / ds["records"]
    for d in OCC_DIMENSIONS:
        ds[f"score_{d}"] = ds[f"ok_{d}"] / ds["records"]
    ds["score_completeness"] = ds["completeness_sum"] / ds["records"] if "completeness_sum" in ds else float("nan")
    for t in profiles.TIERS:
        ds[f"share_{t}"] = _tier_shares(ds, f"tier_{t}")
    return ds


def _check_meta(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    cat = by_id()
    df["severity"] = df["check_id"].map(lambda i: cat[i].severity)
    df["dimension"] = df["check_id"].map(lambda i: cat[i].dimension if lang == "en" else DIMENSION_ZH[cat[i].dimension])
    df["title"] = df["check_id"].map(lambda i: cat[i].title_en if lang == "en" else cat[i].title_zh)
    return df


def top_problems(snap: Path, agency: str | None = None, lang: str = "zh", n: int = 15) -> pd.DataFrame:
    """Checks by number of records flagged, errors first."""
    df = _agg(snap, "agg_dataset_check", agency).groupby("check_id", as_index=False)["n"].sum()
    df = _check_meta(df, lang)
    df["_sev"] = df["severity"].map(SEVERITY_RANK)
    return df.sort_values(["_sev", "n"], ascending=[True, False]).drop(columns="_sev").head(n).reset_index(drop=True)


def check_change(snap: Path, agency: str | None = None, lang: str = "zh") -> pd.DataFrame:
    """Flag counts per check in this snapshot and the previous one."""
    now = _agg(snap, "agg_dataset_check", agency).groupby("check_id")["n"].sum().rename("n")
    prev = previous(snap)
    before = (_agg(prev, "agg_dataset_check", agency).groupby("check_id")["n"].sum().rename("n_previous")
              if prev is not None else pd.Series(dtype="int64", name="n_previous"))
    df = pd.concat([now, before], axis=1).fillna(0).astype("int64").reset_index().rename(columns={"index": "check_id"})
    df["change"] = (df["n"] - df["n_previous"]).astype("Int64")
    # a check judged in only one of the two snapshots has no change to show: "not comparable"
    if prev is not None:
        ja, jb = judged_checks(prev, agency), judged_checks(snap, agency)
        df["comparable"] = df["check_id"].map(lambda c: ja is not None and jb is not None and c in ja and c in jb)
        df.loc[~df["comparable"], "change"] = pd.NA
    else:
        df["comparable"] = False
    return _check_meta(df, lang).sort_values("n", ascending=False).reset_index(drop=True)


EXAMPLE_COLS = ["record_id", "dataset_id", "source_row", "occurrenceID", "scientificName", "vernacularName", "eventDate",
                "decimalLatitude", "decimalLongitude", "verbatimLocality"]


def suggestion_col(snap: Path, lang: str = "zh", alias: str = "f", name: str = "flags") -> str:
    """SQL: the column of a flags file (flags.parquet, od_flags.parquet) holding the suggested fix in
    `lang`. Snapshots built before the English suggestions (no suggestion_en) give the zh-TW one."""
    flags = Path(snap) / f"{name}.parquet"
    if lang == "en" and flags.exists() and "suggestion_en" in _parquet_columns(str(flags), flags.stat().st_mtime):
        return f"{alias}.suggestion_en"
    return f"{alias}.suggestion"


@functools.lru_cache(maxsize=64)
def _parquet_columns(path: str, mtime: float) -> tuple[str, ...]:
    import pyarrow.parquet as pq
    return tuple(pq.read_schema(path).names)


def examples(snap: Path, check_id: str, agency: str | None = None, n: int = 3, lang: str = "zh") -> pd.DataFrame:
    """A few records behind one check (with the suggested fix)."""
    where, params = _filters("o", agency, None, [check_id])
    # a check with no concrete fix for a record says what to do, as the fix list does
    picked = _query(_rec(snap, f"""SELECT o.record_id, coalesce({suggestion_col(snap, lang)}, ?) AS suggestion
        FROM read_parquet({_pq(snap, 'flags')}) f
        JOIN {REC} o USING (record_id) WHERE {' AND '.join(where)}
        ORDER BY o.record_id LIMIT {int(n)}"""), [by_id()[check_id].todo(lang)] + params)
    return _with_columns(snap, picked, EXAMPLE_COLS)


def _with_columns(snap: Path, picked: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    """A few picked records (`picked`: record_id and what was computed for them) with the records'
    columns `cols` in front, in the picked order. The records are read by their ids and source
    rows as constants: a layout-5 snapshot then reads the verbatim texts of these rows only (joined
    through flags, the optimizer would scan every row's texts)."""
    ids = list(dict.fromkeys(int(i) for i in picked["record_id"]))
    order = list(dict.fromkeys(cols + list(picked.columns)))
    sel = ", ".join(duck.ident(c) for c in dict.fromkeys(["record_id"] + [c for c in cols if c not in picked.columns]))
    rel = records_sql(snap, need=" ".join(cols))
    if not ids:     # typed like a found record: an empty table reads the same as a full one
        recs = _query(f"SELECT {sel} FROM {rel} LIMIT 0")
    elif len(ids) <= MAX_IN_LIST:
        marks = ", ".join("?" * len(ids))
        recs = _query(f"SELECT {sel} FROM {rel} WHERE record_id IN ({marks}) AND source_row IN ({marks})",
                      ids + [i % SOURCE_SPAN for i in ids])
    else:     # a long list is a join DuckDB plans itself
        recs = _query(f"SELECT {sel} FROM {rel} JOIN (SELECT unnest(?::BIGINT[]) AS record_id) p USING (record_id)", [ids])
    return picked.merge(recs, on="record_id", how="left")[order]


MAX_IN_LIST = 2000   # picked records read by constant lists up to this many


# ---- fix list ------------------------------------------------------------------------------

FIX_COLUMNS = ["record_id", "source_file", "source_row", "dataset_id", "occurrenceID", "check_id", "severity", "title",
               "values", "suggestion", "message"]


def _values_expr(c, lang: str) -> str | None:
    """SQL over `o`: the offending verbatim values of a record flagged by check `c` (the columns it shows)."""
    from .sources.aliases import CANONICAL
    canon = set(CANONICAL)
    cols = [x for x in c.evidence if x in canon]   # identifiers enter SQL only from the canonical list
    if not cols:
        return None
    blank_txt = "(blank)" if lang == "en" else "（空白）"
    ref = {x: "o." + duck.ident(x) for x in cols}
    if c.dimension == "completeness":   # the field itself is what is empty
        return f"'{cols[0]}=' || coalesce(nullif(trim({ref[cols[0]]}), ''), '{blank_txt}')"
    parts = ", ".join(f"CASE WHEN nullif(trim({ref[x]}), '') IS NOT NULL THEN '{x}=' || {ref[x]} END" for x in cols)
    # an English list is separated as English is written (the full-width '；' read as a stray Chinese mark there)
    sep = "; " if lang == "en" else "；"
    return f"coalesce(nullif(concat_ws('{sep}', {parts}), ''), '{blank_txt}')"


def fix_list(snap: Path, agency: str | None = None, check_ids: list[str] | None = None,
             dataset: str | None = None, lang: str = "zh") -> pd.DataFrame:
    """One row per flag: what to send back to the data holder. Every row names the offending
    value(s) and either a concrete fix or a sentence saying what to check (never empty)."""
    from .sources.aliases import CANONICAL
    where, params = _filters("o", agency, dataset, check_ids)
    con = duck.connect(spatial=False)
    en = lang == "en"
    sev = "m.severity" if en else "CASE m.severity WHEN 'error' THEN '錯誤' WHEN 'warning' THEN '警告' ELSE '提示' END"
    cat = by_id()
    canon = set(CANONICAL)
    shown = sorted({x for c in cat.values() for x in c.evidence if x in canon} | {"occurrenceID"})
    try:
        load_messages(con, lang=lang)
        con.execute("CREATE OR REPLACE TEMP TABLE _titles (check_id VARCHAR, title VARCHAR)")
        con.executemany("INSERT INTO _titles VALUES (?, ?)", [(c.id, c.title_en if en else c.title_zh) for c in cat.values()])
        con.execute(_rec(snap, f"""CREATE OR REPLACE TEMP TABLE _fl AS SELECT f.check_id, {suggestion_col(snap, lang)} AS suggestion, o.record_id, o.source_file, o.source_row,
              o.dataset_id, {', '.join('o.' + duck.ident(x) for x in shown)}
            FROM read_parquet({_pq(snap, 'flags')}) f JOIN {REC} o USING (record_id)
            {'WHERE ' + ' AND '.join(where) if where else ''}"""), params)
        # one small SELECT per check present: a single CASE over every check is very slow in DuckDB
        present = [r[0] for r in con.execute("SELECT DISTINCT check_id FROM _fl").fetchall()]
        vals = [f"SELECT o.record_id, o.check_id, {e} AS \"values\" FROM _fl o WHERE o.check_id = '{cid}'"
                for cid in present if cid in cat and (e := _values_expr(cat[cid], lang))]
        vsql = " UNION ALL ".join(vals) or "SELECT NULL::BIGINT AS record_id, NULL::VARCHAR AS check_id, NULL::VARCHAR AS \"values\" WHERE false"
        return _own_headers(snap, con.execute(f"""SELECT o.record_id, o.source_file, o.source_row, o.dataset_id, o.occurrenceID, o.check_id,
              {sev} AS severity, t.title, v."values", coalesce(nullif(trim(o.suggestion), ''), m.todo) AS suggestion, m.message
            FROM _fl o JOIN _meta m USING (check_id) JOIN _titles t USING (check_id)
            LEFT JOIN ({vsql}) v USING (record_id, check_id)
            ORDER BY o.source_file, o.source_row, o.check_id""").df())
    finally:
        con.close()


def _own_headers(snap: Path, fl: pd.DataFrame) -> pd.DataFrame:
    """The fix list's values name each field as the record's own file heads it (蛙種=日本樹蛙, not
    vernacularName=日本樹蛙: the list goes back to the people who wrote 蛙種). One vectorised replace per
    (file, renamed column), never a loop over the rows."""
    import re
    if fl.empty or "values" not in fl:
        return fl
    for src in manifest(snap).get("sources", []):
        mapped = (src.get("canonical") or {}).get("mapped") or src.get("columns_mapped") or {}
        rows = fl["source_file"] == src.get("name")
        if not rows.any():
            continue
        for header, term in mapped.items():
            if header != term:
                fl.loc[rows, "values"] = fl.loc[rows, "values"].str.replace(
                    rf"(^|；){re.escape(term)}=", lambda m, h=header: f"{m.group(1)}{h}=", regex=True)
    return fl


def fix_list_headers(df: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The fix list with column headers in the UI language."""
    from .i18n import t
    return df.rename(columns={c: t(f"fl_{c}", lang) for c in df.columns if f"fl_{c}" in _fl_keys()})


def _fl_keys() -> set[str]:
    from .i18n import LABELS
    return {k for k in LABELS if k.startswith("fl_")}


def file_stem(*parts) -> str:
    """A download's file name (without extension) from its parts: joined by "_", no character a file name cannot
    hold or a browser would change (an English agency name has spaces and commas)."""
    return "_".join(re.sub(r'[\\/:*?"<>|,\s]+', "-", str(p)).strip("-") for p in parts if p is not None and str(p) != "")


def fix_list_name(agency: str, snap_id: str, lang: str = "zh") -> str:
    """File name (without extension) in the UI language: `agency` as the page names it (in English, its English
    name: fixlist_特有生物研究保育中心 was an English page's download)."""
    from .i18n import t
    return file_stem(t('fixlist_file', lang), agency, snap_id)


def fix_list_csv(df: pd.DataFrame) -> bytes:
    # UTF-8 with BOM: Excel on Windows opens it with the Chinese intact; formulas neutralised
    return formulas.frame(df).to_csv(index=False).encode("utf-8-sig")


def _width(v) -> int:
    """Display width of a cell: CJK characters take two columns."""
    s = "" if v is None else str(v)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


def size_columns(ws, columns) -> None:
    """Each column of a worksheet as wide as its widest value in `columns` (per column, its heading and a sample
    of its values; CJK counted double), between 8 and 60 characters: a workbook read without resizing them."""
    from openpyxl.utils import get_column_letter
    for i, values in enumerate(columns, start=1):
        w = max((_width(v) for v in values), default=0)
        ws.column_dimensions[get_column_letter(i)].width = min(max(w + 2, 8), 60)


def fix_list_xlsx(df: pd.DataFrame, sheet: str = "fix list") -> tuple[bytes, bool]:
    """XLSX bytes (openpyxl, write-only) and whether rows were cut at Excel's sheet limit.

    The header row is frozen and filtered, and columns are as wide as their header and first
    values (capped), so the sheet reads without resizing every column."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter
    cut = len(df) > EXCEL_MAX_ROWS
    df = formulas.frame(df.head(EXCEL_MAX_ROWS))    # no cell becomes a live formula
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet[:31])
    sample = df.head(500)
    size_columns(ws, [[col] + sample[col].tolist() for col in df.columns])
    ws.freeze_panes = "A2"
    n = min(len(df), EXCEL_MAX_ROWS)
    ws.auto_filter.ref = f"A1:{get_column_letter(max(1, len(df.columns)))}{n + 1}"
    ws.append(list(df.columns))
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    # a control character in a cell (a file's stray \x01) is no character a workbook may hold: openpyxl refused
    # the whole sheet; shown as the replacement character
    for row in df.head(EXCEL_MAX_ROWS).itertuples(index=False):
        ws.append([None if (isinstance(v, float) and v != v) else ILLEGAL_CHARACTERS_RE.sub("\ufffd", v) if isinstance(v, str) else v
                   for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue(), cut


# ---- completeness --------------------------------------------------------------------------

def completeness(snap: Path, agency: str | None = None, by: str = "agency") -> pd.DataFrame:
    """Share of records with each field filled, per agency (or per dataset of one agency): the
    fields of each dataset's own profile (a snapshot built before profiles: the 生態檢核 fields)."""
    df = _agg(snap, "agg_completeness", agency)
    keys = [by] + (["profile"] if "profile" in df else []) + ["table_kind", "field", "field_zh", "level"]
    g = df.groupby(keys, as_index=False)[["records", "filled"]].sum()
    g["share"] = g["filled"] / g["records"]
    return g


def missing_rows(snap: Path, field: str, agency: str | None = None, dataset: str | None = None, n: int | None = 200,
                 kind: str | None = None) -> pd.DataFrame:
    """Records where a field their profile asks for is blank (drill-down of the completeness heatmap); `kind`:
    of that table kind only, as the page's summary counts them (a profile judging the name in both the
    occurrence and the species-list table listed the list's rows under the occurrences' count: a review)."""
    judged_by = [p for p in profiles.judging() if any(field == f for t in p.tables for f, *_ in p.heatmap_fields(t))]
    if not judged_by:
        raise KeyError(f"not a field of any profile: {field}")
    from .checks import blank
    where, params = _filters("", agency, dataset)
    cols = judged_by[0].equivalents.get(field, (field,))
    where += [blank(duck.ident(c)) for c in cols]   # as the profile's checks judge it
    if _profiles(snap) is not None:            # only records whose profile asks for the field
        where.append("list_contains(?, profile)")
        params.append([p.id for p in judged_by])
    if kind is not None:
        where.append("table_kind = ?")
        params.append(kind)
    cols = ", ".join(f'"{c}"' for c in EXAMPLE_COLS)
    return _query(_rec(snap, f"SELECT {cols} FROM {REC} WHERE {' AND '.join(where)} "
                  f"ORDER BY record_id{'' if n is None else f' LIMIT {int(n)}'}"), params)


def missing_rows_csv(snap: Path, field: str, agency: str | None, dataset: str | None, lang: str = "zh",
                     kind: str | None = None) -> bytes:
    """Every record missing `field` (missing_rows without its cap) as the completeness page's download: the
    headings in the language, UTF-8 behind a byte-order mark for Excel, no cell a live formula."""
    from .i18n import column_heading
    df = missing_rows(snap, field, agency, dataset, n=None, kind=kind)
    return fix_list_csv(df.rename(columns={c: column_heading(c, lang) for c in df.columns}))


# ---- maps ----------------------------------------------------------------------------------

def _area_quality(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    ok = [c for c in df.columns if c.startswith("ok_")]
    cols = ["records", "records_no_error", "usable_1km"] + (["species"] if keys[-1] == "town" else [])
    g = df.dropna(subset=[keys[-1]]).groupby(keys, as_index=False)[cols + ok].sum()   # species only per town: one row each
    g["share_no_error"] = g["records_no_error"] / g["records"]
    for c in ok:
        g[c] = g[c] / g["records"]   # shares in [0, 1], like the other scores
    return g


def _area(snap: Path, name: str, agency: str | None) -> pd.DataFrame:
    """An area aggregate for one agency, or its all-agency twin (where species are counted across agencies)."""
    return _agg(snap, name, agency) if agency else _agg(snap, name + "_all")


def county_quality(snap: Path, agency: str | None = None) -> pd.DataFrame:
    """Per county: records, share without errors, and per dimension the share without an error in it."""
    return _area_quality(_area(snap, "agg_town", agency), ["county"])


def town_quality(snap: Path, agency: str | None = None) -> pd.DataFrame:
    return _area_quality(_area(snap, "agg_town", agency), ["county", "town"])


@functools.cache
def place_names() -> tuple[dict, dict]:
    """The shipped boundaries' English names: county → county_eng, (county, town) → town_eng (the pages'
    English places and the validate page's annotated copy read the same)."""
    t = _query(f"SELECT county, county_eng, town, town_eng FROM read_parquet({duck.q(REFERENCE / 'towns.parquet')})")
    return dict(zip(t["county"], t["county_eng"])), dict(zip(zip(t["county"], t["town"]), t["town_eng"]))


@functools.lru_cache(maxsize=1)
def county_order() -> tuple[str, ...]:
    """The counties in the order government tables list them: by their official administrative-division
    codes (內政部, in the shipped boundaries), the special municipalities (6x000) first, then Taiwan
    Province's counties and cities (100xx), then Fujian's (09xxx: 連江縣, 金門縣)."""
    t = _query(f"SELECT county, county_code FROM read_parquet({duck.q(REFERENCE / 'counties.parquet')})")
    return tuple(c for c, _ in sorted(zip(t["county"], t["county_code"]),
                                      key=lambda r: (not str(r[1]).startswith("6"), str(r[1]).startswith("09"), str(r[1]))))


def outlines(level: str = "county") -> pd.DataFrame:
    """Simplified county or town polygons as GeoJSON text (shipped in data/reference)."""
    name = "map_counties" if level == "county" else "map_towns"
    return _query(f"SELECT * FROM read_parquet({duck.q(REFERENCE / (name + '.parquet'))})")


def flagged_points(snap: Path, check_ids: list[str], agency: str | None = None, dataset: str | None = None,
                   limit: int = 20_000, lang: str = "zh") -> tuple[pd.DataFrame, int]:
    """Flagged records grouped by check and place (a survey site flagged in 40 visits is one dot
    saying 40), with an example record and, where it differs, the verbatim degrees.

    Returns at most `limit` places and the number of flagged records, so a page can switch to
    hexagons when there are too many places.
    """
    where, params = _filters("o", agency, dataset, check_ids)
    where.append("o.lat IS NOT NULL")
    w = " AND ".join(where)
    base = f"FROM read_parquet({_pq(snap, 'flags')}) f JOIN {REC} o USING (record_id) WHERE {w}"
    total = int(_query(_rec(snap, f"SELECT count(*) AS n {base}"), params)["n"].iloc[0])
    df = _query(_rec(snap, f"""SELECT f.check_id, round(o.lat, 6) AS lat, round(o.lon, 6) AS lon,
          CASE WHEN o.x_num BETWEEN -180 AND 180 AND o.y_num BETWEEN -90 AND 90 AND (o.x_num <> o.lon OR o.y_num <> o.lat)
               THEN o.x_num END AS verbatim_lon,
          CASE WHEN o.x_num BETWEEN -180 AND 180 AND o.y_num BETWEEN -90 AND 90 AND (o.x_num <> o.lon OR o.y_num <> o.lat)
               THEN o.y_num END AS verbatim_lat,
          count(*) AS n, min(o.record_id) AS record_id, arg_min(o.source_row, o.record_id) AS source_row,
          arg_min(o.dataset_id, o.record_id) AS dataset_id, any_value(o.coord_source) AS coord_source,
          any_value(o.county) AS county, any_value(o.town) AS town, arg_min({suggestion_col(snap, lang)}, o.record_id) AS suggestion
        {base} GROUP BY ALL ORDER BY n DESC, record_id LIMIT {int(limit)}"""), params)
    # the example record's name and date (its verbatim texts), read for the example records alone
    out = _with_columns(snap, df, ["scientificName", "eventDate"])
    return out[["check_id", "lat", "lon", "verbatim_lon", "verbatim_lat", "n", "record_id", "source_row", "dataset_id",
                "scientificName", "eventDate", "coord_source", "county", "town", "suggestion"]], total


def flagged_hexes(snap: Path, check_ids: list[str], agency: str | None = None, dataset: str | None = None) -> pd.DataFrame:
    df = _agg(snap, "agg_h3_check", agency, dataset)
    df = df[df["check_id"].isin(check_ids)]
    return df.groupby("h3", as_index=False)["n"].sum()


def check_counts(snap: Path, dimension: str | None = None, agency: str | None = None, dataset: str | None = None) -> pd.DataFrame:
    df = _agg(snap, "agg_dataset_check", agency, dataset).groupby("check_id", as_index=False)["n"].sum()
    if dimension:
        # isin, not a boolean map: on an empty filter result the map is an object Series that
        # pandas would take as column labels (KeyError 'n')
        df = df[df["check_id"].isin([c.id for c in catalogue() if c.dimension == dimension])]
    return df.sort_values("n", ascending=False).reset_index(drop=True)


# ---- coverage and gaps ---------------------------------------------------------------------

def grid_coverage(snap: Path, agency: str | None = None) -> pd.DataFrame:
    """Per 5 km cell: our records, usable records and species against whole-TBIA record counts."""
    where, params = ("WHERE a.agency = ?", [agency]) if agency else ("", [])
    table = "agg_grid" if agency else "agg_grid_all"
    return _query(f"""WITH a AS (SELECT grid_id, sum(records) AS records, sum(usable_1km) AS usable_1km, max(species) AS species_max
                FROM read_parquet({_pq(snap, table)}) a {where} GROUP BY grid_id)
        SELECT g.grid_id, g.county, g.town, g.land_type, g.c_lat, g.c_lon, coalesce(a.records, 0) AS records,
               coalesce(a.usable_1km, 0) AS usable_1km, coalesce(a.species_max, 0) AS species, t.tbia_records, t.priority
        FROM read_parquet({duck.q(REFERENCE / 'grid.parquet')}) g
        LEFT JOIN a USING (grid_id) LEFT JOIN read_parquet({duck.q(REFERENCE / 'tbia_grid.parquet')}) t USING (grid_id)
        WHERE g.land_type <> 'sea' OR coalesce(a.records, 0) > 0""", params)


def h3_coverage(snap: Path, agency: str | None = None) -> pd.DataFrame:
    return _area(snap, "agg_h3", agency)[["h3", "records", "records_no_error", "usable_1km", "species"]]


def taxon_area(snap: Path, agency: str | None = None) -> pd.DataFrame:
    return _agg(snap, "agg_taxon_area", agency)


BINOMIAL = "array_to_string(string_split({c}, ' ')[1:2], ' ')"
THREATENED_RX = "\\b(CR|EN|VU)\\b"


def _checklist_species() -> str:
    """Accepted taxa of the checklist reduced to species (TaiCOL lists many birds only as subspecies)."""
    # names without a diaeresis, as a snapshot's records name them (Isoëtes is Isoetes: dq/taxonomy.py)
    return f"""SELECT {BINOMIAL.format(c=diaeresis_fold('accepted_name'))} AS species, any_value(group_zh) AS group_zh, any_value(group_en) AS group_en,
          any_value(family) AS family, bool_or(is_endemic AND rank = 'species') AS is_endemic,   -- an endemic subspecies does not make its species endemic
         
          -- the species' own category where it has one; else its varieties' or subspecies' (redlist_infra)
          coalesce(bool_or(regexp_matches(redlist, '{THREATENED_RX}')) FILTER (WHERE rank = 'species' AND nullif(trim(redlist), '') IS NOT NULL),
                   bool_or(coalesce(regexp_matches(redlist, '{THREATENED_RX}'), false))) AS threatened,
          coalesce(any_value(redlist) FILTER (WHERE rank = 'species' AND nullif(trim(redlist), '') IS NOT NULL),
                   string_agg(DISTINCT redlist, '; ' ORDER BY redlist)) AS redlist,
          count(*) FILTER (WHERE rank = 'species' AND nullif(trim(redlist), '') IS NOT NULL) = 0
            AND count(redlist) > 0 AS redlist_infra,
          min(taxon_id) AS taxon_id
        FROM read_parquet({duck.q(REFERENCE / 'checklist.parquet')}) WHERE status = 'accepted' GROUP BY 1"""


def _recorded(snap: Path, usable_only: bool, agency: str | None) -> tuple[str, list]:
    col = "usable_1km" if usable_only else "records"
    where, params = ("AND agency = ?", [agency]) if agency else ("", [])
    return (f"SELECT DISTINCT {BINOMIAL.format(c=diaeresis_fold('accepted_name'))} AS species FROM read_parquet({_pq(snap, 'agg_species')}) "
            f"WHERE {col} > 0 AND accepted_name IS NOT NULL {where}", params)


def checklist_coverage(snap: Path, agency: str | None = None, usable_only: bool = False) -> pd.DataFrame:
    """Per taxon group: checklist species, how many have ≥ 1 (usable) record; endemic and threatened (CR/EN/VU) among them."""
    rec, params = _recorded(snap, usable_only, agency)
    df = _query(f"""WITH ck AS ({_checklist_species()}), rec AS ({rec})
        SELECT ck.group_zh, ck.group_en, count(*) AS species_checklist, count(rec.species) AS species_recorded,
               count(*) FILTER (WHERE ck.is_endemic) AS endemic_checklist,
               count(rec.species) FILTER (WHERE ck.is_endemic) AS endemic_recorded,
               count(*) FILTER (WHERE ck.threatened) AS threatened_checklist,
               count(rec.species) FILTER (WHERE ck.threatened) AS threatened_recorded,
               -- species with any red-list category (LC included): 0 means the group was not assessed here
               count(*) FILTER (WHERE nullif(trim(ck.redlist), '') IS NOT NULL) AS redlist_checklist
        FROM ck LEFT JOIN rec USING (species) GROUP BY ALL ORDER BY species_checklist DESC""", params)
    df["coverage"] = df["species_recorded"] / df["species_checklist"]
    return df


def unrecorded_species(snap: Path, group_zh: str, agency: str | None = None, usable_only: bool = False,
                       lang: str = "zh") -> pd.DataFrame:
    """Checklist species of a group with no (usable) record in the snapshot: endemic and threatened first. In
    English besides its Chinese name (`vernacular`) a species' English name where a checklist gives one (the
    Taiwan bird list 2023: `vernacular_en`; a walk read Chinese mammal names under "Vernacular name")."""
    rec, params = _recorded(snap, usable_only, agency)
    en = lang == "en" and (REFERENCE / "vernacular_en.parquet").exists()   # a reference built without the bird list
    return _query(f"""WITH ck AS ({_checklist_species()}), rec AS ({rec}),
          v AS (SELECT binomial, string_agg(DISTINCT vernacular, '、') AS vernacular FROM read_parquet({duck.q(REFERENCE / 'vernacular.parquet')}) GROUP BY 1),
          ve AS ({f"SELECT binomial, string_agg(DISTINCT vernacular, ', ') AS vernacular FROM read_parquet({duck.q(REFERENCE / 'vernacular_en.parquet')}) GROUP BY 1"
                  if en else "SELECT NULL::VARCHAR AS binomial, NULL::VARCHAR AS vernacular WHERE false"})
        SELECT ck.taxon_id, ck.species, {"ve.vernacular AS vernacular_en, " if lang == "en" else ""}v.vernacular, ck.family, ck.is_endemic, ck.threatened,
               ck.redlist, ck.redlist_infra, u.species IS NOT NULL AS tbia_unrecorded
        FROM ck LEFT JOIN v ON v.binomial = ck.species LEFT JOIN ve ON ve.binomial = ck.species
        LEFT JOIN (SELECT DISTINCT species FROM read_parquet({duck.q(REFERENCE / 'tbia_unrecorded.parquet')})) u ON u.species = ck.species
        WHERE ck.group_zh = ? AND ck.species NOT IN (SELECT species FROM rec)
        ORDER BY ck.is_endemic DESC, ck.threatened DESC, tbia_unrecorded DESC, ck.species""", params + [group_zh])   # placeholders in text order


# ---- snapshot comparison -------------------------------------------------------------------

def _rec_key() -> str:
    # source rows move between exports; the publisher's occurrenceID is the stable identity
    return "coalesce(agency || '|' || dataset_id || '|' || nullif(trim(occurrenceID), ''), 'rid:' || record_id::VARCHAR)"


def compare(a: Path, b: Path) -> dict[str, pd.DataFrame]:
    """Snapshot a (older) → b (newer): records added/removed per agency, flags fixed/new per agency × check."""
    k = _rec_key()
    con = duck.connect(spatial=False)
    try:
        for name, snap in (("a", a), ("b", b)):
            con.execute(_rec(snap, f"CREATE TEMP TABLE r{name} AS SELECT {k} AS k, record_id, agency FROM {REC}"))
            con.execute(f"""CREATE TEMP TABLE f{name} AS SELECT r.k, r.agency, f.check_id
                FROM read_parquet({_pq(snap, 'flags')}) f JOIN r{name} r USING (record_id)""")
        records = con.execute("""SELECT coalesce(ra.agency, rb.agency) AS agency,
              count(ra.k) AS records_a, count(rb.k) AS records_b,
              count(*) FILTER (WHERE ra.k IS NULL) AS added, count(*) FILTER (WHERE rb.k IS NULL) AS removed
            FROM ra FULL JOIN rb USING (k) GROUP BY ALL ORDER BY ALL""").df()
        flags = con.execute("""WITH both_ AS (SELECT k FROM ra JOIN rb USING (k))
            SELECT coalesce(fa.agency, fb.agency) AS agency, coalesce(fa.check_id, fb.check_id) AS check_id,
              count(fa.k) AS flags_a, count(fb.k) AS flags_b,
              count(*) FILTER (WHERE fb.k IS NULL AND fa.k IN (SELECT k FROM both_)) AS fixed,
              count(*) FILTER (WHERE fa.k IS NULL AND fb.k IN (SELECT k FROM both_)) AS new_on_kept,
              count(*) FILTER (WHERE fa.k IS NULL AND fb.k NOT IN (SELECT k FROM both_)) AS on_added,
              count(*) FILTER (WHERE fb.k IS NULL AND fa.k NOT IN (SELECT k FROM both_)) AS on_removed
            FROM fa FULL JOIN fb ON fa.k = fb.k AND fa.check_id = fb.check_id GROUP BY ALL ORDER BY ALL""").df()
    finally:
        con.close()
    return {"records": records, "flags": flags}


# ---- rules ---------------------------------------------------------------------------------

def rules(lang: str = "zh") -> pd.DataFrame:
    judging = profiles.judging()
    return pd.DataFrame([{
        "id": c.id, "dimension": c.dimension if lang == "en" else DIMENSION_ZH[c.dimension], "severity": c.severity,
        "title": c.title_en if lang == "en" else c.title_zh,
        "explanation": c.explain_en if lang == "en" else c.explain_zh, "tables": ", ".join(c.tables),
        "profiles": ", ".join(p.id for p in judging if p.select(c)),
        "params": "；".join(f"{p}（{p.en if lang == 'en' else p.zh}）" for p in c.params) or "—",
        "fix": bool(c.fix)} for c in catalogue()])


# a BDQ parameter's value as the rules page says it: the SQL the tests are written with ("DATE '1582-11-15'",
# "current_date + INTERVAL 1 DAY") read as code on the page (a walk)
_PARAM_WORDS = {"current_date + INTERVAL 1 DAY": ("明天（檢核當日的次日）", "tomorrow (the day after the check)"),
                "date_trunc('year', current_date) + INTERVAL 1 YEAR": ("明年 1 月 1 日", "1 January next year"),
                "true": ("是", "yes"), "false": ("否", "no")}


def bdq_param_text(value, lang: str = "zh") -> str:
    """A BDQ test's parameter value in words: a date or text literal as its value, the relative dates said."""
    v = str(value).strip()
    if v in _PARAM_WORDS:
        return _PARAM_WORDS[v][lang == "en"]
    m = re.fullmatch(r"(?:DATE\s+)?'((?:[^']|'')*)'", v)
    return m.group(1).replace("''", "'") if m else v


def bdq_rules(lang: str = "zh") -> pd.DataFrame:
    """The TDWG BDQ tests (the bdq-core profile): label, GUID, kind, what it judges, and where a
    Taiwan check judges the same element differently on purpose."""
    from .checks import bdq
    from .i18n import t as t_
    return pd.DataFrame([{
        "id": t.label, "guid": t.guid, "kind": t_(f"bdq_kind_{t.kind}", lang), "dimension": t.dimension if lang == "en" else DIMENSION_ZH[t.dimension],
        "title": t.title_en if lang == "en" else t.title_zh,
        "params": ("; " if lang == "en" else "；").join(f"{p} = {bdq_param_text(v, lang)}" for p, v in t.params) or "—",
        "taiwan": (t.note_en if lang == "en" else t.note_zh) or "—"} for t in bdq.TESTS])

# ---- pages' small reads (issue 11) ---------------------------------------------------------

def agency_league(snap: Path) -> pd.DataFrame:
    """Per agency: records and the scores of `scores()` (overall and per dimension), best first."""
    ds = _agg(snap, "agg_dataset")
    graded = ["completeness_sum"] if "completeness_sum" in ds else []
    g = ds.groupby("agency", as_index=False)[["records", "records_no_error"] + [f"ok_{d}" for d in OCC_DIMENSIONS] + graded].sum()
    g["score_overall"] = g["records_no_error"] / g["records"]
    for d in OCC_DIMENSIONS:
        g[f"score_{d}"] = g[f"ok_{d}"] / g["records"]
    # completeness is graded, as scores() and the scorecard give it (the share of records without a
    # completeness error read 100 % for an agency whose files fill 57 % of the fields)
    g["score_completeness"] = g["completeness_sum"] / g["records"] if graded else float("nan")
    cols = ["agency", "records", "score_overall"] + [f"score_{d}" for d in OCC_DIMENSIONS]
    return g.sort_values(["score_overall", "records"], ascending=[False, False])[cols].reset_index(drop=True)


RECORD_SKIP = ("c_", "err_")   # the engine's working columns: its findings are listed as checks instead


def _blank_value(v) -> bool:
    """None, NaN or NaT (a missing date read back through pandas showed as "NaT" on the record page)."""
    if v is None or isinstance(v, (list, tuple, dict)):
        return v is None
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def given_at_ingest(snap: Path, agency: str | None = None) -> dict[str, list[str]]:
    """Source file → the terms its rows were given at ingest that the file has no column for (dq ingest
    --default, a unit taken from a header): the scorecard says so, since a file validated alone is judged as
    sent (the frog file: 3 file-level findings there, none on the scorecard; completeness 42.9 % against 57.1 %)."""
    out = {}
    for src in manifest(snap).get("sources", []):
        if agency is not None and src.get("agency") != agency:
            continue
        given, mapped = _given(src)
        if given := sorted(t for t in given if t not in mapped):
            out[src.get("name") or Path(src.get("file", "")).name] = given
    return out


def _given(src: dict | None) -> tuple[dict, set]:
    """A source's values given for all its rows (constants and --default values) and the terms its own
    columns map to (a given value for one of those fills only its blank cells)."""
    canon = (src or {}).get("canonical") or {}
    return {**(canon.get("constants") or {}), **(canon.get("defaults") or {})}, set((canon.get("mapped") or {}).values())


def record(snap: Path, record_id: int, lang: str = "zh") -> tuple[dict | None, pd.DataFrame]:
    """One record (every column it has a value in) and all its findings with title, severity and suggested fix."""
    fl = _query(f"""SELECT f.check_id, {suggestion_col(snap, lang)} AS suggestion FROM read_parquet({_pq(snap, 'flags')}) f
                    WHERE f.record_id = ? ORDER BY f.check_id""",
                [int(record_id)])
    cat = by_id()
    # the values each finding is about, as the fix list gives them (_values_expr), read with the record: "out of
    # range" with decimalLatitude 244711.85 seventeen rows down the fields table, off screen (a walk)
    vals = {f"_v{i}": e for i, c in enumerate(fl["check_id"]) if c in cat and (e := _values_expr(cat[c], lang))}
    # the source row is part of the id (record_id = source index × 10^10 + row): said outright, the
    # filter reaches the source file's scan too (layout 5 joins the texts on it)
    rec = _query(f"SELECT o.*{''.join(f', {e} AS {k}' for k, e in vals.items())} FROM {records_sql(snap)} o "
                 "WHERE o.record_id = ? AND o.source_row = ?", [int(record_id), int(record_id) % SOURCE_SPAN])
    if rec.empty:
        return None, pd.DataFrame(columns=["check_id", "suggestion"])
    fl["values"] = [rec.at[0, f"_v{i}"] if f"_v{i}" in vals else None for i in range(len(fl))]
    rec = rec.drop(columns=list(vals))
    row = {k: v for k, v in rec.iloc[0].items() if not k.startswith(RECORD_SKIP) and not _blank_value(v)}
    # the terms its source file has no column for but were given a value for all its rows (dq ingest --default,
    # a unit in a header): what the record page calls "default", not the source's own text
    src = next((x for x in manifest(snap).get("sources", []) if int(x.get("index", -1)) == int(record_id) // SOURCE_SPAN), None)
    given, mapped = _given(src)
    row["_defaults"] = sorted(t for t in given if t not in mapped)
    row["_filled"] = _filled_at_ingest(snap, src, [t for t in given if t in mapped and t in row], int(record_id) % SOURCE_SPAN)
    fl = _check_meta(fl, lang)
    # a check with no concrete fix for this record says what to do, as the fix list does
    fl["suggestion"] = [x if isinstance(x, str) and x.strip() else cat[c].todo(lang) for x, c in zip(fl["suggestion"], fl["check_id"])]
    fl["_sev"] = fl["severity"].map(SEVERITY_RANK)
    return row, fl.sort_values(["_sev", "check_id"]).drop(columns="_sev").reset_index(drop=True)


def unmapped_flags(snap: Path, check_ids: list[str], agency: str | None = None, dataset: str | None = None,
                   limit: int = 500, lang: str = "zh") -> tuple[pd.DataFrame, int]:
    """Flagged records that have no point to draw (missing, out of range, unreadable), and how many."""
    where, params = _filters("o", agency, dataset, check_ids)
    where.append("o.lat IS NULL")
    base = (f"FROM read_parquet({_pq(snap, 'flags')}) f JOIN {REC} o USING (record_id) "
            f"WHERE {' AND '.join(where)}")
    total = int(_query(_rec(snap, f"SELECT count(*) AS n {base}"), params)["n"].iloc[0])
    picked = _query(_rec(snap, f"""SELECT o.record_id, f.check_id, o.dataset_id, o.source_row, {suggestion_col(snap, lang)} AS suggestion
        {base} ORDER BY o.record_id, f.check_id LIMIT {int(limit)}"""), params)
    cols = ["record_id", "check_id", "dataset_id", "source_row", "scientificName", "eventDate", "verbatimLatitude",
            "verbatimLongitude", "decimalLatitude", "decimalLongitude", "verbatimLocality", "suggestion"]
    return _with_columns(snap, picked, cols), total


def _snap_stamp(snap: Path) -> str:
    import hashlib
    return hashlib.sha1((Path(snap) / "manifest.json").read_bytes()).hexdigest()[:12]


def compare_cached(a: Path, b: Path) -> dict[str, pd.DataFrame]:
    """compare(a, b), kept on disk: snapshots never change, so neither does their comparison (a rebuilt
    snapshot has a new manifest, hence a new key). A read-only disk just means computing it each time."""
    from .paths import CACHE
    d = CACHE / "compare" / f"{Path(a).name}_{_snap_stamp(a)}__{Path(b).name}_{_snap_stamp(b)}"
    if (d / "flags.parquet").exists() and (d / "records.parquet").exists():
        return {k: pd.read_parquet(d / f"{k}.parquet") for k in ("records", "flags")}
    res = compare(a, b)
    try:
        tmp = d.with_name(d.name + ".tmp")
        tmp.mkdir(parents=True, exist_ok=True)
        for k, df in res.items():
            df.to_parquet(tmp / f"{k}.parquet", index=False)
        tmp.replace(d)
    except OSError:
        pass
    return res


# what the record page shows: where the record came from, what the source said, what was derived from it
RECORD_PROVENANCE = ["record_id", "agency", "dataset_id", "dataset_name", "source_file", "source_row", "snapshot_date"]
RECORD_DERIVED = ["lat", "lon", "coord_source", "county", "town", "h3_r7", "grid_id", "unc_m", "event_date_parsed", "accepted_name",
                  "taxon_id", "match_type", "group_zh", "group_en", "is_endemic", "redlist"]


def _filled_at_ingest(snap: Path, src: dict | None, terms: list[str], source_row: int) -> list[str]:
    """Of `terms` (the file has a column for each, and a value was given at ingest for its blank cells),
    those whose cell is blank on this row: the value shown came from the ingest, not from the file."""
    from .snapshot import source_file
    from .sources.base import staged_relation
    if not terms or src is None:
        return []
    canon = src["canonical"]
    path = Path(snap) / source_file(int(src["index"]))
    if not path.exists():
        return []
    by_term = {t: h for h, t in canon["mapped"].items()}
    try:
        sel = ", ".join(f"nullif(trim({duck.ident(by_term[t])}::VARCHAR), '') IS NULL" for t in terms)
    except ValueError:      # a header duck.ident refuses is not read here: the value keeps the file's label
        return []
    got = _query(f"SELECT {sel} FROM {staged_relation(path, canon.get('cast'), canon['columns'])} WHERE source_row = ?",
                 [int(source_row)])
    return [t for t, blank in zip(terms, got.iloc[0].tolist()) if blank] if len(got) else []


def record_fields(rec: dict) -> pd.DataFrame:
    """One record's values as (term, value, kind) rows: provenance, the source's own fields (Darwin Core
    terms and the unmapped columns kept in `extra`), then the derived columns. Engine internals are left out."""
    # the dataset's code and name the file itself gives are shown once, as its own (they were listed twice:
    # as where the record came from and as the file's fields; a walk)
    same = {"dataset_id": "datasetID", "dataset_name": "datasetName"}
    rows = [(k, rec[k], "provenance") for k in RECORD_PROVENANCE if k in rec
            and not (k in same and str(rec.get(same[k]) or "") == str(rec[k]) and str(rec[k]) != "")]
    for k, v in rec.items():
        if k == "extra" and isinstance(v, str):
            try:
                rows += [(ek, ev, "verbatim") for ek, ev in json.loads(v).items() if ev not in (None, "")]
            except ValueError:
                rows.append((k, v, "verbatim"))
        elif (k[:1].islower() and "_" not in k and k not in RECORD_PROVENANCE and k not in RECORD_DERIVED
              and k not in ("lat", "lon", "marine", "errors", "warnings", "notes", "suggestions")):
            rows.append((k, v, "verbatim"))   # Darwin Core terms are camelCase; the engine's columns have underscores
    given, filled = set(rec.get("_defaults") or ()), set(rec.get("_filled") or ())
    rows = [(k, v, "default" if kind == "verbatim" and k in given else "default_blank" if kind == "verbatim" and k in filled else kind)
            for k, v, kind in rows]
    rows += [(k, rec[k], "derived") for k in RECORD_DERIVED if k in rec]
    return pd.DataFrame([(k, str(v), kind) for k, v, kind in rows if str(v) != ""], columns=["term", "value", "kind"])


def profile_table(lang: str = "zh") -> pd.DataFrame:
    """The declared profiles with their checks and the fields their completeness counts (Rules page)."""
    from .i18n import t
    return pd.DataFrame([{
        "id": p.id, "name": p.name(lang), "kind": t(f"profile_kind_{p.kind}", lang),
        "explanation": p.explain_en if lang == "en" else p.explain_zh, "n_checks": len(p.check_ids()),
        "required": "; ".join(f"{k}: {', '.join(v)}" for k, v in p.required.items()),
        "checks": ", ".join(sorted(p.check_ids()))} for p in profiles.PROFILES])


# ---- like with like (issue 11): a change of population is not a change of quality ------------

SHARE_KPIS = {"share_no_error": "records_no_error", "usable_1km": "usable_1km", "completeness": "completeness_sum", "gold": "tier_gold"}


def _common(a: pd.DataFrame, b: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(a["agency"], a["dataset_id"])) & set(zip(b["agency"], b["dataset_id"]))


def _on(ds: pd.DataFrame, keys: set[tuple[str, str]]) -> pd.DataFrame:
    mask = pd.Series([k in keys for k in zip(ds["agency"], ds["dataset_id"])], index=ds.index, dtype=bool)   # datasets, not records
    return ds.loc[mask]


def kpi_delta_like(snap: Path, agency: str | None = None) -> dict | None:
    """kpi_delta comparing like with like: the counts (records, agencies, datasets, species) change with
    the population, but a share's change is measured only on the agency × dataset pairs present in both
    snapshots, so publishers added between them never show as a drop. Says what was added and removed;
    a share is None (not comparable) when no dataset is in both or its yardstick changed."""
    prev = previous(snap)
    if prev is None:
        return None
    da, db = _agg(prev, "agg_dataset", agency), _agg(snap, "agg_dataset", agency)
    ka, kb = kpis(prev, agency), kpis(snap, agency)
    common = _common(da, db)
    ca, cb = _on(da, common), _on(db, common)
    ra, rb = int(ca["records"].sum()), int(cb["records"].sum())
    same = comparable(prev, snap, agency)
    out = {k: kb[k] - ka[k] for k in ("records", "agencies", "datasets", "species")}
    for k, col in SHARE_KPIS.items():
        sa, sb = (_tier_share(ca, col), _tier_share(cb, col)) if col.startswith("tier_") else (_share(ca, col, ra), _share(cb, col, rb))
        out[k] = None if sa is None or sb is None or (k in JUDGED_KPIS and not same) else sb - sa
    return out | {"previous": prev.name, "comparable": same, "common_datasets": len(common), "common_records": (ra, rb),
                  "agencies_added": sorted(set(db["agency"]) - set(da["agency"])),
                  "agencies_removed": sorted(set(da["agency"]) - set(db["agency"])),
                  "datasets_added": len(set(zip(db["agency"], db["dataset_id"])) - common),
                  "datasets_removed": len(set(zip(da["agency"], da["dataset_id"])) - common)}


def score_delta_like(snap: Path, agency: str) -> dict | None:
    """The change of each of `scores()`' shares on the agency's datasets present in both snapshots
    (None where not comparable), with how many datasets were added and removed."""
    prev = previous(snap)
    if prev is None:
        return None
    da, db = _agg(prev, "agg_dataset", agency), _agg(snap, "agg_dataset", agency)
    common = _common(da, db)
    if not common:
        return {"common_datasets": 0, "datasets_added": len(db), "datasets_removed": len(da)}
    ids = sorted(d for _, d in common)
    before, now = _scores_on(prev, agency, ids), _scores_on(snap, agency, ids)
    out = {k: None if before.get(k) is None or now.get(k) is None else now[k] - before[k] for k in now if k != "records"}
    return out | {"common_datasets": len(common), "datasets_added": len(db) - len(common), "datasets_removed": len(da) - len(common)}


def _scores_on(snap: Path, agency: str, dataset_ids: list[str]) -> dict:
    """scores() over some of the agency's datasets."""
    ds = _agg(snap, "agg_dataset", agency)
    return _scores_of(ds[ds["dataset_id"].isin(dataset_ids)])
