import plotly.express as px
import streamlit as st

from dq import maps, store, ui
from dq.ui import L

ui.ensure_app()

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
    g = ui.call("grid_coverage", snap_id, agency)
    measure = ui.qp_select(L("measure"), [col, "tbia_records", "gap"], "gmeasure", format_func=lambda m: L("g_" + m))
    if measure == "gap":
        # cells TBIA knows many records in while this selection holds none: where the holder could add data
        g = g[(g[col] == 0) & (g["tbia_records"].fillna(0) > 0)].copy()
        g["scaled"] = maps.log_scale(g["tbia_records"])
    else:
        g = g[g[measure].fillna(0) > 0].copy()
        g["scaled"] = maps.log_scale(g[measure])
    layer = maps.cell_layer(g, "scaled")
    tip = (f"{L('grid')} {{grid_id}} · {{county}} {{town}}<br/>{L('records')}: {{records}} · {L('usable_1km')}: {{usable_1km}}"
           f"<br/>{L('species')}: {{species}}<br/>TBIA: {{tbia_records}} ({{priority}})")
    st.pydeck_chart(maps.deck([layer, base], tip), height=620)
    st.markdown(maps.legend_html(L("g_" + measure) + " (log)", "1", f"{int(g['tbia_records' if measure == 'gap' else measure].max() or 0):,}"),
                unsafe_allow_html=True)
    st.caption(L("tbia_source"))
elif level in ("county", "town"):
    q = ui.call("county_quality" if level == "county" else "town_quality", snap_id, agency)
    on = ["county"] if level == "county" else ["county", "town"]
    q["scaled"] = maps.log_scale(q[col])
    sh = shapes if level == "county" else ui.call_static("outlines", "town")
    layer = maps.choropleth_layer(sh, q, on, "scaled", on + ["records", "usable_1km"])
    name = "{county}" if level == "county" else "{county} {town}"
    st.pydeck_chart(maps.deck([layer, base], f"<b>{name}</b><br/>{L('records')}: {{records}}<br/>{L('usable_1km')}: {{usable_1km}}"),
                    height=620)
    st.markdown(maps.legend_html(L("g_" + col) + " (log)", "0", f"{int(q[col].max() or 0):,}"), unsafe_allow_html=True)
else:
    h = ui.call("h3_coverage", snap_id, agency)
    h = h[h[col] > 0].copy()
    h["scaled"] = maps.log_scale(h[col])
    st.pydeck_chart(maps.deck([maps.h3_layer(h, "scaled"), base],
                              f"H3 {{h3}}<br/>{L('records')}: {{records}}<br/>{L('usable_1km')}: {{usable_1km}}<br/>{L('species')}: {{species}}"),
                    height=620)
    st.markdown(maps.legend_html(L("g_" + col) + " (log)", "1", f"{int(h[col].max() or 0):,}"), unsafe_allow_html=True)

st.subheader(L("taxon_by_county"))
ta = ui.call("taxon_area", snap_id, agency)
gcol = "group_en" if ui.lang() == "en" else "group_zh"
pv = ta.dropna(subset=["county"]).pivot_table(index=gcol, columns="county", values=col, aggfunc="sum", fill_value=0)
fig = px.imshow(pv, color_continuous_scale="Viridis", aspect="auto", text_auto=True, title=L("taxon_by_county_title"),
                labels={"color": L("g_" + col), "x": L("county"), "y": L("taxon_group")})
fig.update_layout(height=200 + 45 * len(pv), margin=dict(l=10, r=10, t=50, b=10))
st.plotly_chart(fig, width="stretch")

st.subheader(L("checklist_coverage"))
st.caption(L("checklist_help"))
cov = ui.call("checklist_coverage", snap_id, agency, usable)
fig = px.bar(cov, x=gcol, y="coverage", text_auto=".1%", title=L("checklist_title"), range_y=[0, 1],
             labels={"coverage": L("coverage_share"), gcol: L("taxon_group")}, color_discrete_sequence=["#21918c"])
fig.update_layout(height=320, margin=dict(l=10, r=10, t=50, b=10), yaxis_tickformat=".0%")
st.plotly_chart(fig, width="stretch")
st.dataframe(cov, hide_index=True, width="stretch")
names = dict(zip(cov["group_zh"], cov[gcol]))
group = ui.qp_select(L("taxon_group"), cov["group_zh"].tolist(), "group", format_func=lambda g: names[g])
un = ui.call("unrecorded_species", snap_id, group, agency, usable)
st.write(L("unrecorded_n").format(n=len(un), endemic=int(un["is_endemic"].sum()), threatened=int(un["threatened"].sum()),
                                  nowhere=int(un["tbia_unrecorded"].sum())))
st.dataframe(un, hide_index=True, width="stretch", height=320,
             column_config={"is_endemic": st.column_config.CheckboxColumn(L("endemic")),
                            "threatened": st.column_config.CheckboxColumn(L("threatened")),
                            "tbia_unrecorded": st.column_config.CheckboxColumn(L("tbia_unrecorded"), help=L("tbia_unrecorded_help"))})
st.download_button(L("download_unrecorded"), store.fix_list_csv(un), f"unrecorded_{group}_{snap_id}.csv", "text/csv")
