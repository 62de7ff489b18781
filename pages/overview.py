import streamlit as st

from dq import maps, ui
from dq.ui import L

ui.ensure_app()

snap_id, agency = ui.require_snapshot()
st.title(L("app_title"))
st.caption(L("overview_intro"))

k = ui.call("kpis", snap_id, agency)
d = ui.call("kpi_delta", snap_id, agency)
cols = st.columns(6)
cols[0].metric(L("records"), f"{k['records']:,}", f"{d['records']:+,}" if d else None)
cols[1].metric(L("agencies"), f"{k['agencies']:,}", f"{d['agencies']:+,}" if d else None)
cols[2].metric(L("datasets"), f"{k['datasets']:,}", f"{d['datasets']:+,}" if d else None)
cols[3].metric(L("species"), f"{k['species']:,}", f"{d['species']:+,}" if d else None)
cols[4].metric(L("share_no_error"), ui.pct(k["share_no_error"]), f"{d['share_no_error'] * 100:+.1f} pp" if d else None)
cols[5].metric(L("kpi_usable"), ui.pct(k["usable_1km"]), f"{d['usable_1km'] * 100:+.1f} pp" if d else None,
               help=L("usable_1km") + "：" + L("usable_help") if ui.lang() == "zh" else L("usable_1km") + ": " + L("usable_help"))
if d:
    st.caption(L("delta_since").format(prev=d["previous"]))

left, right = st.columns([3, 2])
with left:
    st.subheader(L("map_county_quality"))
    measure = ui.qp_select(L("measure"), ["ok_content", "share_no_error", "ok_coordinates", "ok_taxonomy", "ok_time"], "measure",
                           format_func=lambda m: L("m_" + m))
    cq = ui.call("county_quality", snap_id, agency)
    shapes = ui.call_static("outlines", "county")
    lo, hi = float(cq[measure].min()), float(cq[measure].max())
    # stretch the colours over the range present, which the legend states; shares near 100 % would otherwise look alike
    cq["scaled"] = (cq[measure] - lo) / (hi - lo) if hi > lo else 1.0
    cq["pct"] = (cq[measure] * 100).map(lambda v: f"{v:.2f} %")
    layer = maps.choropleth_layer(shapes, cq, ["county"], "scaled", ["county", "records", "pct"])
    m, lg = st.columns([4, 1])
    m.pydeck_chart(maps.deck([layer, maps.outline_layer(shapes)],
                             f"<b>{{county}}</b><br/>{L('records')}: {{records}}<br/>{L('m_' + measure)}: {{pct}}",
                             maps.fit_view(width=maps.NARROW_MAP_WIDTH)),
                   height=maps.MAP_HEIGHT)
    lg.html(maps.legend_html(L("m_" + measure), maps.linear_ticks(lo, hi, lambda v: f"{v:.1%}"), L("no_records")))
with right:
    st.subheader(L("top_problems"))
    top = ui.call("top_problems", snap_id, agency, ui.lang(), 12)
    ui.table(top[["title", "n", "severity", "dimension", "check_id"]], width="stretch", height=480)

st.subheader(L("agency_list"))
st.caption(L("agency_list_help"))
league = ui.call("agency_league", snap_id)
dims = [c for c in league.columns if c.startswith("score_") and c != "score_overall"]
widths = [2.5, 1, 1] + [1] * len(dims)
head = st.columns(widths)
for c, key in zip(head, ["col_agency", "col_records", "col_score_overall"] + [f"col_{x}" for x in dims]):
    c.html(f"<div style='font-weight:600;font-size:.8rem;overflow-wrap:normal;word-break:keep-all'>{L(key)}</div>")
for row in league.itertuples(index=False):   # one line per agency (a handful), not per record
    r = st.columns(widths)
    r[0].page_link("pages/scorecard.py", label=row.agency, query_params=ui.link_params(agency=row.agency))
    r[1].write(f"{row.records:,}")
    r[2].write(ui.pct(row.score_overall))
    for c, x in zip(r[3:], dims):
        c.write(ui.pct(getattr(row, x)))
