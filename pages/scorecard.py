import pandas as pd
import plotly.express as px
import streamlit as st

from dq import charts, store, ui
from dq.checks import DIMENSION_ZH
from dq.ui import L

ui.ensure_app()

snap_id, agency = ui.require_snapshot()
st.title(L("scorecard"))
if agency is None:
    st.info(L("pick_agency"))
    st.stop()
st.subheader(agency)

sc = ui.call("scores", snap_id, agency)
prev = store.previous(store.by_name(snap_id))
before = ui.call("scores", prev.name, agency) if prev is not None else None


def delta(key):
    if before is None or before.get(key) is None or sc.get(key) is None:
        return None
    return f"{(sc[key] - before[key]) * 100:+.1f} pp"


dims = store.OCC_DIMENSIONS
dim_label = (lambda d: L(f"col_score_{d}")) if ui.lang() == "en" else (lambda d: DIMENSION_ZH[d])
cols = st.columns(len(dims) + 1)
cols[0].metric(L("score_overall"), ui.pct(sc["overall"]), delta("overall"), help=L("score_help"))
for c, d in zip(cols[1:], dims):
    c.metric(dim_label(d), ui.pct(sc[d]), delta(d))
chart = pd.DataFrame({"dim": [dim_label(d) for d in dims], "share": [sc[d] * 100 for d in dims]})
fig = px.bar(chart, x="share", y="dim", orientation="h", range_x=[0, 100], text_auto=".1f",
             title=L("score_chart_title"), labels={"share": L("share_pct"), "dim": L("dimension")},
             color_discrete_sequence=["#3b528b"])
fig.update_layout(height=320, margin=dict(l=10, r=10, t=70, b=10))
st.plotly_chart(charts.flat_y_title(fig, L("dimension")), width="stretch")

st.subheader(L("worst_checks"))
chg = ui.call("check_change", snap_id, agency, ui.lang())
if prev is None:
    st.caption(L("no_previous"))
else:
    st.caption(L("delta_since").format(prev=prev.name))
errors_first = chg.assign(_s=chg["severity"].map({"error": 0, "warning": 1, "info": 2})).sort_values(["_s", "n"], ascending=[True, False])
worst = errors_first.drop(columns="_s")[["title", "n", "n_previous", "change", "severity", "dimension", "check_id"]]
ui.table(worst, width="stretch", height=320)

check = ui.qp_select(L("examples_for"), errors_first["check_id"].tolist(), "check", format_func=ui.check_title)
if check:
    ex = ui.call("examples", snap_id, check, agency, 5)
    ev = ui.table(ex, width="stretch", on_select="rerun", selection_mode="single-row", key=f"examples_{ui.lang()}")
    if (rid := ui.selected_record(ev, ex)) is not None:
        ui.open_record(rid)

st.subheader(L("per_dataset"))
ds = ui.call("datasets", snap_id, agency)
show = ["dataset_id", "dataset_name", "records", "records_no_error", "usable_1km", "species", "score_overall"] + [f"score_{d}" for d in dims]
ui.table(ds[show], width="stretch",
         column_config={c: st.column_config.ProgressColumn(ui.header(c), format="percent", min_value=0, max_value=1)
                        for c in show if c.startswith("score_")})

st.subheader(L("fix_list"))
st.caption(L("fix_list_help"))
c1, c2 = st.columns(2)
with c1:
    err_checks = chg[chg["severity"] == "error"]["check_id"].tolist()
    chosen = ui.qp_multiselect(L("checks"), chg["check_id"].tolist(), "fixchecks", default=[c for c in err_checks if not c.startswith("MISSING_")],
                               format_func=ui.check_title)
with c2:
    dataset = ui.qp_select(L("dataset"), [None] + ds["dataset_id"].tolist(), "dataset",
                           format_func=lambda x: L("all_datasets") if x is None else x)
if chosen:
    fl = ui.call("fix_list", snap_id, agency, chosen, dataset)
    st.write(L("fix_rows").format(n=len(fl)))
    st.caption(L("click_row_for_record"))
    ev = ui.table(fl.head(200), width="stretch", on_select="rerun", selection_mode="single-row", key=f"fixlist_{ui.lang()}")
    if (rid := ui.selected_record(ev, fl)) is not None:
        ui.open_record(rid)
    name = f"fixlist_{agency}_{snap_id}"
    d1, d2 = st.columns(2)
    # files are made when the button is clicked, not on every rerun of the page
    d1.download_button(L("download_csv"), lambda: store.fix_list_csv(fl), f"{name}.csv", "text/csv", on_click="ignore")
    d2.download_button(L("download_xlsx"), lambda: store.fix_list_xlsx(fl)[0], f"{name}.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore")
    if len(fl) > store.EXCEL_MAX_ROWS:
        st.warning(L("xlsx_cut"))
