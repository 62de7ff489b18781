import pandas as pd
import plotly.express as px
import streamlit as st

from dq import opendata, store, ui
from dq.opendata import METRIC, METRICS
from dq.ui import L

ui.ensure_app()

st.title(L("opendata"))
st.caption(L("od_intro"))
snaps = [s.name for s in opendata.snapshots()]
if not snaps:
    st.error(L("od_no_snapshot"))
    st.stop()
zh = ui.lang() == "zh"
mname = (lambda k: METRIC[k].zh) if zh else (lambda k: METRIC[k].en)
c1, c2, c3 = st.columns(3)
with c1:
    od = ui.qp_select(L("od_snapshot"), snaps, "od", default_index=len(snaps) - 1)
with c2:
    group = ui.qp_select(L("od_group"), ["agency", "parent"], "odgroup", format_func=lambda g: L("od_group_" + g))
with c3:
    level = ui.qp_select(L("od_level"), ["all", "central", "local"], "odlevel", format_func=lambda g: L("od_level_" + g))
stamp = ui.lists_stamp(od)
m = ui.od_call("agency_metrics", od, group, stamp=stamp)
if level != "all":
    m = m[m["level"] == level]
if m.empty:
    st.info(L("nothing_to_show"))
    st.stop()

st.subheader(L("od_league"))
cols = ["agency", "level", "datasets", "resources", "share_3star", "platinum", "gold", "badge_share", "overdue", "overdue_share",
        "metadata_complete_share", "utf8_share", "tiny", "views", "downloads", "high_value", "bilingual"]
RAG = {"green": "background-color:#d9f0d3", "amber": "background-color:#fee8c8", "red": "background-color:#f4cccc"}
view = m[cols].reset_index(drop=True)
for k in cols[2:]:
    view[k] = pd.to_numeric(view[k], errors="coerce")   # missing = not judged; shown greyed
view["level"] = view["level"].map(lambda x: L("od_level_" + x) if x in ("central", "local") else x)
unjudged = [k for k in cols[2:] if view[k].isna().all()]   # this catalogue lacks the fields: show which, not columns of blanks
view = view.drop(columns=unjudged)
styled = view.style.apply(lambda col: [RAG.get(opendata.rag(col.name, v), "") if col.name in METRIC else "" for v in col], axis=0)
conf = {k: st.column_config.NumberColumn(mname(k), help=METRIC[k].define_zh if zh else METRIC[k].define_en,
                                         format="percent" if METRIC[k].share else "localized") for k in view.columns if k in METRIC}
conf["agency"] = st.column_config.TextColumn(L("agency"))
conf["level"] = st.column_config.TextColumn(L("od_level"))
st.dataframe(styled, hide_index=True, width="stretch", height=420, column_config=conf)
st.caption(L("od_not_judged") + (" " + L("od_unjudged_list") + ("、" if zh else ", ").join(mname(k) for k in unjudged) if unjudged else ""))
with st.expander(L("od_definitions")):
    st.dataframe(pd.DataFrame([{
        L("od_metric"): mname(x.key), L("explanation"): x.define_zh if zh else x.define_en,
        L("od_thresholds"): "—" if x.green is None else
        f"{'≥' if x.higher_is_better else '≤'} {x.green:.0%} 🟩 · {'≥' if x.higher_is_better else '≤'} {x.amber:.0%} 🟨 · 🟥"} for x in METRICS]),
        hide_index=True, width="stretch")

st.subheader(L("od_profile"))
agencies = m["agency"].tolist()
ag = ui.qp_select(L("agency"), agencies, "odagency")
rank_by = ui.qp_select(L("od_rank_by"), ["datasets", "platinum", "gold", "share_3star", "metadata_complete_share"], "odrank",
                       format_func=mname)
full = ui.od_call("agency_metrics", od, group, stamp=stamp)
prof = opendata.peers(full, ag, rank_by)
prof["who"] = [f"{a}（{L('od_this')}）" if a == ag else f"{a}（#{i}）" for i, a in enumerate(prof["agency"])]
keys = ["datasets", "platinum", "gold", "high_value", "tiny", "overdue"]
long = prof.melt(id_vars="who", value_vars=keys).dropna()
long["variable"] = long["variable"].map(mname)
fig = px.bar(long, x="variable", y="value", color="who", barmode="group", title=L("od_profile_title").format(rank=mname(rank_by)),
             labels={"variable": L("od_metric"), "value": L("count"), "who": ""},
             color_discrete_sequence=["#0072B2", "#E69F00", "#009E73"])
fig.update_layout(height=380, margin=dict(l=10, r=10, t=50, b=10))
st.plotly_chart(fig, width="stretch")

st.subheader(L("od_trend"))
metric = ui.qp_select(L("od_metric"), [x.key for x in METRICS], "odmetric", format_func=mname)
trend = []
for s in snaps:
    ms = ui.od_call("agency_metrics", s, group, stamp=ui.lists_stamp(s))
    r = ms[ms["agency"] == ag]
    trend.append({"snapshot": s, "value": r[metric].iloc[0] if len(r) else None})
tr = pd.DataFrame(trend)
fig = px.line(tr, x="snapshot", y="value", markers=True, title=f"{ag} · {mname(metric)}",
              labels={"snapshot": L("snapshot"), "value": mname(metric)})
fig.update_layout(height=300, margin=dict(l=10, r=10, t=50, b=10))
if METRIC[metric].share:
    fig.update_layout(yaxis_tickformat=".0%")
st.plotly_chart(fig, width="stretch")

st.subheader(L("od_fix_list"))
fx = ui.od_call("fix_list", od, ag, stamp=stamp)
st.write(L("fix_rows").format(n=len(fx)))
st.dataframe(fx.head(200), hide_index=True, width="stretch")
d1, d2 = st.columns(2)
d1.download_button(L("download_csv"), lambda: store.fix_list_csv(fx), f"od_fixlist_{ag}_{od}.csv", "text/csv", on_click="ignore")
d2.download_button(L("download_xlsx"), lambda: store.fix_list_xlsx(fx)[0], f"od_fixlist_{ag}_{od}.xlsx",
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore")

st.subheader(L("od_lists"))
st.caption(L("od_lists_help"))
ds = ui.od_call("datasets", od, ag, stamp=stamp)[["dataset_key", "dataset_name", "high_value", "bilingual"]]
edited = st.data_editor(ds, hide_index=True, width="stretch", height=300, disabled=["dataset_key", "dataset_name"], key=f"lists_{od}_{ag}")
if st.button(L("od_save_lists")):
    snap = [s for s in opendata.snapshots() if s.name == od][0]
    others = opendata.read_lists(snap.parent, od)
    merged = pd.concat([others[~others["dataset_key"].isin(ds["dataset_key"])] if others is not None else None, edited])
    try:
        opendata.save_lists(snap.parent, od, merged)
    except OSError as e:   # e.g. a read-only deployment: say so, keep the page
        st.error(L("od_save_failed").format(msg=str(e)))
    else:
        st.success(L("od_saved"))
        st.rerun()

st.subheader(L("od_report"))
r1, r2 = st.columns(2)
with r1:
    old = ui.qp_select(L("older"), snaps, "odold", default_index=0)
with r2:
    new = ui.qp_select(L("newer"), snaps, "odnew", default_index=len(snaps) - 1)
chosen = ui.qp_multiselect(L("od_report_agencies"), agencies, "odrep", default=[ag])
if st.button(L("od_make_report"), type="primary", disabled=not chosen or old == new):
    html, xlsx = ui.meeting_report(min(old, new), max(old, new), tuple(chosen), group, stamp)
    st.session_state["od_report"] = (html, xlsx, min(old, new), max(old, new))
if "od_report" in st.session_state:
    html, xlsx, a, b = st.session_state["od_report"]
    e1, e2 = st.columns(2)
    e1.download_button(L("od_download_html"), html.encode("utf-8"), f"opendata_report_{a}_{b}.html", "text/html")
    e2.download_button(L("od_download_xlsx"), xlsx, f"opendata_report_{a}_{b}.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
