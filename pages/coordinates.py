import streamlit as st

from dq import maps, ui
from dq.ui import L

ui.ensure_app()

snap_id, agency = ui.require_snapshot()
st.title(L("coordinates"))
st.caption(L("coordinates_intro"))
counts = ui.call("check_counts", snap_id, "coordinates", agency)
if counts.empty:
    st.success(L("no_flags"))
    st.stop()
c1, c2 = st.columns([3, 1])
with c1:
    default = [c for c in counts["check_id"] if c not in ("COORD_UNCERTAINTY_MISSING", "COORD_LOW_PRECISION", "COORD_SRS_UNKNOWN")][:5]
    chosen = ui.qp_multiselect(L("checks"), counts["check_id"].tolist(), "coordchecks", default=default,
                               format_func=lambda c: f"{ui.check_label(c)} ({int(counts.set_index('check_id').loc[c, 'n']):,})")
with c2:
    dataset = ui.qp_select(L("dataset"), [None] + ui.call("dataset_ids", snap_id, agency), "dataset",
                           format_func=lambda x: L("all_datasets") if x is None else x)
if not chosen:
    st.info(L("pick_checks"))
    st.stop()
pts, total = ui.call("flagged_points", snap_id, chosen, agency, dataset, maps.MAX_POINTS + 1)
shapes = ui.call_static("outlines", "county")
base = maps.outline_layer(shapes)
colours = maps.category_colours(chosen)
if len(pts) <= maps.MAX_POINTS:
    st.write(L("points_shown").format(n=total, places=len(pts)))
    layers = [base] + maps.point_layers(pts, colours)
    tip = (f"<b>{{check_id}}</b> · {{n}} {L('records')}<br/>{L('example')}: {{scientificName}} · {{eventDate}}<br/>"
           f"{L('record')} {{record_id}} · {L('row')} {{source_row}}"
           f"<br/>{{lat}}, {{lon}} ({{coord_source}})<br/>{{county}} {{town}}<br/>{L('suggestion')}: {{suggestion}}")
    st.pydeck_chart(maps.deck(layers, tip), height=600)
    st.markdown(maps.category_legend_html(colours), unsafe_allow_html=True)
    st.caption(L("moved_help"))
else:
    hexes = ui.call("flagged_hexes", snap_id, chosen, agency, dataset)
    hexes["scaled"] = maps.log_scale(hexes["n"])
    st.write(L("hexes_shown").format(n=total, cells=len(hexes)))
    st.pydeck_chart(maps.deck([base, maps.h3_layer(hexes, "scaled")], f"H3 {{h3}}<br/>{L('flags')}: {{n}}"), height=600)
    st.markdown(maps.legend_html(L("flags") + " (log)", "1", f"{int(hexes['n'].max()):,}"), unsafe_allow_html=True)
st.subheader(L("flagged_records"))
st.dataframe(pts.head(500), hide_index=True, width="stretch")
