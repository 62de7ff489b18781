import streamlit as st

from dq import maps, ui
from dq.checks.coordinates import MAP_ORDER, NO_POINT, RECORD_WIDE
from dq.i18n import counted
from dq.ui import L

ui.ensure_app()


snap_id, agency = ui.require_snapshot()
st.title(L("coordinates"))
st.caption(L("coordinates_intro"))
ds_name = ui.call("dataset_names", snap_id, agency)
dataset = ui.qp_select(L("dataset"), [None] + ui.call("dataset_ids", snap_id, agency), "dataset",
                       format_func=lambda x: L("all_datasets") if x is None else ds_name.get(x, x))
counts = ui.call("check_counts", snap_id, "coordinates", agency, dataset)
if counts.empty:
    st.success(L("no_flags"))
    st.stop()
n_of = dict(zip(counts["check_id"], counts["n"]))
# an agency whose only coordinate findings are missing points (NTU/OCA's reef survey: 5,801) opens on
# those, listed below the map, not on an empty picker
ids = counts["check_id"].tolist()
default = ([c for c in ids if c not in NO_POINT + RECORD_WIDE] or [c for c in ids if c in NO_POINT] or ids)
chosen = ui.qp_multiselect(L("checks"), counts["check_id"].tolist(), "coordchecks", default=default,
                           format_func=lambda c: ui.check_title(c) + ui.paren(f"{n_of[c]:,}"))
if not chosen:
    st.info(L("pick_checks"))
    st.stop()
pts, mapped = ui.call("flagged_points", snap_id, chosen, agency, dataset, maps.MAX_POINTS + 1, lang=ui.lang())
pts = ui.places_in_language(pts)     # the map's tooltips and the table below name places in the UI language
loose, unmapped = ui.call("unmapped_flags", snap_id, chosen, agency, dataset, 500, lang=ui.lang())
flags = sum(n_of[c] for c in chosen)
st.write(L(counted("coord_counts", len(pts))).format(flags=flags, mapped=mapped, places=len(pts), unmapped=unmapped))
shapes = ui.call_static("outlines", "county")
base = maps.outline_layer(shapes)
colours = maps.category_colours(chosen, MAP_ORDER)     # each check keeps its colour whatever else is chosen
titles = {c: ui.check_title(c) for c in chosen}
m, lg = st.columns([4, 1])
if pts.empty:
    m.info(L("coord_none_mapped"))
elif len(pts) <= maps.MAX_POINTS:
    pts = pts.assign(title=pts["check_id"].map(titles))
    shown = maps.tooltip_text(pts, ["n", "scientificName", "eventDate", "coord_source", "county", "town", "suggestion", "record_id",
                                    "source_row"])
    shown["n_t"] = [L(counted("n_records", int(n))).format(n=int(n)) for n in pts["n"]]
    tip = (f"<b>{{title}}</b> · {{n_t}}<br/>{L('example')}{ui.colon()}{{scientificName_t}} · {{eventDate_t}}<br/>"
           f"{L('record')} {{record_id_t}} · {L('row')} {{source_row_t}}"
           f"<br/>{{lat}}, {{lon}} ({{coord_source_t}})<br/>{{county_t}} {{town_t}}<br/>{L('suggestion')}{ui.colon()}{{suggestion_t}}"
           f"<br/><i>{L('click_for_record')}</i>")
    with m:
        ev = st.pydeck_chart(maps.deck([base] + maps.point_layers(shown, colours), tip, maps.fit_view(pts["lon"], pts["lat"])),
                             height=maps.MAP_HEIGHT, on_select="rerun", selection_mode="single-object", key=f"coordmap_{ui.lang()}")
    rid = ui.selected_record(ev, pts)
    if rid is not None:
        ui.open_record(rid)
    # a check whose records have no point (coordinates out of range) has no dot: its entry says so (a browser walk)
    drawn = pts.groupby("check_id")["n"].sum().to_dict()
    lg.html(maps.category_legend_html(colours, {c: titles[c] + ui.paren(f"{n_of[c]:,}") if drawn.get(c, 0) else
                                                titles[c] + ui.paren(L('legend_not_drawn').format(n=n_of[c])) for c in chosen}, L("checks")))
    lg.caption(L("moved_help"))
else:
    hexes, res = maps.fit_hexes(ui.call("flagged_hexes", snap_id, chosen, agency, dataset), ["n"])
    hexes = hexes.copy()
    if res < 7:
        m.caption(L("hex_coarser").format(res=res, n=len(hexes)))
    hexes["scaled"] = maps.log_scale(hexes["n"])
    hexes = maps.tooltip_text(hexes, ["n"])
    m.write(L("hexes_shown").format(n=mapped, cells=len(hexes)))
    m.pydeck_chart(maps.deck([base, maps.h3_layer(hexes, "scaled")], f"H3 {{h3}}<br/>{L('flags')}{ui.colon()}{{n_t}}"), height=maps.MAP_HEIGHT)
    lg.html(maps.legend_html(L("flags") + " (log)", maps.log_ticks(hexes["n"].max())))

st.subheader(L("flagged_records"))
st.caption(L("click_row_for_record"))
view = pts.head(500).assign(title=lambda d: d["check_id"].map(titles))
# the fix next to the problem: at the far right it was cut off at 1440 px
cols = [c for c in ("title", "n", "suggestion", "record_id", "scientificName", "eventDate", "lat", "lon", "verbatim_lat", "verbatim_lon",
                    "county", "town", "coord_source", "source_row", "dataset_id") if c in view.columns]
if view.empty:   # Streamlit's own placeholder for an empty table says "empty", in English
    st.info(L("nothing_to_show"))
else:
    ev = ui.table(view[cols], width="stretch", on_select="rerun", selection_mode="single-row", key=f"coordtable_{ui.lang()}")
    rid = ui.selected_record(ev, view)
    if rid is not None:
        ui.open_record(rid)

st.subheader(L("coord_unmapped_title").format(n=unmapped))
# the points no check could read at all are not picked by default (they are a completeness gap, not a wrong
# place): said here, or the list read "17 flags" beside 6,944 records whose coordinates are missing (a walk)
left_out = [c for c in ids if c in NO_POINT and c not in chosen]
if left_out:
    sep = L("list_sep")
    st.caption(L("coord_unmapped_not_chosen").format(checks=sep.join(ui.check_title(c) + ui.paren(f"{n_of[c]:,}") for c in left_out)))
if unmapped:
    st.caption(L("coord_unmapped_help"))
    loose = loose.assign(title=loose["check_id"].map(titles))
    cols = ["title", "suggestion", "record_id", "scientificName", "eventDate", "verbatimLatitude", "verbatimLongitude", "decimalLatitude",
            "decimalLongitude", "verbatimLocality", "source_row", "dataset_id"]
    ev = ui.table(loose[cols], width="stretch", on_select="rerun", selection_mode="single-row", key=f"unmapped_{ui.lang()}")
    rid = ui.selected_record(ev, loose)
    if rid is not None:
        ui.open_record(rid)
