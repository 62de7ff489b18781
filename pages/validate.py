import shutil
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st
import streamlit.components.v1 as components

from dq.sources.base import SourceError
from dq.ui import L
from dq.validate import validate
from dq import ui

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

key = (up.name, up.size, up.file_id if hasattr(up, "file_id") else None, tuple(sorted(column_map.items())))
if st.session_state.get("validated_key") != key:
    with st.spinner(L("checking")):
        work = Path(tempfile.mkdtemp(prefix="dq-upload-"))
        src = work / Path(up.name).name
        src.write_bytes(up.getvalue())
        error = None
        try:
            summary = validate(src, work / "out", column_map=column_map)
            st.session_state["validated_key"] = key
            st.session_state["validated"] = (summary, (work / "out" / "report.html").read_text(encoding="utf-8"),
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
k = st.columns(4)
k[0].metric(L("rows_read"), f"{summary['rows_read']:,}")
k[1].metric(L("rows_checked"), f"{summary['rows_checked']:,}")
k[2].metric(L("rows_rejected"), f"{summary['rows_rejected']:,}")
k[3].metric(L("rows_with_errors"), f"{summary['rows_with_errors']:,}")
if summary.get("rows_absence"):
    st.caption(f"{L('rows_absence')}：{summary['rows_absence']:,}")
with st.expander(L("col_mapping"), expanded=any(r["how"] in ("refused", "values") for r in summary.get("columns_plan", []))):
    en = st.session_state.get("lang") == "en"
    # a plain table: every mapping and every refusal readable (and searchable) at once
    st.table(pd.DataFrame([{L("col_header"): r["header"], L("col_term"): r["term"] or "—", L("col_how"): L("how_" + r["how"]),
                            L("col_note"): r["note_en"] if en else r["note_zh"]} for r in summary.get("columns_plan", [])])
             .set_index(L("col_header")))
checks = pd.DataFrame([{"check": c, "n": v["count"], "severity": v["severity"],
                        "title": v["title_en"] if st.session_state.get("lang") == "en" else v["title_zh"]}
                       for c, v in summary["checks"].items()])
st.dataframe(checks.rename(columns={"check": L("check"), "n": L("count"), "severity": L("severity"), "title": L("title")}),
             hide_index=True, width="stretch")
c1, c2 = st.columns(2)
c1.download_button(L("download_annotated"), annotated, f"{Path(up.name).stem}_annotated.csv", "text/csv")
c2.download_button(L("download_report"), html.encode("utf-8"), f"{Path(up.name).stem}_report.html", "text/html")
with st.expander(L("report"), expanded=True):
    components.html(html, height=900, scrolling=True)
