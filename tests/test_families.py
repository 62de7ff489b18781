"""One room per check family: each family declares its derivation next to its checks, the engine
knows none of them, and reading the catalogue (or the finished snapshots) loads no spatial library
and nothing of the write pipeline."""
import json
import subprocess
import sys

from dq.checks import Param, catalogue, families


def test_every_check_is_in_exactly_one_family():
    ids = [c.id for f in families() for c in f.checks]
    assert sorted(ids) == sorted(c.id for c in catalogue())
    assert len(ids) == len(set(ids))


def test_derived_columns_are_declared_by_a_family():
    # every `e.<col>` a check reads is a canonical column or a column some family derives
    import re
    from dq.sources.aliases import CANONICAL
    derived = set()
    for f in families():
        d = f.derivation
        derived |= set(d.record_cols)
        for col in d.columns:
            derived.add(re.split(r"\s+AS\s+|\.", col)[-1].strip().split("{")[0])
    canonical = {c if isinstance(c, str) else c[0] for c in CANONICAL}
    known = derived | canonical | {"snapshot_date", "table_kind", "record_id", "dataset_id", "agency", "h3_r",
                                         "srs_from_header", "source_file", "source_row",
                                         "row_cells", "overflow_cells", "row_kind"}   # record columns the readers stage (row shape, #10) or the canonical SELECT computes
    for c in catalogue():
        if "opendata" in c.tables:
            continue
        for col in re.findall(r"\be\.\"?([A-Za-z_][A-Za-z0-9_]*)", c.sql + " " + (c.fix or "")):
            assert col in known, f"{c.id} reads e.{col}, which no family derives"


def test_params_are_typed_and_match_the_sql():
    with_params = [c for c in catalogue() if c.params]
    assert len(with_params) >= 6
    for c in with_params:
        for p in c.params:
            assert isinstance(p, Param) and isinstance(p.value, (int, float)) and p.zh and p.en
            # the threshold the rules page shows is the one the predicate uses
            v = p.value
            shown = {str(v), str(float(v)), str(int(v)) if float(v).is_integer() else str(v)}
            assert any(s in c.sql or s in c.explain_en for s in shown), (c.id, p.name)


def test_reading_the_catalogue_and_store_loads_no_spatial_library_nor_the_write_pipeline():
    code = ("import sys, json; import dq.checks as c; c.catalogue(); import dq.store, dq.i18n; "
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('pyproj', 'h3', 'shapely') or m in ('dq.engine', 'dq.snapshot', 'dq.demo', 'dq.geo'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = json.loads(out)
    assert not [m for m in loaded if m.split(".")[0] in ("pyproj", "h3", "shapely")], loaded
    assert not [m for m in loaded if m in ("dq.engine", "dq.snapshot", "dq.demo")], loaded
