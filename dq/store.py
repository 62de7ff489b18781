"""Read-side access to snapshots for the pages: small aggregates, never raw scans in a page."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from . import duck
from .checks import catalogue
from .demo import DEMO_ROOT
from .paths import SNAPSHOTS
from .snapshot import list_snapshots


def snapshots() -> list[Path]:
    return list_snapshots(DEMO_ROOT, SNAPSHOTS)


def manifest(snap: Path) -> dict:
    return json.loads((Path(snap) / "manifest.json").read_text(encoding="utf-8"))


def _agg(snap: Path, name: str, agency: str | None = None) -> pd.DataFrame:
    con = duck.connect(spatial=False)
    sql = f"SELECT * FROM read_parquet({duck.q(Path(snap) / (name + '.parquet'))})"
    df = con.execute(sql + (" WHERE agency = ?" if agency else ""), [agency] if agency else []).df()
    con.close()
    return df


def agencies(snap: Path) -> list[str]:
    return sorted(_agg(snap, "agg_dataset")["agency"].unique().tolist())


def kpis(snap: Path, agency: str | None = None) -> dict:
    ds = _agg(snap, "agg_dataset", agency)
    sp = _agg(snap, "agg_species", agency)
    records = int(ds["records"].sum())
    return {"records": records, "agencies": int(ds["agency"].nunique()), "datasets": int(len(ds)),
            "species": int(sp["accepted_name"].nunique()),
            "share_no_error": (ds["records_no_error"].sum() / records) if records else 0.0,
            "usable_1km": (ds["usable_1km"].sum() / records) if records else 0.0}


def datasets(snap: Path, agency: str | None = None) -> pd.DataFrame:
    return _agg(snap, "agg_dataset", agency)


def top_problems(snap: Path, agency: str | None = None, lang: str = "zh", n: int = 15) -> pd.DataFrame:
    df = _agg(snap, "agg_dataset_check", agency).groupby("check_id", as_index=False)["n"].sum()
    cat = {c.id: c for c in catalogue()}
    df["severity"] = df["check_id"].map(lambda i: cat[i].severity)
    df["title"] = df["check_id"].map(lambda i: cat[i].title_en if lang == "en" else cat[i].title_zh)
    return df.sort_values("n", ascending=False).head(n)


def rules(lang: str = "zh") -> pd.DataFrame:
    from .checks import DIMENSION_ZH
    return pd.DataFrame([{
        "id": c.id, "dimension": c.dimension if lang == "en" else DIMENSION_ZH[c.dimension], "severity": c.severity,
        "title": c.title_en if lang == "en" else c.title_zh,
        "explanation": c.explain_en if lang == "en" else c.explain_zh, "tables": ", ".join(c.tables)} for c in catalogue()])
