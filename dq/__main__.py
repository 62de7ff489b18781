"""Command line: python -m dq {ingest,validate,opendata,report,checks,build-reference,build-demo,bench}."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .sources import SourceError


def _pairs(items: list[str], what: str) -> dict[str, str]:
    out = {}
    for it in items or []:
        if "=" not in it:
            raise SourceError(f"{what} takes KEY=VALUE, not '{it}'")
        k, v = it.split("=", 1)
        out[k.strip()] = v.strip()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m dq", description="Taiwan biodiversity data-quality tool")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("ingest", help="read sources into a dated, immutable snapshot and run every check")
    p.add_argument("sources", nargs="+", type=Path)
    p.add_argument("--snapshot", required=True, help="YYYY-MM-DD")
    p.add_argument("--agency")
    p.add_argument("--dataset")
    p.add_argument("--dataset-name")
    p.add_argument("--map", action="append", default=[], metavar="SRC=TERM", help="map a source column to a Darwin Core term")
    p.add_argument("--default", action="append", default=[], metavar="TERM=VALUE", help="value for a term the file leaves empty")
    p.add_argument("--root", type=Path, default=None, help="snapshot folder (default data/snapshots)")
    p.add_argument("--profile", help="the yardstick (eco-check, occurrence); default: inferred from each file's own columns")
    v = sub.add_parser("validate", help="check one file and write annotated.csv, summary.json, report.html")
    v.add_argument("file", type=Path)
    v.add_argument("--out", type=Path, required=True)
    v.add_argument("--date", help="judge dates against this day (default today)")
    v.add_argument("--map", action="append", default=[], metavar="SRC=TERM", help="map a source column to a Darwin Core term")
    v.add_argument("--profile", help="the yardstick (eco-check, occurrence); default: inferred from the file's own columns")
    o = sub.add_parser("opendata", help="open-data catalogues → a catalogue snapshot and DIR/agency_metrics.csv")
    o.add_argument("files", nargs="+", type=Path)
    o.add_argument("--snapshot", required=True, help="YYYY-MM-DD: the catalogue's date (overdue is judged against it)")
    o.add_argument("--out", type=Path, required=True)
    o.add_argument("--agency", help="agency for rows whose catalogue names none")
    o.add_argument("--root", type=Path, default=None, help="catalogue snapshot folder (default data/snapshots/opendata)")
    r = sub.add_parser("report", help="the open-data meeting report (HTML + XLSX) for chosen agencies and two snapshots")
    r.add_argument("--old", required=True, help="earlier catalogue snapshot date")
    r.add_argument("--new", required=True, help="later catalogue snapshot date")
    r.add_argument("--agency", action="append", default=[], help="repeat for each agency (default: all)")
    r.add_argument("--group", choices=["agency", "parent"], default="agency")
    r.add_argument("--out", type=Path, required=True)
    sub.add_parser("checks", help="list the check catalogue")
    sub.add_parser("build-reference", help="rebuild data/reference from ../shared/data")
    sub.add_parser("build-demo", help="rebuild the embedded demo snapshot from ../shared/data")
    b = sub.add_parser("bench", help="print ingest and check-catalogue figures at 1M (and 10M) rows")
    b.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    b.add_argument("--pages", action="store_true", help="instead: seconds per dashboard page on the demo snapshot")
    a = ap.parse_args(argv)
    try:
        if a.cmd == "ingest":
            from .paths import SNAPSHOTS
            from .snapshot import SourceSpec, ingest
            cmap, defaults = _pairs(a.map, "--map"), _pairs(a.default, "--default")
            specs = [SourceSpec(s, agency=a.agency, dataset=a.dataset, dataset_name=a.dataset_name,
                                column_map=cmap, defaults=defaults, profile=a.profile) for s in a.sources]
            ingest(specs, a.snapshot, a.root or SNAPSHOTS)
        elif a.cmd == "validate":
            from .validate import validate
            s = validate(a.file, a.out, a.date, progress=lambda m: print(m, file=sys.stderr),
                         column_map=_pairs(a.map, "--map"), profile=a.profile)
            print(f"profile {s['profile']} ({s['profile_reason_en']})\n"
                  f"{s['rows_read']:,} rows read, {s['rows_rejected']:,} rejected, {s['rows_with_errors']:,} with record-level errors, "
                  f"{len(s['file_findings']):,} file-level findings; verdict: {s['verdict']}; report: {a.out / 'report.html'}")
        elif a.cmd == "opendata":
            from .opendata import main_opendata
            return main_opendata([str(f) for f in a.files], a.snapshot, str(a.out), a.agency, a.root)
        elif a.cmd == "report":
            from .meeting import write_report
            html, xlsx = write_report(a.old, a.new, a.agency or None, a.out, a.group)
            print(f"report: {html}\ntables: {xlsx}")
        elif a.cmd == "checks":
            from .checks import catalogue
            for c in catalogue():
                print(f"{c.id:34} {c.dimension:13} {c.severity:8} {c.title_zh} / {c.title_en}")
        elif a.cmd == "build-reference":
            from . import geo, taxonomy
            geo.build_reference()
            taxonomy.build_reference()
        elif a.cmd == "build-demo":
            from .demo import build_demo
            build_demo()
        elif a.cmd == "bench":
            from .bench import pages, run
            if a.pages:
                pages()
            else:
                run(a.rows)
    except SourceError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
