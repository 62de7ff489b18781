import streamlit as st

from dq import charts, maps, store, ui
from dq.ui import L

ui.ensure_app()

UNMATCHED = "未比對"   # records whose name matched no checklist entry: a name problem, not a taxon group

snap_id, agency = ui.require_snapshot()
st.title(L("coverage"))
st.caption(L("coverage_intro"))
usable = ui.qp_toggle(L("usable_filter"), "usable")
if usable:
    st.caption(L("usable_help"))
col = "usable_1km" if usable else "records"

level = ui.qp_select(L("map_level"), ["grid", "county", "town", "h3"], "level", format_func=lambda x: L("level_map_" + x))
shapes = ui.call_static("outlines", "county")
base = maps.outline_layer(shapes)
if level == "grid":
    measure = ui.qp_select(L("measure"), [col, "tbia_records", "gap"], "gmeasure", format_func=lambda x: L("g_" + x))
m, lg = st.columns([4, 1])
if level == "grid":
    g = ui.call("grid_coverage", snap_id, agency)
    shown = "tbia_records" if measure == "gap" else measure
    if measure == "gap":
        # cells TBIA knows many records in while this selection holds none: where the holder could add data
        g = g[(g[col] == 0) & (g["tbia_records"].fillna(0) > 0)].copy()
    else:
        g = g[g[measure].fillna(0) > 0].copy()
    g["scaled"] = maps.log_scale(g[shown])
    g = ui.places_in_language(g)
    if ui.lang() == "en":
        g["priority"] = g["priority"].map(lambda p: ui.TBIA_PRIORITY_EN.get(p, p))
    g = maps.tooltip_text(g, ["records", "usable_1km", "species", "tbia_records", "priority", "county", "town"])
    tip = (f"{L('grid')} {{grid_id}} · {{county_t}} {{town_t}}<br/>{L('records')}{ui.colon()}{{records_t}} · {L('usable_1km')}{ui.colon()}{{usable_1km_t}}"
           f"<br/>{L('species')}{ui.colon()}{{species_t}}<br/>TBIA{ui.colon()}{{tbia_records_t}} ({{priority_t}})")
    near = maps.near_taiwan(g["c_lon"], g["c_lat"])
    m.pydeck_chart(maps.deck([maps.cell_layer(g, "scaled"), base], tip, maps.fit_view(g.loc[near, "c_lon"], g.loc[near, "c_lat"])),
                   height=maps.MAP_HEIGHT)
    lg.html(maps.legend_html(L("g_" + measure) + L("log_suffix"), maps.log_ticks(g[shown].max() if len(g) else 1), None))
    if (~near).any():
        st.caption(L("cells_far_out").format(n=int((~near).sum())))
    st.caption(L("tbia_source"))
elif level in ("county", "town"):
    q = ui.call("county_quality" if level == "county" else "town_quality", snap_id, agency)
    on = ["county"] if level == "county" else ["county", "town"]
    # an area with records but none usable at 1 km is drawn as having none, never in the colour of one (a walk: the
    # 1 km map coloured 卑南鄉's 325 records, 0 usable, as data under a legend that ran from 1)
    q["scaled"] = maps.log_scale(q[col]).where(q[col].fillna(0) > 0)
    sh = shapes if level == "county" else ui.call_static("outlines", "town")
    # the county borders are the base outlines drawn over the fill; towns get thin white borders of their own
    shown_names = ui.places_in_language(q[on])
    q = q.assign(**{f"{c}_shown": shown_names[c] for c in on})
    layer = maps.choropleth_layer(sh, q, on, "scaled", [f"{c}_shown" for c in on] + ["records", "usable_1km"], stroked=level == "town")
    name = "{county_shown}" if level == "county" else "{county_shown} {town_shown}"
    m.pydeck_chart(maps.deck([layer, base], f"<b>{name}</b><br/>{L('records')}{ui.colon()}{{records}}<br/>{L('usable_1km')}{ui.colon()}{{usable_1km}}"),
                   height=maps.MAP_HEIGHT)
    lg.html(maps.legend_html(L("g_" + col) + L("log_suffix"), maps.log_ticks(q[col].max() if len(q) else 1),
                             L("no_records") if col == "records" else L("none_usable")))
else:
    h = ui.call("h3_coverage", snap_id, agency)
    h, res = maps.fit_hexes(h[h[col] > 0], ["records", "records_no_error", "usable_1km"])   # species (distinct) go if summed
    h = h.copy()
    h["scaled"] = maps.log_scale(h[col])
    h = maps.tooltip_text(h, ["records", "usable_1km", "species"])
    tip = f"H3 {{h3}}<br/>{L('records')}{ui.colon()}{{records_t}}<br/>{L('usable_1km')}{ui.colon()}{{usable_1km_t}}"
    m.pydeck_chart(maps.deck([maps.h3_layer(h, "scaled"), base], tip + (f"<br/>{L('species')}{ui.colon()}{{species_t}}" if "species" in h else "")),
                   height=maps.MAP_HEIGHT)
    lg.html(maps.legend_html(L("g_" + col) + L("log_suffix"), maps.log_ticks(h[col].max() if len(h) else 1), None))
    if res < 7:
        m.caption(L("hex_coarser").format(res=res, n=len(h)))

st.subheader(L("taxon_by_county"))
ta = ui.call("taxon_area", snap_id, agency)
gcol = "group_en" if ui.lang() == "en" else "group_zh"
unmatched = int(ta.loc[ta["group_zh"] == UNMATCHED, col].sum())
ta = ta[ta["group_zh"] != UNMATCHED]
pv = ta.dropna(subset=["county"]).pivot_table(index=gcol, columns="county", values=col, aggfunc="sum", fill_value=0)
if len(pv):
    # every county a column: one without a record of any group is the gap this chart is for (澎湖縣 had
    # vanished), its cells blank, as are a group's zeros elsewhere (on the log scale 0 and 1 were one colour)
    # in Chinese in the order government tables list them (by code point, 南投縣 came first and 臺北市 near the end)
    pv = pv.reindex(columns=ui.counties_in_order(set(pv.columns) | set(ui.county_english())), fill_value=0)
if ui.lang() == "en":   # the counties' own English names (the shipped boundaries carry them)
    pv = pv.rename(columns=ui.county_english())
    pv = pv.reindex(sorted(pv.columns), axis=1)   # in the order an English reader looks them up
# a table of zeros (an agency with no record usable at 1 km) is nothing to show: it drew an empty chart (a walk)
if pv.empty or not (pv.to_numpy() > 0).any():
    st.info(L("nothing_to_show"))
else:
    st.plotly_chart(charts.heatmap(pv, L("taxon_by_county_title"), L("county"), L("taxon_group"), L("g_" + col) + L("log_suffix"), log=True, lang=ui.lang()),
                    width="stretch")
st.caption(L("taxon_by_county_basis"))
if usable:
    # a group with records of which none is usable at 1 km is a row of blanks: said why (a walk read the
    # amphibians' empty row with "usable only" on as a gap in the records)
    had = ta.dropna(subset=["county"]).groupby(gcol)[["records", col]].sum()
    none_usable = had[(had["records"] > 0) & (had[col] == 0)].index.tolist()
    if none_usable:
        st.caption(L("groups_none_usable").format(groups=L("list_sep").join(none_usable)))
if unmatched:
    st.caption(L("unmatched_note").format(n=unmatched))

st.subheader(L("checklist_coverage"))
st.caption(L("checklist_help"))
cov = ui.call("checklist_coverage", snap_id, agency, usable)
# the groups this selection has records of first (a fish agency's table opened on 0 of the vascular plants)
cov = cov.sort_values(["species_recorded", "species_checklist"], ascending=False, kind="stable").reset_index(drop=True)
# the coverage column is drawn as a bar in each row: a bar chart of the same five numbers above it
# cost the page a second plotly chart to draw on every visit (#11, #14)
no_endemism = cov.loc[cov["endemic_checklist"] == 0, gcol].tolist()   # the reference data has no endemism for these groups
view = cov.rename(columns={gcol: "group"})[["group", "species_checklist", "species_recorded", "coverage", "endemic_checklist",
                                            "endemic_recorded", "threatened_checklist", "threatened_recorded"]]
view["coverage"] = (view["coverage"] * 100).round(1)     # as shown: the table's own CSV download gave 40.62078272604588
for c in ("endemic_checklist", "endemic_recorded"):
    view[c] = view[c].astype("Int64").where(cov["endemic_checklist"] > 0)   # unknown, not 0
# likewise a group the reference data gives no red-list category for: "none threatened" would be wrong
no_redlist = cov.loc[cov["redlist_checklist"] == 0, gcol].tolist()
for c in ("threatened_checklist", "threatened_recorded"):
    view[c] = view[c].astype("Int64").where(cov["redlist_checklist"] > 0)
ui.table(view, width="stretch", column_config={"coverage": st.column_config.ProgressColumn(
    L("col_coverage"), format="%.1f%%", min_value=0, max_value=100)})
if no_endemism:
    st.caption(L("no_endemism_note").format(groups=L("list_sep").join(no_endemism)))
if no_redlist:
    st.caption(L("no_redlist_note").format(groups=L("list_sep").join(no_redlist)))

names = dict(zip(cov["group_zh"], cov[gcol]))
# open on the group this selection has most records of, not on the biggest checklist
with_data = cov[cov["species_recorded"] > 0].sort_values("species_recorded", ascending=False)["group_zh"].tolist()
order = with_data + [g for g in cov["group_zh"] if g not in with_data]
group = ui.qp_select(L("taxon_group"), order, "group", format_func=lambda g: f"{names[g]}")
un = ui.call("unrecorded_species", snap_id, group, agency, usable, ui.lang())
row = cov[cov["group_zh"] == group].iloc[0]
# a group the reference data gives no endemism or red list for: its counts are unknown, not 0 (an analyst read
# 臺灣山椒魚 as "not threatened")
unknown = L("unknown_count")
st.write(L("unrecorded_n").format(n=len(un), endemic=f"{int(un['is_endemic'].sum()):,}" if row["endemic_checklist"] else unknown,
                                  threatened=f"{int(un['threatened'].sum()):,}" if row["redlist_checklist"] else unknown,
                                  nowhere=int(un["tbia_unrecorded"].sum())))
shown = un.rename(columns={"species": "scientific"})
# the bird list writes 極危（CR, Critically Endangered）, the plant list CR: both as 極危（CR） / Critically Endangered (CR)
shown["redlist"] = shown["redlist"].map(ui.redlist_text)
shown["redlist"] = shown["redlist"].where(~shown["redlist_infra"].fillna(False), shown["redlist"] + L("redlist_infra"))
shown = shown.drop(columns="redlist_infra")
if "vernacular_en" in shown and shown["vernacular_en"].isna().all():    # only the bird list gives English names
    shown = shown.drop(columns="vernacular_en")
if row["endemic_checklist"] == 0:
    shown = shown.drop(columns="is_endemic")
if row["redlist_checklist"] == 0:
    shown = shown.drop(columns=["threatened", "redlist"])
ui.table(shown, width="stretch", height=320,
         column_config={"tbia_unrecorded": st.column_config.CheckboxColumn(L("tbia_unrecorded"), help=L("tbia_unrecorded_help")),
                        # "Critically Endangered (CR)" whole (it was cut to "Critically End")
                        "redlist": st.column_config.TextColumn(L("col_redlist"), width="large")})
st.download_button(L("download_unrecorded"), store.fix_list_csv(ui.for_download(shown)),
                   f"{store.file_stem(L('unrecorded_file'), names[group], snap_id)}.csv", "text/csv")
