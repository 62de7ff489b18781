import plotly.express as px
import streamlit as st

from dq import ui
from dq.ui import L

ui.ensure_app()

snap_id, agency = ui.require_snapshot()
st.title(L("completeness"))
st.caption(L("completeness_intro"))
levels = ui.qp_multiselect(L("levels"), ["M", "C", "O"], "levels", default=["M", "C"], format_func=lambda x: L("level_" + x))
by = "dataset_id" if agency else "agency"
df = ui.call("completeness", snap_id, agency, by)
kinds = sorted(df["table_kind"].unique())
kind = ui.qp_select(L("table"), kinds, "table", format_func=lambda k: L("table_" + k)) if len(kinds) > 1 else kinds[0]
d = df[(df["table_kind"] == kind) & (df["level"].isin(levels))].copy()
if d.empty:
    st.info(L("nothing_to_show"))
    st.stop()
d["label"] = d["field"] + "（" + d["field_zh"] + "）· " + d["level"]
d["pct"] = (d["share"] * 100).round(1)
pivot = d.pivot_table(index=by, columns="label", values="pct", aggfunc="first")
fig = px.imshow(pivot, color_continuous_scale="Viridis", zmin=0, zmax=100, aspect="auto", text_auto=".0f",
                labels={"color": L("filled_pct"), "x": L("field"), "y": L("agency") if by == "agency" else L("dataset")},
                title=L("heatmap_title"))
fig.update_layout(height=260 + 40 * len(pivot), margin=dict(l=10, r=10, t=60, b=10))
fig.update_xaxes(tickangle=-50)
st.plotly_chart(fig, width="stretch")

st.subheader(L("drill_missing"))
c1, c2 = st.columns(2)
with c1:
    fields = d.sort_values("share")["field"].drop_duplicates().tolist()
    field = ui.qp_select(L("field"), fields, "field")
with c2:
    dsets = [None] + ui.call("dataset_ids", snap_id, agency)
    dataset = ui.qp_select(L("dataset"), dsets, "dataset", format_func=lambda x: L("all_datasets") if x is None else x)
row = d[d["field"] == field]
st.write(L("missing_summary").format(field=field, missing=int((row["records"] - row["filled"]).sum()), records=int(row["records"].sum())))
st.dataframe(ui.call("missing_rows", snap_id, field, agency, dataset, 200), hide_index=True, width="stretch")
