"""Plotly figures shared by the pages: heatmaps whose colour bar stays readable at any height,
log colour scales labelled with real counts, and axis titles that stay horizontal (plotly turns a
y-axis title 90°, which leaves Chinese lying on its side)."""
from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

VIRIDIS = "Viridis"


def flat_y_title(fig: go.Figure, text: str, over_labels: bool = True) -> go.Figure:
    """Put the y-axis title above the axis, horizontal, instead of turned along it. `over_labels` (an axis of
    names: agencies, datasets, checks): over those labels, ending where they end (left-anchored at the plot's
    edge it sat over the first column of cells, away from its axis: a walk); else (an axis of short numbers, too
    narrow to hold it) from the plot's edge."""
    fig.update_yaxes(title_text=None)
    fig.add_annotation(text=f"<b>{text}</b>", xref="paper", yref="paper", x=0, y=1, xanchor="right" if over_labels else "left",
                       yanchor="bottom",
                       showarrow=False, font=dict(size=12), yshift=6)
    return fig


def _log_ticks(top: float) -> tuple[list[float], list[str]]:
    vals, v = [], 1
    while v <= top:
        vals.append(v)
        v *= 10
    return [math.log10(x + 1) for x in vals], [f"{x:,}" for x in vals]


def _pct_text(v: float) -> str:
    """A cell's percentage with one decimal, as the cards write shares: 99.7 % filled is no "100" (a whole
    number read as complete a field that 1,651 records lack), nor 0.02 % "0.0"."""
    if v != v:
        return "—"
    if 99.95 <= v < 100:
        return "> 99.9"
    if 0 < v < 0.05:
        return "< 0.1"
    return f"{v:.1f}"


# the smallest size a cell's number is written at; below READABLE a count is written compactly when that
# gives it a larger size (a browser walk: 48,943 at 8 px in 22 counties was hard to read); the width a
# heatmap's cells share (px)
MIN_FONT, READABLE, CELLS_WIDTH = 8, 9, 800


def _font_size(texts, columns: int) -> int:
    """The size that fits the longest text in a cell: ~CELLS_WIDTH px shared by the columns, a digit ~0.6 of
    the font size wide (an ideograph ~1), at most 11 px; below MIN_FONT it does not fit."""
    longest = max((sum(1 if ord(ch) > 0x2E80 else 0.6 for ch in t) for t in texts), default=0.6)
    return min(11, int((CELLS_WIDTH / max(1, columns) - 4) / longest))


def compact_count(v: float, lang: str = "zh") -> str:
    """A count in three significant digits, for a cell too narrow for it whole: 萬 and 億 in Chinese (4.89萬,
    123萬, 1.23億), k, M and G in English (48.9k, 1.23M); under 10,000 it stays whole. The unit is picked
    after rounding (99,999 is 100k, never 100.0k; 999,999 is 1M, never 1000k)."""
    n = int(v)
    if abs(n) < 10_000:
        return f"{n:,}"
    units = ((1e4, "萬"), (1e8, "億"), (1e12, "兆")) if lang == "zh" else ((1e3, "k"), (1e6, "M"), (1e9, "G"), (1e12, "T"))
    for div, unit in units:
        text = f"{n / div:.3g}"
        if "e" not in text and abs(float(text)) < (1e4 if lang == "zh" else 1e3):
            return text + unit
    return f"{n:,}"


def heatmap(pv: pd.DataFrame, title: str, x_title: str, y_title: str, colour_title: str, log: bool = False,
            pct: bool = False, lang: str = "zh") -> go.Figure:
    """Rows × columns of counts (log colour scale when `log`) or percentages (0–100), every cell labelled
    with its value as written elsewhere on the page (thousands separators; no "48.89k") — unless the counts
    are too long for the cells at READABLE (a 10M-record snapshot's 1,234,567 in 22 counties ran into its
    neighbours; 48,943 was drawn at 8 px): then they are written compactly (compact_count: 4.9萬, 48.9k),
    the exact count on hover."""
    raw = pv.to_numpy(dtype=float)
    if pct:
        z, text = raw, [[_pct_text(v) for v in row] for row in raw]
        bar = dict(title=dict(text=colour_title, side="top"), tickvals=[0, 25, 50, 75, 100], ticksuffix=" %")
        zmin, zmax = 0, 100
    else:
        # a zero is no colour of the scale (log10(0 + 1) drew it as dark as a one): blank, its "0" still written
        z = [[None if v == 0 or v != v else (math.log10(v + 1) if log else v) for v in row] for row in raw]
        text = [[("—" if v != v else f"{int(v):,}") for v in row] for row in raw]
        top = float(pd.Series(raw.ravel()).max() or 0)
        if log:
            tv, tt = _log_ticks(top)
            bar = dict(title=dict(text=colour_title, side="top"), tickvals=tv, ticktext=tt)
            zmin, zmax = 0, math.log10(top + 1) if top > 0 else 1
        else:
            bar = dict(title=dict(text=colour_title, side="top"), tickformat=",d")
            zmin, zmax = 0, top or 1
    bar.update(lenmode="pixels", len=200, thickness=14, y=1, yanchor="top")   # a fixed size: never collapses on a short chart
    # the cells' numbers at a size one can read (plotly shrank them to fit: ~7 px on the coverage heatmap), but
    # no larger than the cells of a wide one hold (22 counties: "12,76248,94329,053" ran together)
    exact = text
    size = _font_size((t for row in text for t in row), pv.shape[1])
    if size < READABLE and not pct:
        short = [[("—" if v != v else compact_count(v, lang)) for v in row] for row in raw]
        if (bigger := _font_size((t for row in short for t in row), pv.shape[1])) > size:
            text, size = short, bigger
    size = max(MIN_FONT, size)
    fig = go.Figure(go.Heatmap(z=z, x=[str(c) for c in pv.columns], y=[str(i) for i in pv.index], text=text, texttemplate="%{text}",
                               textfont=dict(size=size), xgap=1,
                               colorscale=VIRIDIS, zmin=zmin, zmax=zmax, colorbar=bar, customdata=exact,
                               hovertemplate="%{y} · %{x}: %{customdata}<extra></extra>"))
    fig.update_layout(title=title, height=max(320, 140 + 40 * len(pv)), margin=dict(l=10, r=10, t=80, b=10))
    fig.update_xaxes(title_text=x_title, side="bottom")
    if max((len(str(c)) for c in pv.columns), default=0) > 6:
        # long labels (English county names) slanted to the left of their column: Plotly's own turn let the last
        # one run right, under the colour bar ("Kaohsiung City")
        fig.update_xaxes(tickangle=-45)
    fig.update_yaxes(autorange="reversed")
    return flat_y_title(fig, y_title)
