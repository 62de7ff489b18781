import shutil
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st
import streamlit.components.v1 as components

from dq.sources.base import SourceError
from dq.ui import L
from dq.validate import validate
from dq import profiles, ui

ui.ensure_app()

MAX_MB = 100   # per upload; larger files: python -m dq validate FILE --out DIR

st.title(L("validate"))
st.caption(L("validate_intro").format(mb=MAX_MB))
up = st.file_uploader(L("upload"), type=["csv", "tsv", "txt", "xlsx", "zip"])
if up is None:
    st.stop()
if up.size > MAX_MB * 1024 * 1024:
    st.error(L("too_big").format(mb=MAX_MB, size=up.size / 1024 / 1024))
    st.stop()

# the profile: inferred from the file's own columns unless the user picked one (kept per upload)
upload_id = (up.name, up.size, up.file_id if hasattr(up, "file_id") else None)
if st.session_state.get("validate_upload") != upload_id:
    st.session_state["validate_upload"] = upload_id
    st.session_state["validate_profile"] = None
chosen = st.session_state.get("validate_profile")

# --map on the page: the user's own column mapping, beating the header and value checks
override_txt = st.text_area(L("col_override"), key="col_override", height=70)
column_map = {}
for line in override_txt.splitlines():
    if line.strip():
        if "=" not in line:
            st.error(L("col_override_bad").format(line=line))
            st.stop()
        src_col, term = line.split("=", 1)
        column_map[src_col.strip()] = term.strip()

key = upload_id + (chosen, tuple(sorted(column_map.items())))
if st.session_state.get("validated_key") != key:
    with st.spinner(L("checking")):
        work = Path(tempfile.mkdtemp(prefix="dq-upload-"))
        src = work / Path(up.name).name
        src.write_bytes(up.getvalue())
        error = None
        try:
            summary = validate(src, work / "out", column_map=column_map, profile=chosen)
            st.session_state["validated_key"] = key
            st.session_state["validated"] = (summary, {lg: (work / "out" / f).read_text(encoding="utf-8")
                                                       for lg, f in (("zh", "report.html"), ("en", "report_en.html"))},
                                             (work / "out" / "annotated.csv").read_bytes())
        except SourceError as e:
            error = str(e)
        except Exception as e:   # a bad file must never take the app down; say what happened
            error = f"{type(e).__name__}: {e}"
        finally:
            shutil.rmtree(work, ignore_errors=True)
        if error:
            st.error(L("bad_file").format(msg=error))
            st.stop()
summary, html, annotated = st.session_state["validated"]
en = ui.lang() == "en"

ids = [p.id for p in profiles.judging()]
names = {p.id: f"{p.id}：{p.name(ui.lang())}" for p in profiles.judging()}
pick = st.selectbox(L("validate_profile"), ids, index=ids.index(summary["profile"]), format_func=names.get,
                    help=L("validate_profile_help"), key=f"validate_profile_box_{'/'.join(map(str, upload_id))}")
st.caption(L("profile_chosen") if summary["profile_how"] == "option"
           else L("profile_inferred").format(reason=summary["profile_reason_en" if en else "profile_reason_zh"]))
if pick != summary["profile"]:
    st.session_state["validate_profile"] = pick
    st.rerun()

if summary["verdict"] == "ready":
    st.success(L("verdict_ready"))
else:   # a warning, not an error box: the file was read, it needs fixing
    st.warning(L("verdict_fix_first"))
k = st.columns(5)
k[0].metric(L("rows_read"), f"{summary['rows_read']:,}")
k[1].metric(L("rows_checked"), f"{summary['rows_checked']:,}")
k[2].metric(L("rows_rejected"), f"{summary['rows_rejected']:,}")
k[3].metric(L("rows_with_errors"), f"{summary['rows_with_errors']:,}", help=L("vr_rows_with_errors_note"))
k[4].metric(L("file_level_n"), f"{len(summary['file_findings']):,}", help=L("vr_file_level_help"))
if summary.get("rows_absence"):
    st.caption(f"{L('rows_absence')}：{summary['rows_absence']:,}")
# the order of the report: column mapping → file-level → record-level
with st.expander(L("col_mapping"), expanded=any(r["how"] in ("refused", "values") for r in summary.get("columns_plan", []))):
    # a plain table: every mapping and every refusal readable (and searchable) at once
    st.table(pd.DataFrame([{L("col_header"): r["header"], L("col_term"): r["term"] or "—", L("col_how"): L("how_" + r["how"]),
                            L("col_note"): r["note_en"] if en else r["note_zh"]} for r in summary.get("columns_plan", [])])
             .set_index(L("col_header")))
if summary["file_findings"]:
    st.subheader(L("vr_file_level"))
    ff = pd.DataFrame([{L("missing_column"): " / ".join(f["columns"]), L("check"): c, L("severity"): L("sev_" + f["severity"]),
                        L("title"): f["title_en"] if en else f["title_zh"], L("rows_affected"): f["rows"]}
                       for c, f in summary["file_findings"].items()])
    st.dataframe(ff, hide_index=True, width="stretch", column_config=ui.number_columns(ff))
st.subheader(L("vr_record_level"))
checks = pd.DataFrame([{"check": c, "n": v["count"], "severity": L("sev_" + v["severity"]), "title": v["title_en"] if en else v["title_zh"]}
                       for c, v in summary["checks"].items()], columns=["check", "n", "severity", "title"])
checks = checks.rename(columns={"check": L("check"), "n": L("count"), "severity": L("severity"), "title": L("title")})
st.dataframe(checks, hide_index=True, width="stretch", column_config=ui.number_columns(checks))
c1, c2 = st.columns(2)
c1.download_button(L("download_annotated"), annotated, f"{Path(up.name).stem}_annotated.csv", "text/csv")
report_html = html["en" if en else "zh"]
c2.download_button(L("download_report"), report_html.encode("utf-8"),
                   f"{Path(up.name).stem}_{'report' if en else '檢核報告'}.html", "text/html")
with st.expander(L("report"), expanded=True):
    components.html(report_html, height=900, scrolling=True)
