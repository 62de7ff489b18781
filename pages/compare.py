import plotly.express as px
import streamlit as st

from dq import charts, store, ui
from dq.ui import L

ui.ensure_app()

snap_id, agency = ui.require_snapshot()
st.title(L("compare"))
names = [s.name for s in store.snapshots()]
if len(names) < 2:
    st.info(L("need_two"))
    st.stop()
c1, c2 = st.columns(2)
# the snapshot picked in the sidebar and the one before it; the oldest picked, it and the one after (both
# pickers opened on the oldest, and the page said only "pick two different snapshots": a walk)
i = names.index(snap_id)
older, newer = (i - 1, i) if i > 0 else (0, 1)
with c1:
    a = ui.qp_select(L("older"), names, "a", default_index=older)
with c2:
    b = ui.qp_select(L("newer"), names, "b", default_index=newer)
if a == b:
    st.warning(L("same_snapshot"))
    st.stop()
if a > b:
    # compared in time order, and said so (the pickers read older 2026-11-22, newer 2026-05-22 above figures the
    # other way round, without a word: a walk)
    a, b = b, a
    st.caption(L("cmp_swapped").format(a=a, b=b))
res = ui.call_static("compare_cached", store.by_name(a), store.by_name(b))
rec, fl = res["records"], res["flags"]
if agency:
    rec, fl = rec[rec["agency"] == agency], fl[fl["agency"] == agency]
k = st.columns(4)
k[0].metric(L("records") + ui.paren(a), f"{int(rec['records_a'].sum()):,}")
k[1].metric(L("records") + ui.paren(b), f"{int(rec['records_b'].sum()):,}", **ui.count_delta(int(rec['records_b'].sum() - rec['records_a'].sum())))
k[2].metric(L("added"), f"{int(rec['added'].sum()):,}")
k[3].metric(L("removed"), f"{int(rec['removed'].sum()):,}")
st.caption(L("compare_key_help"))
st.subheader(L("records_per_agency"))
# the agency column as wide as its English names (the counts took the room: "Institute of Oceanography, National
# Taiwan Un…", a walk)
ui.table(rec, width="stretch", column_config={"agency": st.column_config.TextColumn(ui.header("agency"), width="large")})
st.caption(L("compare_which").format(a=a, b=b))
st.subheader(L("flags_per_check"))
fl = fl.assign(title=fl["check_id"].map(ui.check_title))
by_check = fl.groupby(["check_id", "title"], as_index=False)[["flags_a", "flags_b", "fixed", "new_on_kept", "on_added", "on_removed"]].sum()
by_check["change"] = by_check["flags_b"] - by_check["flags_a"]
top = by_check.reindex(by_check["change"].abs().sort_values(ascending=False).index).head(15)
long = top.melt(id_vars="title", value_vars=["fixed", "new_on_kept", "on_added", "on_removed"])
# one diverging bar a check: the flags gone to the left, those that came to the right. Four grouped bars a
# check left each one a sliver beside three empty slots (a walk: hairlines on a 900 px chart)
long["shown"] = long["value"].where(~long["variable"].isin(["fixed", "on_removed"]), -long["value"])
fig = px.bar(long, x="shown", y="title", color="variable", orientation="h", title=L("flag_change_title"), barmode="relative",
             custom_data=["value"], labels={"shown": L("flag_change_axis"), "title": L("check"), "variable": ""},
             color_discrete_map={"fixed": "#009E73", "new_on_kept": "#D55E00", "on_added": "#E69F00", "on_removed": "#56B4E9"})
fig.for_each_trace(lambda tr: tr.update(name=L("cmp_" + tr.name), hovertemplate="%{y}: %{customdata[0]:,}<extra></extra>"))
fig.update_layout(height=max(320, 140 + 30 * len(top)), margin=dict(l=10, r=10, t=70, b=10), xaxis_tickformat=",d", bargap=0.3)
fig.add_vline(x=0, line_width=1, line_color="#666")
st.plotly_chart(charts.flat_y_title(fig, L("check")), width="stretch")
st.caption(L("flag_change_help"))
ui.table(fl[["agency", "title", "flags_a", "flags_b", "fixed", "new_on_kept", "on_added", "on_removed"]], width="stretch")
