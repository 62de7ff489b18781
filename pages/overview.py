import streamlit as st

from dq import maps, ui
from dq.ui import L

ui.ensure_app()

snap_id, agency = ui.require_snapshot()
st.title(L("app_title"))
st.caption(L("overview_intro_agency").format(agency=ui.agency_text(agency)) if agency else L("overview_intro"))

k = ui.call("kpis", snap_id, agency)
# counts change with the population; shares are compared only on the datasets present in both snapshots
d = ui.call("kpi_delta_like", snap_id, agency)


def share_metric(col, label, key, help=None):
    """A share with its change; a change of yardstick is "not comparable", never a regression."""
    if not d:
        col.metric(label, ui.pct(k[key]), None, help=help)
    elif d[key] is None:
        col.metric(label, ui.pct(k[key]), L("not_comparable") if k[key] is not None else None, delta_color="off",
                   delta_arrow="off", help=help)
    else:
        col.metric(label, ui.pct(k[key]), **ui.pp_delta(d[key]), help=help)


def count_metric(col, label, key, help=None):
    """A count with its change since the previous snapshot; no change shows neither an arrow nor a colour."""
    if not d:
        col.metric(label, f"{k[key]:,}", None, help=help)
    else:
        col.metric(label, f"{k[key]:,}", **ui.count_delta(d[key]), help=help)


cols = st.columns(4)
count_metric(cols[0], L("records"), "records")
count_metric(cols[1], L("agencies"), "agencies")
count_metric(cols[2], L("datasets"), "datasets")
count_metric(cols[3], L("species_kpi"), "species", L("species_help"))
cols = st.columns(4)
share_metric(cols[0], L("share_no_error"), "share_no_error", L("score_overall_help"))
share_metric(cols[1], L("completeness_graded"), "completeness", L("score_completeness_help"))
share_metric(cols[2], L("gold_share"), "gold", L("tier_help"))
share_metric(cols[3], L("kpi_usable"), "usable_1km",
             L("usable_1km") + "：" + L("usable_help") if ui.lang() == "zh" else L("usable_1km") + ": " + L("usable_help"))
if d:
    st.caption(L("delta_since").format(prev=d["previous"]))
    if d["agencies_added"] or d["agencies_removed"] or d["datasets_added"] or d["datasets_removed"]:
        sep = L("list_sep")
        st.caption(L("ov_population_changed").format(
            common=d["common_datasets"], added=d["datasets_added"], removed=d["datasets_removed"],
            agencies=sep.join(map(ui.agency_text, d["agencies_added"])) or "—", gone=sep.join(map(ui.agency_text, d["agencies_removed"])) or "—")
            if d["common_datasets"] else L("ov_population_new"))
    if not d["comparable"]:
        st.caption(L("not_comparable_help").format(prev=d["previous"]))

# halves: at 1400 px the top problems' three columns did not fit two fifths (an agency's long check title hid
# the severity: a walk), and the map's island keeps its height either way
left, right = st.columns([1, 1])
with left:
    st.subheader(L("map_county_quality"))
    # no "share without coordinate errors": a record with a coordinate error has no county to be counted in,
    # so every county read 100 % (beside agency scores of 60 %: a walk)
    measure = ui.qp_select(L("measure"), ["ok_content", "share_no_error", "ok_taxonomy", "ok_time"], "measure",
                           format_func=lambda m: L("m_" + m))
    cq = ui.call("county_quality", snap_id, agency)
    shapes = ui.call_static("outlines", "county")
    lo, hi = float(cq[measure].min()), float(cq[measure].max())
    # stretch the colours over the range present, which the legend states; shares near 100 % would otherwise look alike
    cq["scaled"] = (cq[measure] - lo) / (hi - lo) if hi > lo else 1.0
    cq["pct"] = (cq[measure] * 100).map(lambda v: f"{v:.2f}%")
    cq["county_shown"] = ui.places_in_language(cq[["county"]], town=None)["county"]
    layer = maps.choropleth_layer(shapes, cq, ["county"], "scaled", ["county_shown", "records", "pct"])
    m, lg = st.columns([4, 1])
    m.pydeck_chart(maps.deck([layer, maps.outline_layer(shapes)],
                             f"<b>{{county_shown}}</b><br/>{L('records')}{ui.colon()}{{records}}<br/>{L('m_' + measure)}{ui.colon()}{{pct}}",
                             maps.fit_view(width=maps.NARROW_MAP_WIDTH)),
                   height=maps.MAP_HEIGHT)
    lg.html(maps.legend_html(L("m_" + measure), maps.linear_ticks(lo, hi, lambda v: f"{v:.1%}"), L("no_records")))
    # the map shares are of the records it can place: a reef survey whose points are 40 % missing painted its
    # counties 100 % beside an agency score of 60 % (a walk), with nothing saying so
    off_map = int(k["records"] - cq["records"].sum())
    if off_map > 0:
        st.caption(L("map_not_shown").format(n=off_map, p=ui.pct(off_map / k["records"])))
with right:
    st.subheader(L("top_problems"))
    top = ui.call("top_problems", snap_id, agency, ui.lang(), 12)
    # three columns fit the half-width column whole at 1440 px (the scorecard lists dimensions)
    # the count and severity are short: the check's title gets the rest ("Point far from its locationID's other
    # records" was cut at "recor" in English)
    ui.table(top[["title", "n", "severity"]], width="stretch", height=35 * (len(top) + 1) + 3,
             column_config={"n": st.column_config.NumberColumn(ui.header("n"), format="localized", width=70),
                            "severity": st.column_config.TextColumn(ui.header("severity"), width=78)})

st.subheader(L("agency_list"))
st.caption(L("agency_list_help"))
league = ui.call("agency_league", snap_id)
dims = [c for c in league.columns if c.startswith("score_") and c != "score_overall"]
widths = [3, 1, 1] + [1] * len(dims)   # an agency's name is shown whole (wrapped), never cut
head = st.columns(widths)
for c, key in zip(head, ["col_agency", "col_records", "col_score_overall"] + [f"col_{x}" for x in dims]):
    c.html(f"<div style='font-weight:600;font-size:.8rem;overflow-wrap:normal;word-break:keep-all'>{L(key)}</div>")
for row in league.itertuples(index=False):   # one line per agency (a handful), not per record
    r = st.columns(widths)
    r[0].page_link("pages/scorecard.py", label=ui.agency_text(row.agency), query_params=ui.link_params(agency=row.agency))
    r[1].write(f"{row.records:,}")
    r[2].markdown(ui.md_safe(ui.pct(row.score_overall)))
    for c, x in zip(r[3:], dims):
        c.markdown(ui.md_safe(ui.pct(getattr(row, x))))
