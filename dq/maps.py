"""pydeck map builders. Every map draws the shipped county outlines first, so it reads without
internet (no tile server); colours are viridis (sequential) and Okabe–Ito (categories), which
stay distinguishable for colour-blind readers and in greyscale print."""
from __future__ import annotations

import functools
import html
import json
import math
import numbers
import re

import numpy as np
import pandas as pd
import pydeck as pdk

# Taiwan with Penghu, Kinmen (118.2°E) and Matsu (26.4°N): every map shows at least this much
TAIWAN_BOUNDS = (118.1, 21.8, 122.1, 26.45)
# ... and the islets off its coasts. Dongsha (116.7°E) and Taiping Island (114.4°E, 10.4°N) lie far
# outside: a map fitted to a cell there shows Taiwan as a speck, so maps fit to what lies in here
NEAR_TAIWAN = (117.5, 21.3, 122.8, 26.8)
MAP_HEIGHT = 560
# map widths at a 1440 px wide window (a full-width map with its legend column; the overview's half-width one):
# fitting assumes no more room than this, so nothing is cut at that size or wider
MAP_WIDTH = 740
NARROW_MAP_WIDTH = 440
# viridis at 0, .25, .5, .75, 1
VIRIDIS = [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)]
OKABE_ITO = [(230, 159, 0), (86, 180, 233), (0, 158, 115), (240, 228, 66), (0, 114, 178), (213, 94, 0),
             (204, 121, 167), (0, 0, 0)]
NO_DATA = (220, 220, 220)
OUTLINE_GREY = [90, 90, 90]   # county and town borders
# places (grouped records); above this, hexagons. Every run sends each point with its tooltip to the
# browser: 20,000 places took 5 s a run on a 10M-record snapshot (#14), 5,000 keep a run under a second
MAX_POINTS = 5_000


# H3 cells; above this, their parents. A resolution-7 cell is 2–3 px across on a map of Taiwan fitted to
# 740 × 560 px: Taiwan's land fills about 50,000 px² of it, room for some 5,000 cells told apart; more
# only grow what every visit sends (each cell with its tooltip) and draws
MAX_CELLS = 5_000


def fit_hexes(df: pd.DataFrame, sums: list[str], max_cells: int | None = None) -> tuple[pd.DataFrame, int]:
    """H3 cells (column `h3`, resolution 7) → at most `max_cells` cells: the parents at the finest coarser
    resolution that fits, with `sums` added up (other columns, e.g. distinct species, cannot be and are
    dropped). Returns the cells and their resolution. Works on a map's aggregate rows, never on records."""
    import h3
    max_cells = MAX_CELLS if max_cells is None else max_cells
    if len(df) <= max_cells or df.empty:
        return df, h3.get_resolution(df["h3"].iloc[0]) if len(df) else 7
    res = h3.get_resolution(df["h3"].iloc[0])
    out = df
    while len(out) > max_cells and res > 0:
        res -= 1
        parent = [h3.cell_to_parent(c, res) for c in df["h3"]]   # one per cell of the aggregate, not per record
        out = df[sums].assign(h3=parent).groupby("h3", as_index=False)[sums].sum()
    return out, res


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


def _merc_y(lat: float) -> float:
    lat = max(min(lat, 85.0), -85.0)
    return (1 - math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / math.pi) / 2 * 512


def fit_view(lons=(), lats=(), bounds=TAIWAN_BOUNDS, width: int = MAP_WIDTH, height: int = MAP_HEIGHT,
             pad: float = 0.06) -> pdk.ViewState:
    """The view that shows every given point and at least `bounds` (Taiwan incl. Kinmen and Matsu)."""
    xs = [float(x) for x in lons if x is not None and not (isinstance(x, float) and math.isnan(x))] + [bounds[0], bounds[2]]
    ys = [float(y) for y in lats if y is not None and not (isinstance(y, float) and math.isnan(y))] + [bounds[1], bounds[3]]
    w, e, s, n = min(xs), max(xs), max(min(ys), -85.0), min(max(ys), 85.0)
    dx = max((e - w) / 360 * 512, 1e-6) * (1 + 2 * pad)
    dy = max(_merc_y(s) - _merc_y(n), 1e-6) * (1 + 2 * pad)
    zoom = math.log2(min(width / dx, height / dy))
    y_mid = (_merc_y(s) + _merc_y(n)) / 2
    lat_mid = math.degrees(2 * math.atan(math.exp((1 - 2 * y_mid / 512) * math.pi)) - math.pi / 2)
    return pdk.ViewState(latitude=lat_mid, longitude=(w + e) / 2, zoom=round(zoom, 2), min_zoom=0, max_zoom=16)


def near_taiwan(lons: pd.Series, lats: pd.Series, box=NEAR_TAIWAN) -> pd.Series:
    """Which points lie in `box` (Taiwan, Penghu, Kinmen, Matsu and the islets near them)."""
    return lons.between(box[0], box[2]) & lats.between(box[1], box[3])


def linear_ticks(lo: float, hi: float, fmt) -> list[tuple[float, str]]:
    """(position in [0, 1], label) for five evenly spaced values between lo and hi."""
    if hi <= lo:
        return [(1.0, fmt(hi))]
    return [(i / 4, fmt(lo + (hi - lo) * i / 4)) for i in range(5)]


def log_ticks(top: float) -> list[tuple[float, str]]:
    """Ticks for log_scale (log10(x + 1) / log10(top + 1)): 1, 10, 100, … and the top value."""
    top = max(float(top or 0), 1.0)
    span = math.log10(top + 1)
    ticks, v = [], 1
    while v < top:
        ticks.append((math.log10(v + 1) / span, f"{v:,}"))
        v *= 10
    if ticks and 1 - ticks[-1][0] < 0.08:   # too close to the top label to read
        ticks.pop()
    return ticks + [(1.0, f"{int(round(top)):,}")]


def legend_html(title: str, ticks: list[tuple[float, str]], no_data: str | None = "—", height: int = 260) -> str:
    """A vertical colour bar with tick labels, to sit in a narrow column beside the map."""
    nd = (f"<div style='margin-top:.8rem'><span style='display:inline-block;width:1rem;height:.8rem;background:rgb{NO_DATA};"
          f"vertical-align:middle'></span> {no_data}</div>") if no_data else ""
    if len(ticks) == 1:
        # one value everywhere: one swatch of the colour drawn (the scale's top), not a bar of colours no area has
        return (f"<div class='dq-legend' style='font-size:.8rem'><div style='font-weight:600;margin-bottom:.6rem'>{title}</div>"
                f"<div><span style='display:inline-block;width:1rem;height:.8rem;background:rgb{tuple(VIRIDIS[-1])};"
                f"vertical-align:middle'></span> {ticks[0][1]}</div>{nd}</div>")
    stops = ", ".join(f"rgb{c}" for c in reversed(VIRIDIS))
    labels = "".join(f"<div style='position:absolute;top:{(1 - p) * height - 8:.0f}px;left:1.6rem;white-space:nowrap'>"
                     f"<span style='display:inline-block;width:.35rem;border-top:1px solid #555;vertical-align:middle'></span> {lab}</div>"
                     for p, lab in ticks)
    return (f"<div class='dq-legend' style='font-size:.8rem'><div style='font-weight:600;margin-bottom:.6rem'>{title}</div>"
            f"<div style='position:relative;height:{height}px'><div style='width:1rem;height:{height}px;"
            f"background:linear-gradient(180deg,{stops})'></div>{labels}</div>{nd}</div>")


# past Okabe & Ito's eight, ten of Paul Tol's (muted scheme and greys): the coordinate checks keep a colour each
CATEGORY_PALETTE = OKABE_ITO + [(136, 34, 85), (68, 170, 153), (153, 153, 51), (51, 34, 136), (170, 68, 153), (102, 51, 0),
                                (221, 204, 119), (204, 102, 119), (119, 119, 119), (17, 119, 51), (136, 204, 238), (68, 119, 170)]


def category_colours(keys: list[str], order: list[str] | None = None) -> dict[str, list[int]]:
    """A colour per key. With `order` (every key there may be), a key keeps its colour whatever else is
    chosen: one check was light blue for all agencies and orange for one."""
    pos = {k: i for i, k in enumerate(order)} if order else {k: i for i, k in enumerate(keys)}
    return {k: list(CATEGORY_PALETTE[pos.get(k, i) % len(CATEGORY_PALETTE)]) for i, k in enumerate(keys)}


def category_legend_html(colours: dict[str, list[int]], labels: dict[str, str] | None = None, title: str = "") -> str:
    """One swatch per category, one per line (keys are shown through `labels`: titles, not ids)."""
    labels = labels or {}
    items = "".join(f"<div style='margin:.25rem 0'><span style='display:inline-block;width:.8rem;height:.8rem;border-radius:50%;"
                    f"background:rgb({c[0]},{c[1]},{c[2]});vertical-align:middle'></span> {html.escape(labels.get(k, k))}</div>"
                    for k, c in colours.items())
    head = f"<div style='font-weight:600;margin-bottom:.4rem'>{html.escape(title)}</div>" if title else ""
    return f"<div class='dq-legend' style='font-size:.8rem'>{head}{items}</div>"


_DIGITS = re.compile(r"(-?\d+\.\d{4})\d+")


def _geometry(geojson: str) -> dict:
    """A shape's GeoJSON with coordinates cut to 4 decimals (about 10 m, finer than a pixel at any
    zoom these maps open at): the shipped outlines carry 14, which tripled what every map sends."""
    return json.loads(_DIGITS.sub(r"\1", geojson))


@functools.lru_cache(maxsize=4)
def _segments(geojson_texts: tuple[str, ...]) -> list[dict]:
    """Every ring of the shapes as its segments ({"s": start, "t": end}, 4 decimals like _geometry), a
    border two shapes share sent once (a third fewer for the counties)."""
    out, seen = [], set()
    for g in geojson_texts:
        geom = _geometry(g)
        polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"] if geom["type"] == "MultiPolygon" else []
        for ring in (r for poly in polys for r in poly):
            for a, b in zip(ring, ring[1:]):
                key = (tuple(a), tuple(b)) if a <= b else (tuple(b), tuple(a))
                if a != b and key not in seen:
                    seen.add(key)
                    out.append({"s": a, "t": b})
    return out


def outline_layer(outlines: pd.DataFrame, colour: list[int] = OUTLINE_GREY) -> pdk.Layer:
    """The shapes' borders as 1 px line segments. A LineLayer, not deck.gl's PathLayer (what a stroked
    GeoJsonLayer draws with): without a GPU the browser's software WebGL compiles each layer type's
    shaders on every visit to a map, and the PathLayer's took 0.7–1.2 s of the visit, the LineLayer's a
    fraction of it (#14); at one pixel the path joins it skips are not visible."""
    return pdk.Layer("LineLayer", _segments(tuple(outlines["geojson"])), get_source_position="s", get_target_position="t",
                     get_color=colour, get_width=1, pickable=False)


def _shown(v) -> str:
    """A tooltip value as text: "—" for a blank, thousands separators for a count."""
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return "—"
    if isinstance(v, numbers.Integral) and not isinstance(v, bool):
        return f"{int(v):,}"
    if isinstance(v, numbers.Real) and float(v).is_integer():   # a count made float by a join with blanks
        return f"{int(v):,}"
    return str(v)


def choropleth_layer(shapes: pd.DataFrame, values: pd.DataFrame, on: list[str], colour_by: str,
                     props: list[str], stroked: bool = False) -> pdk.Layer:
    """Polygons (GeoJSON text column `geojson`) coloured by `colour_by` in [0, 1]; `props` go to the tooltip.
    Borders are drawn by an outline_layer beside it (a line layer costs the browser far less than the
    stroke sublayer, see outline_layer); `stroked`: thin white borders drawn by the layer itself, for
    shapes too many to send twice (the towns)."""
    df = shapes.merge(values, on=on, how="left")
    feats = []
    for row in df.itertuples(index=False):
        r = row._asdict()
        p = {k: _shown(r.get(k)) for k in props}
        p["fill"] = viridis(r.get(colour_by))
        feats.append({"type": "Feature", "geometry": _geometry(r["geojson"]), "properties": p})
    return pdk.Layer("GeoJsonLayer", {"type": "FeatureCollection", "features": feats}, stroked=stroked, filled=True,
                     get_fill_color="properties.fill", get_line_color=[255, 255, 255], line_width_min_pixels=0.5,
                     opacity=0.85, pickable=True)


def _sent(df: pd.DataFrame, keep: list[str]) -> pd.DataFrame:
    """Only what a layer draws and its tooltip shows (the *_t text columns): the browser gets every column sent."""
    return df[[c for c in df.columns if c in keep or c.endswith("_t")]].copy()


def h3_layer(df: pd.DataFrame, colour_by: str) -> pdk.Layer:
    d = _sent(df, ["h3", colour_by])
    d["fill"] = d[colour_by].map(viridis)
    return pdk.Layer("H3HexagonLayer", d, get_hexagon="h3", get_fill_color="fill", extruded=False, pickable=True,
                     stroked=False, opacity=0.8)


def cell_layer(df: pd.DataFrame, colour_by: str, half: float = 0.025) -> pdk.Layer:
    """5 km grid cells drawn as squares around their centres (the TBIA grid is 0.05°)."""
    d = _sent(df, ["grid_id", colour_by])
    d["fill"] = d[colour_by].map(viridis)
    d["polygon"] = [[[round(x - half, 4), round(y - half, 4)], [round(x + half, 4), round(y - half, 4)],
                     [round(x + half, 4), round(y + half, 4)], [round(x - half, 4), round(y + half, 4)]]
                    for x, y in zip(df["c_lon"], df["c_lat"])]
    return pdk.Layer("PolygonLayer", d, get_polygon="polygon", get_fill_color="fill", stroked=False, pickable=True,
                     opacity=0.85)


def point_layers(df: pd.DataFrame, colours: dict[str, list[int]]) -> list[pdk.Layer]:
    """Flagged records at their derived point; where the verbatim degrees differ (swapped, negated)
    a thin line leads from the verbatim place to the corrected one."""
    keep = [c for c in ("lat", "lon", "verbatim_lat", "verbatim_lon", "check_id", "n", "record_id", "source_row", "scientificName",
                        "eventDate", "coord_source", "county", "town", "suggestion", "title") if c in df.columns]
    keep += [c for c in df.columns if c.endswith("_t")]
    d = df[keep].copy()   # only what the tooltip shows: the browser gets every column sent
    d["colour"] = d["check_id"].map(lambda c: colours.get(c, [0, 0, 0]))
    # a place's dot grows with its records (3 px for one, ~9 px for 300), and the bigger are drawn first: at
    # one place several checks' dots were one size, and the last drawn hid the others (Taipei Zoo's 349
    # institution flags under two centroid dots)
    if "n" in d:
        n = pd.to_numeric(d["n"], errors="coerce").fillna(1).clip(lower=1)
        d = d.assign(r=(3 + 2.5 * np.log10(n)).round(1), _n=n).sort_values("_n", ascending=False, kind="stable").drop(columns="_n")
    else:
        d["r"] = 6.0     # one record on its own page: a dot to see
    layers = [pdk.Layer("ScatterplotLayer", d, get_position=["lon", "lat"], get_fill_color="colour", get_radius="r",
                        # quoted: pydeck reads a bare string as an accessor expression ("@@=pixels", undefined); quoted, it sends the text
                        radius_units="'pixels'", stroked=True, get_line_color=[255, 255, 255], line_width_min_pixels=0.5,
                        pickable=True, opacity=0.9)]
    moved = d.dropna(subset=["verbatim_lon", "verbatim_lat"]) if {"verbatim_lon", "verbatim_lat"} <= set(d.columns) else d.iloc[:0]
    if len(moved):
        layers.insert(0, pdk.Layer("LineLayer", moved, get_source_position=["verbatim_lon", "verbatim_lat"],
                                   get_target_position=["lon", "lat"], get_color=[120, 120, 120], get_width=1))
        layers.append(pdk.Layer("ScatterplotLayer", moved, get_position=["verbatim_lon", "verbatim_lat"],
                                get_fill_color=[255, 255, 255], get_line_color="colour", stroked=True, filled=True,
                                get_radius="r", radius_units="'pixels'", line_width_min_pixels=1.5, pickable=True))
    return layers


# the wheel scrolls the page, as everywhere else on it; zoom with the +/- buttons, a double click or a pinch
CONTROLLER = {"scrollZoom": False, "dragPan": True, "doubleClickZoom": True, "touchZoom": True, "keyboard": True}


class CompactDeck(pdk.Deck):
    """pydeck writes its JSON with indent=2, one number per line: a county map was 400 kB and the
    5 km grid 2.7 MB, most of it spaces, for Streamlit to send and the browser to parse on every
    visit. The same JSON without the whitespace."""

    def to_json(self) -> str:
        from pydeck.bindings.json_tools import default_serialize
        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"), ensure_ascii=False)


def deck(layers: list[pdk.Layer], tooltip_html: str, view: pdk.ViewState | None = None) -> pdk.Deck:
    # map_style left at pydeck's default: Streamlit then draws no base map. With map_style=None it picks
    # CARTO's positron style for the theme, so every map visit started a second (MapLibre) WebGL
    # context and asked basemaps.cartocdn.com for a style offline installs cannot reach, to draw
    # nothing under the county outlines these maps carry themselves
    return CompactDeck(layers=layers, initial_view_state=view or fit_view(), map_provider=None,
                    views=[pdk.View(type="MapView", controller=CONTROLLER)],
                    tooltip={"html": tooltip_html,
                             # wrapped at a width a map holds: one long English line ran past the map's right edge, cut off
                             "style": {"fontSize": "12px", "maxWidth": "300px", "whiteSpace": "normal", "overflowWrap": "break-word"}})


def tooltip_text(df: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    """Tooltip columns as display text: thousands separators for counts, "—" for blanks (never None/NaN).
    Columns ending in _t are added beside the originals, which the layers still read."""
    d = df.copy()
    for c in cols:
        if c in d.columns:
            # an id is copied into the record box, a row number looked up in the file: never with thousands
            # separators (a tooltip read 列 3,460: a walk)
            ident = c in ("record_id", "source_row") or c.endswith("_id")
            d[c + "_t"] = [_shown(v) if not ident or _shown(v) == "—" else str(int(v)) if isinstance(v, numbers.Real) else str(v)
                           for v in d[c].astype(object)]
    return d
