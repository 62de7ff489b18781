"""`python -m dq conformance bdq`: each implemented BDQ test on its rows of the TG2 validation data.

Every row of ../shared/conformance/bdq/TG2_test_validation_data.csv names one test (by GUID), its
inputs and the response a conforming implementation must give. All rows of one test are judged
in one SQL statement, exactly as records are judged in a snapshot; the per-row bdqval parameters
(e.g. an unreachable bdqval:sourceAuthority) take the place of the defaults. A row agrees when
the status agrees and, where the expected response has a result, the result agrees too.
"""
from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

from . import duck
from .checks import bdq
from .paths import ROOT

VALIDATION_DATA = ROOT.parent / "shared" / "conformance" / "bdq" / "TG2_test_validation_data.csv"
TARGET_TESTS = 80
TARGET_SHARE = 0.95
_PARAMS = ("sourceAuthority", "earliestValidDate", "latestValidDate", "includeEventDate", "defaultGeodeticDatum",
           "defaultOccurrenceStatus", "minimumValidDepthInMeters", "maximumValidDepthInMeters",
           "minimumValidElevationInMeters", "maximumValidElevationInMeters")


@dataclasses.dataclass
class Outcome:
    label: str
    line: str
    inputs: dict
    want_status: str
    want_result: str | None
    got_status: str | None
    got_result: str | None

    @property
    def agrees(self) -> bool:
        if self.want_status != self.got_status:
            return False
        if self.want_result in (None, "", "NOT_REPORTED"):
            return self.got_result in (None, "", "NOT_REPORTED")
        return _same_result(self.want_result, self.got_result)


def _same_result(want: str, got: str | None) -> bool:
    if got is None:
        return False
    if want.strip().startswith("{"):
        try:
            a, b = json.loads(want), json.loads(got)
        except ValueError:
            return False
        return a.keys() == b.keys() and all(_same_value(a[k], b[k]) for k in a)
    return _same_value(want, got)


def _same_value(a, b) -> bool:
    a, b = str(a).strip(), str(b).strip()
    if a == b:
        return True
    try:
        return abs(float(a) - float(b)) < 1e-6
    except ValueError:
        return False


def _column_for(header: str) -> str | None:
    if header.startswith(("dwc:", "dc:", "dcterms:")):
        return bdq.column_of(header)
    if header.startswith("bdqval:"):
        return "p_" + header.split(":", 1)[1]
    return None


def run(path: Path = VALIDATION_DATA) -> list[Outcome]:
    con = duck.connect(spatial=False)
    # the CSV's own header names are only ever used as quoted identifiers after this mapping
    con.execute(f"CREATE TEMP TABLE _raw AS SELECT * FROM read_csv({duck.q(path)}, all_varchar = true, header = true, quote = '\"')")
    headers = [r[0] for r in con.execute("DESCRIBE _raw").fetchall()]
    cols = {h: _column_for(h) for h in headers}
    params_lower = {p.lower(): p for p in _PARAMS}
    select = []
    for h, c in cols.items():
        if c is None:
            continue
        if c.startswith("p_"):
            c = "p_" + params_lower.get(c[2:].lower(), c[2:])
        select.append(f'{_qi(h)} AS {_qi(c)}')
    con.execute(f"""CREATE TEMP TABLE r AS SELECT LineNumber AS line, trim(GUID) AS guid, trim(Label) AS label,
        "Response.status" AS want_status, "Response.result" AS want_result, {', '.join(select)} FROM _raw""")
    have = {r[0] for r in con.execute("DESCRIBE r").fetchall()}
    # an information element no row fills is a column of NULLs, as in a snapshot
    needed = {c for t in bdq.TESTS for c in bdq.terms(t)} | {f"p_{p}" for p in _PARAMS}
    for c in sorted(needed - have):
        con.execute(f"ALTER TABLE r ADD COLUMN {_qi(c)} VARCHAR")
    # the derived view joins every per-distinct table: materialised once, not once per test
    con.execute(f"CREATE TEMP TABLE r_derived AS SELECT * FROM {bdq.derive(con, 'r')}")
    rel = "r_derived"
    input_cols = sorted(c for c in have if not c.startswith("p_") and c not in ("line", "guid", "label", "want_status", "want_result"))
    out: list[Outcome] = []
    for t in bdq.TESTS:
        params = {p: _param_sql(p, dict(t.params).get(p)) for p in dict(t.params)}
        if t.authority:
            params["sourceAuthority"] = 'r."p_sourceAuthority"'
        rows = con.execute(f"""SELECT line, want_status, want_result, ({bdq.status_sql(t, 'r', params)}) AS got_status,
                ({bdq.result_sql(t, 'r', params)}) AS got_result, {', '.join(f'r.{_qi(c)}' for c in input_cols)}
            FROM {rel} r WHERE guid = ? ORDER BY try_cast(line AS INT)""", [t.guid]).fetchall()
        for line, ws, wr, gs, gr, *vals in rows:
            status = gs
            result = gr
            if t.kind in ("VALIDATION", "ISSUE") and gs in ("COMPLIANT", "NOT_COMPLIANT", "POTENTIAL_ISSUE", "NOT_ISSUE"):
                status, result = "RUN_HAS_RESULT", gs
            inputs = {c: v for c, v in zip(input_cols, vals) if v is not None}
            out.append(Outcome(t.label, line, inputs, ws, wr, status, result))
    con.close()
    return out


def _param_sql(name: str, default: str | None) -> str:
    """A per-row parameter where the row gives one (as a typed value), else the default."""
    col = f'r."p_{name}"'
    if name == "includeEventDate":
        return f"coalesce(try_cast(nullif(trim({col}), '') AS BOOLEAN), {default})"
    if name.endswith("Date"):
        return f"coalesce(try_cast(nullif(trim({col}), '') AS DATE), {default})"
    if name.startswith(("minimumValid", "maximumValid")):
        return f"coalesce(try_cast(nullif(trim({col}), '') AS DOUBLE), {default})"
    return f"coalesce(nullif(trim({col}), ''), {default})"


def _qi(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def summary(outcomes: list[Outcome]) -> dict:
    per: dict[str, list[int]] = {}
    for o in outcomes:
        n = per.setdefault(o.label, [0, 0])
        n[0] += 1
        n[1] += o.agrees
    return per


def main(argv: list[str] | None = None) -> int:
    outcomes = run()
    per = summary(outcomes)
    print(f"TDWG BDQ TG2 conformance: {len(per)} tests with validation rows ({sum(1 for t in bdq.TESTS)} implemented)")
    print(f"{'test':58} {'rows':>5} {'agree':>6} {'share':>7}")
    for label, (n, ok) in sorted(per.items()):
        print(f"{label:58} {n:5d} {ok:6d} {ok / n:7.1%}")
    total = len(outcomes)
    agree = sum(o.agrees for o in outcomes)
    low = [label for label, (n, ok) in per.items() if ok / n < TARGET_SHARE]
    print(f"\noverall: {agree} of {total} rows agree ({agree / max(total, 1):.1%}); "
          f"{len(per) - len(low)} of {len(per)} tests at >= {TARGET_SHARE:.0%}")
    bad = [o for o in outcomes if not o.agrees]
    if bad:
        print("\ndisagreeing rows:")
        for o in bad:
            print(f"  {o.label} line {o.line}: inputs {o.inputs} expected {o.want_status} {o.want_result or ''} "
                  f"got {o.got_status} {o.got_result or ''}")
    ok = len(per) >= TARGET_TESTS and not low
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
