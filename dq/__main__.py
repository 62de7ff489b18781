"""Command line: python -m dq {ingest,validate,opendata,report,checks,conformance,build-reference,build-demo,doctor,bench,serve}.

Exit codes: 0 done, 2 the input or an option is at fault (one zh-TW / English sentence on
stderr), 1 an internal error (one line; DQ_DEBUG=1 shows the traceback), 130 interrupted."""
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
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["serve"]:   # every option after it is streamlit's (argparse would claim the --server.* ones)
        from .serve import main as serve
        serve(argv[1:])
        return 0
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
    p.add_argument("--sheet", help="the sheet of an .xlsx workbook to read (default: its first)")
    v = sub.add_parser("validate", help="check one file and write annotated.csv, summary.json, report.html")
    v.add_argument("file", type=Path)
    v.add_argument("--out", type=Path, required=True)
    v.add_argument("--date", help="judge dates against this day (default today)")
    v.add_argument("--map", action="append", default=[], metavar="SRC=TERM", help="map a source column to a Darwin Core term")
    v.add_argument("--profile", help="the yardstick (eco-check, occurrence); default: inferred from the file's own columns")
    v.add_argument("--sheet", help="the sheet of an .xlsx workbook to read (default: its first)")
    o = sub.add_parser("opendata", help="open-data catalogues → a catalogue snapshot and DIR/agency_metrics.csv")
    o.add_argument("files", nargs="+", type=Path)
    o.add_argument("--snapshot", required=True, help="YYYY-MM-DD: the catalogue's date (overdue is judged against it)")
    o.add_argument("--out", type=Path, required=True)
    o.add_argument("--agency", help="agency for rows whose catalogue names none")
    o.add_argument("--root", type=Path, default=None, help="catalogue snapshot folder (default data/snapshots/opendata)")
    r = sub.add_parser("report", help="the open-data meeting report (HTML + XLSX) for chosen agencies of a catalogue snapshot")
    r.add_argument("--old", help="an earlier snapshot of the same catalogue series, to add what changed")
    r.add_argument("--new", required=True, help="later catalogue snapshot date")
    r.add_argument("--agency", action="append", default=[], help="repeat for each agency (default: all)")
    r.add_argument("--group", choices=["agency", "parent"], default="agency")
    r.add_argument("--out", type=Path, required=True)
    sub.add_parser("checks", help="list the check catalogue")
    cf = sub.add_parser("conformance", help="run a check family against its published validation data (bdq: TDWG BDQ TG2)")
    cf.add_argument("suite", choices=["bdq"])
    sub.add_parser("build-reference", help="rebuild data/reference from ../shared/data")
    sub.add_parser("build-demo", help="rebuild the embedded demo snapshot from ../shared/data")
    d = sub.add_parser("doctor", help="report temp folders left by killed or failed runs (--clean removes them)")
    d.add_argument("--clean", action="store_true")
    d.add_argument("--root", type=Path, action="append", default=[], help="snapshot folder(s) to look in (default data/snapshots)")
    b = sub.add_parser("bench", help="print the whole build's figures (per phase, peak RSS, vs a bare scan and pandas) at 1M and 10M rows")
    b.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    b.add_argument("--repeat", type=int, default=1, help="measure each size this many times on the same input")
    b.add_argument("--no-pandas", action="store_true", help="skip the pandas + shapely yardstick")
    b.add_argument("--pages", action="store_true", help="instead: seconds per dashboard page on the demo snapshot")
    b.add_argument("--snapshot", type=Path, help="with --pages: time the pages on this snapshot folder (e.g. a 10M-record one)")
    b.add_argument("--input", type=Path, help="measure on this input (a bench input kept from an earlier run) instead of building one")
    b.add_argument("--tsv", action="store_true", help="read the input as a tab-delimited text file, the way a GBIF download comes "
                   "(written from the Parquet input before timing; the pandas script reads it too)")
    b.add_argument("--shuffled", action="store_true", help="draw the input's rows one by one instead of whole events (the worst "
                   "case: no two neighbouring rows share a point or a date, unlike any real file)")
    w = sub.add_parser("serve", help="the dashboard (streamlit run app.py) with its libraries loaded before the first visit")
    w.add_argument("streamlit_args", nargs=argparse.REMAINDER, help="options passed to streamlit, e.g. --server.port 8501")
    a = ap.parse_args(argv)
    try:
        if a.cmd == "ingest":
            from .paths import SNAPSHOTS
            from .snapshot import SourceSpec, ingest
            cmap, defaults = _pairs(a.map, "--map"), _pairs(a.default, "--default")
            specs = [SourceSpec(s, agency=a.agency, dataset=a.dataset, dataset_name=a.dataset_name,
                                column_map=cmap, defaults=defaults, profile=a.profile, sheet=a.sheet) for s in a.sources]
            ingest(specs, a.snapshot, a.root or SNAPSHOTS)
        elif a.cmd == "validate":
            from .validate import validate
            s = validate(a.file, a.out, a.date, progress=lambda m: print(m, file=sys.stderr),
                         column_map=_pairs(a.map, "--map"), profile=a.profile, sheet=a.sheet)
            from .i18n import t
            print(f"profile: {s['profile_name_en']} ({s['profile_reason_en']})\n"
                  f"{s['rows_read']:,} rows read, {s['rows_rejected']:,} rejected, {s['rows_with_errors']:,} with record-level errors, "
                  f"{len(s['file_findings']):,} file-level findings\n{t('cli_verdict_fix_first' if s['verdict'] == 'fix_first' else 'verdict_' + s['verdict'], 'en')}\nreport: {a.out / 'report.html'}")
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
        elif a.cmd == "conformance":
            from .conformance import main as conformance
            return conformance([])
        elif a.cmd == "build-reference":
            from . import geo, taxonomy
            geo.build_reference()
            taxonomy.build_reference()
            from .checks import bdq
            bdq.build_reference()
        elif a.cmd == "build-demo":
            from .demo import build_demo
            build_demo()
        elif a.cmd == "doctor":
            from .paths import SNAPSHOTS
            from .workdirs import doctor
            doctor(a.root or [SNAPSHOTS, SNAPSHOTS / "opendata"], clean=a.clean)
        elif a.cmd == "bench":
            from .bench import pages, run
            if a.shuffled and (a.pages or a.input):
                ap.error("--shuffled says how the bench input is made: not with --pages or --input (a kept input is as it was made)")
            if a.pages:
                pages(snapshot=a.snapshot)
            else:
                run(a.rows, repeat=a.repeat, pandas=not a.no_pandas, given=a.input, tsv=a.tsv, shuffled=a.shuffled)
    except SourceError as e:
        # one sentence in each language, nothing else: exit 2 means "the input, not the tool"
        print(f"error: {e.en} / {e.zh}", file=sys.stderr)
        _error_file(e.zh, e.en)
        return 2
    except KeyboardInterrupt:
        print("error: 已中斷 / interrupted", file=sys.stderr)
        return 130
    except Exception as e:      # a bug or the machine, not the input: one line, the traceback only on request
        import os
        if os.environ.get("DQ_DEBUG"):
            raise
        if _out_of_memory(e):
            from .duck import DEFAULT_MEMORY_LIMIT
            lim = os.environ.get("DQ_MEMORY_LIMIT", DEFAULT_MEMORY_LIMIT)
            zh = f"超出記憶體上限 {lim}，請提高 DQ_MEMORY_LIMIT 或分批處理。"
            en = f"ran out of the memory budget ({lim}); raise DQ_MEMORY_LIMIT or split the file"
            print(f"error: {en} / {zh}", file=sys.stderr)
            _error_file(zh, en)
            return 2
        print(f"error: internal error ({type(e).__name__}); please report it with the output of DQ_DEBUG=1 / "
              f"內部錯誤（{type(e).__name__}），請回報並附上 DQ_DEBUG=1 的輸出。", file=sys.stderr)
        return 1
    return 0


def _error_file(zh: str, en: str) -> None:
    """For a caller that runs the CLI as a child (the Validate page): the two sentences as JSON."""
    import json
    import os
    p = os.environ.get("DQ_ERROR_FILE")
    if p:
        with open(p, "w", encoding="utf-8") as f:
            json.dump({"zh": zh, "en": en}, f, ensure_ascii=False)


def _out_of_memory(e: BaseException) -> bool:
    return isinstance(e, MemoryError) or type(e).__name__ == "OutOfMemoryException" or "Out of Memory" in str(e)


if __name__ == "__main__":
    sys.exit(main())
