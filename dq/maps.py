"""pydeck map builders. Every map draws the shipped county outlines first, so it reads without
internet (no tile server); colours are viridis (sequential) and Okabe–Ito (categories), which
stay distinguishable for colour-blind readers and in greyscale print."""
from __future__ import annotations

import json
import math

import pandas as pd
import pydeck as pdk

VIEW = pdk.ViewState(latitude=23.7, longitude=120.9, zoom=6.3, min_zoom=5, max_zoom=14)
# viridis at 0, .25, .5, .75, 1
VIRIDIS = [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)]
OKABE_ITO = [(230, 159, 0), (86, 180, 233), (0, 158, 115), (240, 228, 66), (0, 114, 178), (213, 94, 0),
             (204, 121, 167), (0, 0, 0)]
NO_DATA = (220, 220, 220)
MAX_POINTS = 20_000   # places (grouped records); above this, hexagons: the page's payload stays a few MB


def viridis(x: float | None) -> list[int]:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return list(NO_DATA)
    x = min(max(float(x), 0.0), 1.0) * (len(VIRIDIS) - 1)
    i = min(int(x), len(VIRIDIS) - 2)
    f = x - i
    return [round(a + (b - a) * f) for a, b in zip(VIRIDIS[i], VIRIDIS[i + 1])]


def log_scale(values: pd.Series) -> pd.Series:
    v = values.fillna(0).astype(float)
    top = math.log10(max(v.max(), 1) + 1)
    return v.map(lambda x: math.log10(x + 1) / top if top else 0.0)


def legend_html(title: str, lo: str, hi: str) -> str:
    stops = ", ".join(f"rgb{c}" for c in VIRIDIS)
    return (f"<div style='font-size:.85rem'><b>{title}</b><div style='display:flex;align-items:center;gap:.5rem'>"
            f"<span>{lo}</span><span style='display:inline-block;width:12rem;height:.8rem;background:linear-gradient(90deg,{stops})'></span>"
            f"<span>{hi}</span><span style='display:inline-block;width:.8rem;height:.8rem;background:rgb{NO_DATA}'></span>"
            f"<span>—</span></div></div>")


def category_colours(keys: list[str]) -> dict[str, list[int]]:
    return {k: list(OKABE_ITO[i % len(OKABE_ITO)]) for i, k in enumerate(keys)}


def category_legend_html(colours: dict[str, list[int]]) -> str:
    items = "".join(f"<span style='margin-right:1rem'><span style='display:inline-block;width:.8rem;height:.8rem;"
                    f"background:rgb({c[0]},{c[1]},{c[2]})'></span> {k}</span>" for k, c in colours.items())
    return f"<div style='font-size:.85rem'>{items}</div>"


def outline_layer(outlines: pd.DataFrame) -> pdk.Layer:
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": json.loads(g), "properties": {}} for g in outlines["geojson"]]}
    return pdk.Layer("GeoJsonLayer", fc, stroked=True, filled=False, get_line_color=[90, 90, 90], line_width_min_pixels=1,
                     pickable=False)


def choropleth_layer(shapes: pd.DataFrame, values: pd.DataFrame, on: list[str], colour_by: str,
                     props: list[str]) -> pdk.Layer:
    """Polygons (GeoJSON text column `geojson`) coloured by `colour_by` in [0, 1]; `props` go to the tooltip."""
    df = shapes.merge(values, on=on, how="left")
    feats = []
    for row in df.itertuples(index=False):
        r = row._asdict()
        p = {k: (None if isinstance(r.get(k), float) and math.isnan(r.get(k)) else r.get(k)) for k in props}
        p["fill"] = viridis(r.get(colour_by))
        feats.append({"type": "Feature", "geometry": json.loads(r["geojson"]), "properties": p})
    return pdk.Layer("GeoJsonLayer", {"type": "FeatureCollection", "features": feats}, stroked=True, filled=True,
                     get_fill_color="properties.fill", get_line_color=[255, 255, 255], line_width_min_pixels=0.5,
                     opacity=0.85, pickable=True)


def h3_layer(df: pd.DataFrame, colour_by: str) -> pdk.Layer:
    d = df.copy()
    d["fill"] = d[colour_by].map(viridis)
    return pdk.Layer("H3HexagonLayer", d, get_hexagon="h3", get_fill_color="fill", extruded=False, pickable=True,
                     stroked=False, opacity=0.8)


def cell_layer(df: pd.DataFrame, colour_by: str, half: float = 0.025) -> pdk.Layer:
    """5 km grid cells drawn as squares around their centres (the TBIA grid is 0.05°)."""
    d = df.copy()
    d["fill"] = d[colour_by].map(viridis)
    d["polygon"] = [[[x - half, y - half], [x + half, y - half], [x + half, y + half], [x - half, y + half]]
                    for x, y in zip(d["c_lon"], d["c_lat"])]
    return pdk.Layer("PolygonLayer", d, get_polygon="polygon", get_fill_color="fill", stroked=False, pickable=True,
                     opacity=0.85)


def point_layers(df: pd.DataFrame, colours: dict[str, list[int]]) -> list[pdk.Layer]:
    """Flagged records at their derived point; where the verbatim degrees differ (swapped, negated)
    a thin line leads from the verbatim place to the corrected one."""
    keep = [c for c in ("lat", "lon", "verbatim_lat", "verbatim_lon", "check_id", "n", "record_id", "source_row", "scientificName",
                        "eventDate", "coord_source", "county", "town", "suggestion") if c in df.columns]
    d = df[keep].copy()   # only what the tooltip shows: the browser gets every column sent
    d["colour"] = d["check_id"].map(lambda c: colours.get(c, [0, 0, 0]))
    layers = [pdk.Layer("ScatterplotLayer", d, get_position=["lon", "lat"], get_fill_color="colour", get_radius=300,
                        radius_min_pixels=3, radius_max_pixels=12, pickable=True, opacity=0.9)]
    moved = d.dropna(subset=["verbatim_lon", "verbatim_lat"])
    if len(moved):
        layers.insert(0, pdk.Layer("LineLayer", moved, get_source_position=["verbatim_lon", "verbatim_lat"],
                                   get_target_position=["lon", "lat"], get_color=[120, 120, 120], get_width=1))
        layers.append(pdk.Layer("ScatterplotLayer", moved, get_position=["verbatim_lon", "verbatim_lat"],
                                get_fill_color=[255, 255, 255], get_line_color="colour", stroked=True, filled=True,
                                get_radius=300, radius_min_pixels=3, line_width_min_pixels=1.5, pickable=True))
    return layers


def deck(layers: list[pdk.Layer], tooltip_html: str) -> pdk.Deck:
    return pdk.Deck(layers=layers, initial_view_state=VIEW, map_style=None, map_provider=None,
                    tooltip={"html": tooltip_html, "style": {"fontSize": "12px"}})
