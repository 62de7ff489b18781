from pathlib import Path

import pandas as pd
import streamlit as st

from dq import profiles, ui, validate_job
from dq.checks import SEVERITY_RANK
from dq.i18n import note_text
from dq.ui import L
from dq.sources.aliases import CANONICAL, shown_term
from dq.sources.mapping import BY_VALUES

ui.ensure_app()

# The same number as server.maxUploadSize in .streamlit/config.toml: Streamlit refuses larger
# uploads before they are buffered; the check below covers a server started without that file.
MAX_MB = 100

st.title(L("validate"))
st.caption(L("validate_intro").format(mb=MAX_MB))
st.caption(L("upload_limit").format(mb=MAX_MB))


def _cleared() -> None:
    # the user took the file away (the uploader's ×): its results go too. Coming back from another page
    # the uploader is new and empty without a change, and the last file's results are shown again.
    if st.session_state.get("validate_file") is None:
        gone = st.session_state.pop("validate_job", None)
        if gone is not None:
            validate_job.remove(gone)


# a key of its own: without one the uploader was a new widget in the other language, and the upload and
# its results were gone at the language switch
up = st.file_uploader(L("upload"), type=["csv", "tsv", "txt", "xlsx", "zip", "parquet"], key="validate_file",
                      on_change=_cleared)
last = st.session_state.get("validate_job")
if up is None:
    # a walk: a look at the rules page and back, and the checked file was gone (a re-upload needed)
    if last is None or not last.input.exists() or st.session_state.get("validate_upload") is None:
        st.stop()
    st.info(L("validate_last").format(name=last.name))
    source, source_name, upload_id = last.input, last.name, st.session_state["validate_upload"]
else:
    if up.size > MAX_MB * 1024 * 1024:
        st.error(L("too_big").format(mb=MAX_MB, size=up.size / 1024 / 1024))
        st.stop()
    source, source_name = up, up.name
    upload_id = (up.name, up.size, up.file_id if hasattr(up, "file_id") else None)

# the profile: inferred from the file's own columns unless the user picked one (kept per upload)
if st.session_state.get("validate_upload") != upload_id:
    st.session_state["validate_upload"] = upload_id
    st.session_state["validate_profile"] = None
    st.session_state["validate_sheet"] = None
chosen = st.session_state.get("validate_profile")
sheet = st.session_state.get("validate_sheet")     # a workbook's sheet (default: its first)

# --map on the page: the user's own column mapping, beating the header and value checks
override_txt = st.text_area(L("col_override"), key="col_override", height=70)
column_map = {}
for n, line in enumerate(override_txt.splitlines(), start=1):
    if line.strip():
        if "=" not in line:
            st.error(L("col_override_bad").format(line=line))
            st.stop()
        src_col, term = (x.strip() for x in line.split("=", 1))
        if term not in CANONICAL:     # said here, not as "the file cannot be read" with the last result gone
            st.error(L("col_override_term").format(n=n, term=term))
            continue
        column_map[src_col] = term

# The work runs in a child process (validate_job): its memory and crashes are not the server's.
# Session state keeps only the job's folder, never the file or the results.
key = upload_id + (chosen, sheet, tuple(sorted(column_map.items())))
job = st.session_state.get("validate_job")
if st.session_state.get("validate_key") != key or job is None or not job.folder.exists():
    old_job = job
    # started before the old job goes: a re-run of the last file (another profile) reads its input
    job = validate_job.start(source, source_name, column_map=column_map, profile=chosen, sheet=sheet)
    if old_job is not None:
        validate_job.remove(old_job)
    st.session_state["validate_job"], st.session_state["validate_key"] = job, key
state, phase = validate_job.status(job)
summary = None
if state == "running":      # a new job, or one still going after the user looked away
    with st.status(L(phase), expanded=True) as box:
        bar = st.progress(0.0)     # the phase and the rows its pass has done (dq/snapshot.py rows_progress)
        state = validate_job.wait(job, on_phase=lambda k: box.update(label=L(k)),
                                  on_rows=lambda k, done, total: bar.progress(
                                      min(done / max(total, 1), 1.0), text=f"{L(k)} {L('rows_done').format(done=done, total=total)}"))
        if state == "done":
            validate_job.annotated_download(job, ui.lang())     # a large result is zipped once, here, under the progress box
            bar.empty()     # the last phase's "Writing the annotated file… N of N rows" stayed under "Checked"
            # what the box holds when opened (it opened on nothing)
            summary = validate_job.summary(job)
            st.caption(L("validated_rows").format(read=summary["rows_read"], checked=summary["rows_checked"],
                                                  rejected=summary["rows_rejected"]))
        box.update(label=L("validated") if state == "done" else L("validate_failed"),
                   state="complete" if state == "done" else "error", expanded=state != "done")
if state != "done":
    zh, en = validate_job.error(job)
    st.error(L("bad_file").format(msg=en if ui.lang() == "en" else zh))   # one sentence, never a traceback or path
    if sheet and st.button(L("validate_sheet_reset")):     # a sheet picked here that cannot be read (an empty one)
        st.session_state["validate_sheet"] = None
        st.rerun()
    st.stop()

summary = summary or validate_job.summary(job)     # read once: under the progress box on the run that finished
en = ui.lang() == "en"

ids = [p.id for p in profiles.judging()]
names = {p.id: p.name(ui.lang()) for p in profiles.judging()}
pick = st.selectbox(L("validate_profile"), ids, index=ids.index(summary["profile"]), format_func=names.get,
                    help=L("validate_profile_help"),
                    # per language too: the same widget kept its options' names in the language it was first drawn in
                    key=f"validate_profile_box_{ui.lang()}_{'/'.join(map(str, upload_id))}")
st.caption(L("profile_chosen") if summary["profile_how"] == "option"
           else L("profile_inferred").format(reason=ui.md_text(summary["profile_reason_en" if en else "profile_reason_zh"])))
if pick != summary["profile"]:
    st.session_state["validate_profile"] = pick
    st.rerun()
sheets = summary.get("sheets") or {}
if sheets.get("not_read"):
    # a workbook's other sheets (TaiCOL's plant list: accepted names, synonyms) are checked one at a time
    names_s = [sheets["read"]] + list(sheets["not_read"])
    pick_s = st.selectbox(L("validate_sheet"), names_s, index=0, help=L("validate_sheet_help"),
                          key=f"validate_sheet_box_{ui.lang()}_{'/'.join(map(str, upload_id))}_{sheets['read']}")
    if pick_s != sheets["read"]:
        st.session_state["validate_sheet"] = pick_s
        st.rerun()

if summary["verdict"] == "ready":
    st.success(L("verdict_ready"))
elif summary["verdict"] == "empty":
    st.warning(L("verdict_empty"))
else:   # a warning, not an error box: the file was read, it needs fixing
    st.warning(L("verdict_fix_first"))
k = st.columns(5)
k[0].metric(L("rows_read"), f"{summary['rows_read']:,}")
k[1].metric(L("rows_checked"), f"{summary['rows_checked']:,}")
blank = summary.get("rows_rejected_blank", 0)
k[2].metric(L("rows_rejected"), f"{summary['rows_rejected']:,}")
k[3].metric(L("rows_with_errors"), f"{summary['rows_with_errors']:,}", help=L("vr_rows_with_errors_note"))
k[4].metric(L("file_level_n"), f"{len(summary['file_findings']):,}", help=L("vr_file_level_help"))
# blank lines are in the ledger too: said under the counts (a walk read "4 rejected" of a workbook whose four were
# blank; said under the count itself, the note was cut at a fifth of the page's width)
if blank:
    st.caption(L("vr_rejected_blank_line").format(n=blank))
if summary.get("notes"):
    with st.expander(L("read_notes")):
        for n in summary["notes"]:
            st.markdown(f"- {ui.md_text(note_text(n, ui.lang()))}")
if summary.get("rows_absence"):
    st.caption(f"{L('rows_absence')}{ui.colon()}{summary['rows_absence']:,}")
if summary.get("rows_parent_events"):
    st.caption(L("rows_parent_events_line").format(n=summary["rows_parent_events"], why=L("rows_parent_events_help")))
# a mapping of a column the file does not have does nothing: said, not silently ignored
headers = {r["header"] for r in summary.get("columns_plan", [])}
for col in [c for c in column_map if c not in headers]:
    st.warning(L("col_override_nocol").format(col=col))
# the order of the report: column mapping → file-level → record-level
with st.expander(L("col_mapping"), expanded=any(r["how"] in BY_VALUES for r in summary.get("columns_plan", []))):
    # a plain table: every mapping and every refusal readable (and searchable) at once
    st.table(pd.DataFrame([{L("col_header"): r["header"], L("col_term"): shown_term(r["term"]) or "—", L("col_how"): L("how_" + r["how"]),
                            L("col_note"): r["note_en"] if en else r["note_zh"]} for r in summary.get("columns_plan", [])])
             .set_index(L("col_header")))
if summary["file_findings"]:
    st.subheader(L("vr_file_level"))
    # titles, not check ids: the ids are in the annotated file's columns and the report's own id column
    ff = pd.DataFrame([{L("missing_column"): " / ".join(f["columns"]), L("col_title"): f["title_en"] if en else f["title_zh"],
                        L("severity"): L("sev_" + f["severity"]), L("rows_affected"): f["rows"]}
                       for c, f in summary["file_findings"].items()])
    st.dataframe(ff, hide_index=True, placeholder="—", width="stretch", column_config=ui.number_columns(ff))
    if summary.get("event_file_hint"):
        st.info(L("event_file_hint"))
    if summary.get("site_file_hint"):
        st.info(L("site_file_hint").format(col=ui.md_text(summary["site_file_hint"])))
st.subheader(L("vr_record_level"))
# errors first, as the report lists them (an info note of 7 rows stood above the errors: a walk)
checks = pd.DataFrame([{"title": v["title_en"] if en else v["title_zh"], "n": v["count"], "severity": L("sev_" + v["severity"])}
                       for c, v in sorted(summary["checks"].items(), key=lambda kv: (SEVERITY_RANK[kv[1]["severity"]], -kv[1]["count"]))],
                      columns=["title", "n", "severity"])
checks = checks.rename(columns={"n": L("count"), "severity": L("severity"), "title": L("col_title")})
if len(checks):
    st.dataframe(checks, hide_index=True, placeholder="—", width="stretch", column_config=ui.number_columns(checks))
else:     # an empty table reads "empty" in Streamlit's English, whatever the language
    st.caption(L("vr_none"))
stem = Path(job.name).stem
c1, c2 = st.columns(2)
# read from disk only when clicked: a large annotated file never sits in the session
with st.spinner(L("ann_preparing")):    # the other language's copy is made on the first visit in it (a large file: seconds)
    ann_path, ann_kind = validate_job.annotated_download(job, ui.lang())
c1.download_button(L("download_annotated") if ann_kind == "csv" else L("download_annotated_zip"),
                   lambda: Path(ann_path).read_bytes(), f"{stem}_{'annotated' if en else '檢核結果'}.{ann_kind}",
                   "text/csv" if ann_kind == "csv" else "application/zip", on_click="ignore")
report_path = job.report_en if en else job.report
c2.download_button(L("download_report"), lambda: report_path.read_bytes(), f"{stem}_{'report' if en else '檢核報告'}.html",
                   "text/html", on_click="ignore")
with st.expander(L("report"), expanded=True):
    # the report is this tool's own HTML (every value from the file escaped by dq.report); st.iframe
    # replaces st.components.v1.html, which Streamlit removes after 2026-06-01
    st.iframe(report_path, height=900)
