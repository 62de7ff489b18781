"""Streamlit glue shared by the pages: the URL-kept pickers and the cached calls into dq.store.

Snapshots are immutable, so every cached call is keyed by the snapshot's id (its date) and its
arguments; a page never runs SQL itself.
"""
from __future__ import annotations

import contextlib
import functools
import json
import re
import runpy
import hashlib
import threading
from pathlib import Path
from typing import Callable

import pandas as pd
import streamlit as st

from . import i18n, store
from .i18n import t


def lang() -> str:
    return st.session_state.get("lang", "zh")


def L(key: str) -> str:
    return t(key, lang())


@st.cache_data(show_spinner=False, max_entries=256)
def call(fn: str, snap_id: str, *args, **kwargs):
    """store.<fn>(snapshot, *args), cached by snapshot id and arguments."""
    return getattr(store, fn)(store.by_name(snap_id), *args, **kwargs)


@st.cache_data(show_spinner=False)
def call_static(fn: str, *args, **kwargs):
    return getattr(store, fn)(*args, **kwargs)


def _fixed(format_func, options: list) -> tuple[dict, Callable]:
    """Labels computed now, in this run's language: Streamlit may call format_func later, outside the run."""
    labels = {o: format_func(o) for o in options}
    return labels, lambda o: labels.get(o, str(o))


def _wkey(key: str, labels: dict) -> str:
    """Widget key that changes whenever the shown labels change (language switch, new counts).

    Streamlit sends a choice back as its label text, so a widget whose labels changed under it
    forgets its value ("Choose an option"). A new widget is made instead, seeded from the URL,
    which always holds the current choice."""
    sig = hashlib.sha1(repr(list(labels.items())).encode("utf-8")).hexdigest()[:10]
    return f"qp_{key}_{sig}"


_UNSET = object()


def _url_wins(key: str, wkey: str, now) -> str:
    """The widget key to draw with. When the URL changed under a widget (a link, st.switch_page, the
    browser's Back), a new widget is made, seeded from the URL: the old one, its state merely dropped,
    still showed its old value in the browser and sent it back with the next move (a link's agency on
    the scorecard, the sidebar saying "All agencies"; after Back, the figures of one agency under the
    name of another; a click in the open-data league table, and the report then made for the agency picked
    before). A value the user just picked is left alone."""
    last = st.session_state.get(f"_qp_last_{key}", _UNSET)
    gen = st.session_state.get(f"_qp_gen_{key}", 0)
    if last is not _UNSET and last != now and _gen_key(wkey, gen) in st.session_state:
        gen += 1
        st.session_state[f"_qp_gen_{key}"] = gen
    return _gen_key(wkey, gen)


def _gen_key(wkey: str, gen: int) -> str:
    return f"{wkey}_u{gen}" if gen else wkey


# the URL keys every page shares (the sidebar's and the language): carried by context(), not kept per page
SHARED_KEYS = ("snapshot", "agency", "lang")


def _remember(key: str, now) -> None:
    st.session_state[f"_qp_last_{key}"] = now
    # and what this page's own pickers hold, for the next visit (context): a record opened from the completeness
    # page and the page's menu entry brought it back on its default field and dataset (a walk)
    page = st.session_state.get("_page")
    if page is not None and key not in SHARED_KEYS:
        kept = st.session_state.setdefault("_page_qp", {}).setdefault(page, {})
        if now in (None, []):      # the default again: nothing to bring back
            kept.pop(key, None)
        else:
            kept[key] = now


def qp_select(label: str, options: list, key: str, format_func=str, sidebar: bool = False, default_index: int = 0,
              pin: bool = False):
    """A selectbox whose value lives in the URL (?key=value), so a copied link reopens the same view; a page
    that sets the value itself (a click in a table) sets the URL's, and the box follows (_url_wins).
    `pin`: the value stays in the URL even when it is the default (what another URL value belongs to:
    an open dataset's key is one catalogue's)."""
    qp = st.query_params
    cur = qp.get(key)
    str_opts = [None if o is None else str(o) for o in options]
    index = str_opts.index(cur) if cur in str_opts else min(default_index, len(options) - 1)
    box = st.sidebar.selectbox if sidebar else st.selectbox
    labels, fmt = _fixed(format_func, options)
    wkey = _url_wins(key, _wkey(key, labels), cur)
    # Streamlit's clear button (ⓧ) sets None: where None is an option ("all agencies") the box reads as that
    # option, not "choose" over a page showing every agency (a walk)
    value = box(label, options, index=index, format_func=fmt, key=wkey,
                placeholder=fmt(None) if None in options else L("choose"))
    # the URL keeps only what the user chose: a default stays out of it, so it can follow other choices
    if value is None or (not pin and options and value == options[min(default_index, len(options) - 1)]):
        if key in qp:
            del qp[key]
    else:
        qp[key] = str(value)
    _remember(key, qp.get(key))
    return value


def qp_multiselect(label: str, options: list, key: str, default: list, format_func=str) -> list:
    qp = st.query_params
    cur = qp.get_all(key)
    chosen = [o for o in options if o in cur] if cur else [o for o in default if o in options]
    labels, fmt = _fixed(format_func, options)
    wkey = _url_wins(key, _wkey(key, labels), list(cur))
    # select_all=False: Streamlit's bulk action is labelled "Select all" in English whatever the UI language.
    # wrap: in a column the chips stayed on one scrolled row, and the scorecard's fix list showed three of the
    # five checks it counted (a walk)
    value = st.multiselect(label, options, default=chosen, format_func=fmt, key=wkey, select_all=False,
                           placeholder=L("choose"), wrap=True)
    if value == [o for o in default if o in options]:   # the default is not a choice: keep it out of the URL
        if key in qp:
            del qp[key]
    else:
        qp[key] = value
    _remember(key, list(qp.get_all(key)))
    return value


def qp_toggle(label: str, key: str, default: bool = False) -> bool:
    qp = st.query_params
    cur = qp.get(key)
    wkey = _url_wins(key, f"qp_{key}", cur)
    value = st.toggle(label, value=(cur == "1") if cur is not None else default, key=wkey)
    qp[key] = "1" if value else "0"
    _remember(key, qp.get(key))
    return value


def context(page: str | None = None, pickers: bool = True) -> tuple[str | None, str | None]:
    """Snapshot and agency pickers in the sidebar (kept in the URL). Returns (snapshot id, agency or None).
    `pickers` False: a page that reads neither draws none; the choice made elsewhere goes on, unchanged.

    `page` is the page being shown: a move to another page through the sidebar's menu drops the URL's
    parameters, and the page then showed every agency's figures under the agency still named in the
    sidebar. The snapshot and agency the user chose go on with them (a link naming its own keeps those)."""
    qp = st.query_params
    last_page = st.session_state.get("_page")
    st.session_state["_page"] = page
    if page is not None and last_page is not None and page != last_page:
        # a page comes back as it was left: its own pickers' values, unless the URL that brought it names them
        for key, v in st.session_state.get("_page_qp", {}).get(page, {}).items():
            if key not in qp:
                qp[key] = v
    if not pickers:
        return st.session_state.get("snap_id"), st.session_state.get("agency")
    if page is not None and last_page is not None and page != last_page:
        for key in ("snapshot", "agency"):
            kept = st.session_state.get(f"_qp_last_{key}", _UNSET)
            if key not in qp and kept not in (None, _UNSET):
                qp[key] = kept
    snaps = [s.name for s in store.snapshots()]
    if not snaps:
        return None, None
    snap_id = qp_select(L("snapshot"), snaps, "snapshot", sidebar=True, default_index=len(snaps) - 1)
    ags = [None] + call("agencies", snap_id)
    agency = qp_select(L("agency"), ags, "agency", sidebar=True,
                       format_func=lambda a: L("all_agencies") if a is None else agency_text(a))
    st.session_state["snap_id"], st.session_state["agency"] = snap_id, agency
    return snap_id, agency


def require_snapshot() -> tuple[str, str | None]:
    snap_id, agency = st.session_state.get("snap_id"), st.session_state.get("agency")
    if not snap_id:
        st.error(L("no_snapshot"))
        st.stop()
    return snap_id, agency


def rows_text(n: int) -> str:
    """How many rows a list has, in words: "1 row", "12 rows", "1,234 rows (first 200 shown)"."""
    return L("fix_rows_one") if n == 1 else L("fix_rows_few").format(n=n) if n <= 200 else L("fix_rows").format(n=n)


def bar_share(s):
    """A share for a table's percent bar, which rounds to one decimal: just under 1 stays under it (0.9996
    read "100.0%", a clean bill, beside a card saying "> 99.9%"), and just over 0 stays over it (0.0002
    read "0.0%", none at all, beside a card saying "< 0.1%")."""
    s = s.where(~((s >= 0.999) & (s < 1)), 0.999)
    return s.where(~((s > 0) & (s < 0.001)), 0.001)


def count_change(v) -> str:
    """A count's change as the cards and tables write it: no change is "±0", never "+0"."""
    return "±0" if v == 0 else f"{int(v):+,}"


def pp_change(x, lang_: str | None = None) -> str:
    """A share's change in percentage points as the cards and tables write it: no change (under 0.05
    pp either way) is "±0.0 pp", never "+0.0 pp" or "-0.0 pp"; in Chinese 個百分點 (a browser walk:
    "pp" on every zh-TW card)."""
    unit = t("pp_unit", lang_ or lang())
    if round(x * 100, 1) == 0:
        return f"±0.0{unit}"
    return f"{x * 100:+.1f}{unit}"


_NO_CHANGE = {"delta_color": "off", "delta_arrow": "off"}


def pp_delta(x) -> dict:
    """st.metric's delta for a share's change: no change shows neither an arrow nor a colour."""
    text = pp_change(x)
    return {"delta": text, **(_NO_CHANGE if text == pp_change(0) else {})}


def count_delta(v) -> dict:
    """st.metric's delta for a count's change: no change shows neither an arrow nor a colour."""
    return {"delta": count_change(v), **(_NO_CHANGE if v == 0 else {})}


def md_safe(text: str) -> str:
    """Text shown through markdown as it is: "> 99.9%" written raw became a quote block and lost its ">"."""
    return re.sub(r"([\\`*_{}\[\]<>#+\-!|~])", r"\\\1", text)


def pct(x) -> str:
    """A share as a percentage: one record in 21,387 with an error is not "100.0%" (nor one without, "0.0%")."""
    try:
        if x is None or pd.isna(x):
            return "—"
    except (TypeError, ValueError):
        pass
    if 0.9995 <= x < 1:
        return "> 99.9%"
    if 0 < x < 0.0005:
        return "< 0.1%"
    return f"{x:.1%}"


def check_label(check_id: str) -> str:
    from .checks import by_id
    c = by_id().get(check_id)
    if c is None:
        return check_id
    return f"{check_id} · {c.title_en if lang() == 'en' else c.title_zh}"


def _od_snap(snap_id: str):
    from . import opendata
    for s in opendata.snapshots():
        if s.name == snap_id:
            return s
    raise KeyError(snap_id)


def lists_stamp(snap_id: str) -> float:
    """Changes when the meeting's lists are saved, so cached metrics are recomputed."""
    from . import opendata
    p = opendata.lists_path(_od_snap(snap_id).parent, snap_id)
    return p.stat().st_mtime if p.exists() else 0.0


@st.cache_data(show_spinner=False, max_entries=128)
def od_call(fn: str, snap_id: str, *args, stamp: float = 0.0):
    """dq.opendata.<fn>(catalogue snapshot, *args), cached by snapshot id, arguments and the lists' stamp."""
    from . import opendata
    return getattr(opendata, fn)(_od_snap(snap_id), *args)


@st.cache_data(show_spinner=False, max_entries=32)
def meeting_report(old: str, new: str, agencies: tuple, group: str, stamp: float = 0.0) -> tuple[str, bytes]:
    from . import meeting
    return meeting.report_html(old, new, list(agencies) or None, group), meeting.report_xlsx(old, new, list(agencies) or None, group)


_RUN = threading.local()   # one script run happens on one thread


@contextlib.contextmanager
def app_run():
    """app.py wraps its run in this, so a page knows it was reached through app.py's navigation."""
    _RUN.in_app = True
    try:
        yield
    finally:
        _RUN.in_app = False


def ensure_app() -> None:
    """Deep links on a freshly started server: while app.py has not yet called st.navigation,
    Streamlit runs pages/<name>.py on its own (its old pages-folder mode), without the sidebar,
    the language switch or the sections.

    A session's first such run leaves that mode and reruns, so app.py's navigation draws the page
    and every later run gives the widgets the same ids (drawing it from inside this run instead
    gave them ids of the wrong page: the user's first click after a server start was dropped).
    Where the mode persists (AppTest's switch_page runs every page this way) app.py is run inside
    this run, so a click that started it is not lost."""
    if getattr(_RUN, "in_app", False):
        return
    from streamlit.runtime.pages_manager import PagesManager
    PagesManager.uses_pages_directory = False
    if not st.session_state.get("_dq_seen"):
        st.session_state["_dq_seen"] = True
        st.rerun()
    runpy.run_path(str(Path(__file__).resolve().parent.parent / "app.py"), run_name="__main__")
    st.stop()


def number_columns(df) -> dict:
    """column_config giving every integer column thousands separators (265,160, not 265160)."""
    import pandas as pd
    return {c: st.column_config.NumberColumn(c, format="localized") for c in df.columns if pd.api.types.is_integer_dtype(df[c])}


def chrome() -> None:
    """Page-wide CSS. Streamlit has no translation of its own widgets: the upload box's English
    ("Upload", "200MB per file") is hidden and the UI language's text drawn in its place."""
    z = '[data-testid="stFileUploaderDropzone"]'
    st.html(f"""<style>
    {z} button [data-testid="stMarkdownContainer"] p {{font-size:0 !important}}
    {z} button [data-testid="stMarkdownContainer"] p::after {{content:{json.dumps(L("upload_button"), ensure_ascii=False)};font-size:.9rem !important}}
    [data-testid="stFileUploaderDropzoneInstructions"] span {{font-size:0}}
    [data-testid="stMain"] [data-testid="stPageLink-NavLink"] span, [data-testid="stMain"] [data-testid="stPageLink-NavLink"] p {{white-space:normal !important;overflow:visible !important;text-overflow:clip !important}}
    [data-testid="stFileUploaderDropzoneInstructions"] span::after {{content:{json.dumps(L("upload_box_limit").format(mb=st.get_option("server.maxUploadSize")), ensure_ascii=False)};font-size:.85rem}}
    [data-testid="InputInstructions"] {{font-size:0}}
    [data-testid="InputInstructions"]::after {{content:{json.dumps(L("input_apply"), ensure_ascii=False)};font-size:.75rem}}
    [data-testid="stTextInput"] [data-testid="InputInstructions"]::after, [data-testid="stNumberInput"] [data-testid="InputInstructions"]::after {{content:{json.dumps(L("input_apply_enter"), ensure_ascii=False)}}}
    </style>""")


ID_COLUMNS = {"record_id", "source_row", "taxon_id", "id"}   # identifiers: no thousands separators


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~$&-])")   # & too: markdown reads "&amp;" as "&"


def md_text(text: str) -> str:
    """Text from a file (a header quoted in a sentence) shown through st.caption/markdown as itself:
    every markdown character escaped, so a header can never become a link, an image or formatting."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def redlist_text(value):
    """A red-list category in the UI language (i18n.redlist_text)."""
    from .i18n import redlist_text as words
    return words(value, lang())


def colon() -> str:
    """A label's colon as the UI language writes it (the Chinese map tooltips read 紀錄數: 52,611: a walk)."""
    return "：" if lang() == "zh" else ": "


def paren(text) -> str:
    """An aside after a label, bracketed as the UI language writes it: 紀錄數（2026-05-22）, Records (2026-05-22)
    (the Chinese pages had half-width brackets after Chinese words: a walk)."""
    return f"（{text}）" if lang() == "zh" else f" ({text})"


def header(col: str) -> str:
    """A column's heading in the UI language (i18n.column_heading)."""
    from .i18n import column_heading
    return column_heading(col, lang())


def severity_text(s):
    """A check's severity in words in the UI language (anything else as it is)."""
    return L(f"sev_{s}") if isinstance(s, str) and s in ("error", "warning", "info") else s


def dimension_text(d):
    """A dimension as a table shows it: store gives the English one as its id (open_data → Open data)."""
    return d.replace("_", " ").capitalize() if lang() == "en" and isinstance(d, str) else d


def agency_text(name):
    """An agency's name in the UI language: in English its official English name where one is known
    (i18n.AGENCY_EN, a city or county government from its county), else the name as published."""
    if lang() != "en":
        return name
    return i18n.agency_en(name, county_english())


def _severity_agency(d):
    """A table's severities in words and its agencies in the UI language (every table and download)."""
    if "agency" in d.columns and lang() == "en":
        d["agency"] = d["agency"].map(agency_text)
    if "severity" in d.columns:
        d["severity"] = d["severity"].map(severity_text)
    return d


def _in_words(d):
    """A table's severities and dimensions in words, its agencies in the UI language (ui.table and ui.static_table)."""
    _severity_agency(d)
    if "dimension" in d.columns:
        d["dimension"] = d["dimension"].map(dimension_text)
    return d


def for_download(df):
    """A table as a reader gets it in a file: headings in the UI language (never snake_case), yes/no in
    words, severities in words."""
    import pandas as pd
    d = _severity_agency(df.copy())
    for c in d.columns:
        if pd.api.types.is_bool_dtype(d[c]):
            d[c] = d[c].map(lambda v: L("yes" if v else "no"))
    return d.rename(columns={c: header(c) for c in d.columns})


def matching_rows(df, text: str | None):
    """Rows of a table whose shown texts (severities and dimensions in words, as ui.table draws them)
    hold every word of `text`, ignoring case; every row when `text` is blank. The grid's own search
    highlights cells but keeps every row (a walk: the rules page's search "did nothing")."""
    import pandas as pd
    words = (text or "").casefold().split()
    if not words:
        return pd.Series(True, index=df.index)
    # a yes/no column is a checkbox on screen: no text to find ("true" listed 102 rules)
    texts = df[[c for c in df.columns if not pd.api.types.is_bool_dtype(df[c])]]
    shown = _in_words(texts.copy()).astype(str).agg(" ".join, axis=1).str.casefold()
    hit = pd.Series(True, index=df.index)
    for w in words:
        hit &= shown.str.contains(w, regex=False)
    return hit


def table(df, column_config: dict | None = None, **kwargs):
    """st.dataframe with what a reader should see: translated headings, severities in words,
    "—" for blanks (never "None"), thousands separators on counts, none on identifiers."""
    import pandas as pd
    d = df.copy()
    ids = ID_COLUMNS | {L("fl_record_id"), L("fl_source_row")}   # a fix list comes with its headings translated
    _in_words(d)
    for c in d.columns:
        if d[c].dtype == object or pd.api.types.is_string_dtype(d[c]):
            d[c] = d[c].astype(object).where(d[c].notna(), "—")
        elif pd.api.types.is_integer_dtype(d[c]) and d[c].isna().any():   # nullable counts: "—" where unknown
            d[c] = ["—" if v is pd.NA else (f"{int(v)}" if c in ids else f"{int(v):,}") for v in d[c].astype(object)]
        elif pd.api.types.is_float_dtype(d[c]) and d[c].isna().any() and c not in (column_config or {}):
            # a blank number as text, with "—" for the blanks; a column the caller formats (a percentage)
            # stays a number, its blanks shown as the placeholder "—" (as text it lost its format: 0.953 for 95.3 %)
            d[c] = [("—" if v != v else f"{v:g}" if abs(v) < 1e6 else f"{v:,.2f}") for v in d[c]]
    conf = {}
    for c in d.columns:
        if pd.api.types.is_bool_dtype(d[c]):
            conf[c] = st.column_config.CheckboxColumn(header(c))
        elif c in ids and pd.api.types.is_numeric_dtype(d[c]):
            conf[c] = st.column_config.NumberColumn(header(c), format="%d")
        elif pd.api.types.is_integer_dtype(d[c]):
            conf[c] = st.column_config.NumberColumn(header(c), format="localized")
    conf.update(column_config or {})
    names = {c: header(c) for c in d.columns}
    d = d.rename(columns=names)
    conf = {names.get(k, k): v for k, v in conf.items()}
    return st.dataframe(d, hide_index=True, column_config=conf, placeholder="—", **kwargs)


def static_table(df):
    """ui.table's texts (translated headings, severities in words, English dimensions capitalised, "—" for
    blanks) in a static table whose cells wrap: a record's few findings read whole (the grid cut the English
    suggestions at its edge: "…(New Taipei City): check the p")."""
    d = _in_words(df.copy())
    d = d.astype(object).where(d.notna(), "—")     # notna() is False for NaN, None and pd.NA alike
    d = d.rename(columns={c: header(c) for c in d.columns})
    # the headings stay on one line: the short columns (嚴重度, 面向) were squeezed to a character per line (a walk)
    # (Streamlit draws a heading's text in a markdown block of its own inside the cell: that block is held too)
    nowrap = [{"selector": sel, "props": [("white-space", "nowrap")]} for sel in ("th", "th div", "th p")]
    return st.table(d.style.hide(axis="index").set_table_styles(nowrap))


def link_params(**kw) -> dict:
    """Query parameters for a link to another page: the language and snapshot travel with it."""
    out = {"lang": lang()}
    if st.session_state.get("snap_id"):
        out["snapshot"] = st.session_state["snap_id"]
    out.update({k: str(v) for k, v in kw.items() if v is not None})
    return out


def open_record(record_id) -> None:
    """Go to the record page for one record (a click on a map point or a table row)."""
    st.switch_page("pages/record.py", query_params=link_params(record=int(record_id)))


def selected_record(event, df, column: str = "record_id"):
    """The record id behind a clicked table row or map point, if any (st.dataframe / st.pydeck_chart selection)."""
    sel = getattr(event, "selection", None) or (event.get("selection") if isinstance(event, dict) else None)
    if not sel:
        return None
    rows = sel.get("rows") if isinstance(sel, dict) else getattr(sel, "rows", None)
    if rows:
        return df.iloc[rows[0]][column]
    objs = sel.get("objects") if isinstance(sel, dict) else None
    for layer_objs in (objs or {}).values():
        for o in layer_objs:
            if o.get(column) is not None:
                return o[column]
    return None


def check_title(check_id: str) -> str:
    """A check's title in the UI language (what a reader sees instead of its id)."""
    c = _checks().get(check_id)
    return check_id if c is None else (c.title_en if lang() == "en" else c.title_zh)


@functools.cache
def _checks() -> dict:
    from .checks import by_id
    return by_id()


def label_or(key: str, fallback: str) -> str:
    """The label for key, or fallback when the table has none (e.g. a table kind added by another module)."""
    from .i18n import LABELS
    return L(key) if key in LABELS else fallback


def profile_name(profile_id: str) -> str:
    """A profile's name in the UI language (what a reader sees instead of its id)."""
    from . import profiles
    p = {x.id: x for x in profiles.PROFILES}.get(profile_id)
    return profile_id if p is None else p.name(lang())


def kinds_named(text: str) -> str:
    """'occurrence: a, b; project: c' with each table kind's name in the UI language."""
    out = []
    for part in text.split("; "):
        kind, sep, rest = part.partition(": ")
        out.append(f"{label_or('table_' + kind, kind)}{colon()}{rest}" if sep else part)
    return "；".join(out) if lang() == "zh" else "; ".join(out)


def record_value(term: str, value: str) -> str:
    """One field's value on the record page as a reader sees it."""
    if term == "profile":
        return profile_name(value)
    if term == "match_type":
        return label_or(f"match_{value}", value)
    if term == "redlist":
        return redlist_text(value)
    if value in ("True", "False"):
        return L("yes" if value == "True" else "no")
    if len(value) == 19 and value.endswith(" 00:00:00") and value[:4].isdigit():
        return value[:10]
    return value


def rule_detail(rules, check_id: str | None, pick_hint: bool = True) -> None:
    """One rule of the rules table (store.rules, with its lists already named) shown whole: a table
    cell cuts its explanation. Without a rule, how to pick one (when a table is there to pick from)."""
    row = rules[rules["id"] == check_id] if check_id else rules.iloc[0:0]
    if row.empty:
        if pick_hint:
            st.caption(L("rule_pick"))
        return
    r = row.iloc[0]
    sep = colon()
    with st.container(border=True):
        st.markdown(f"**{md_text(r['title'])}**")
        st.caption(" · ".join([f"{header('dimension')}{sep}{dimension_text(r['dimension'])}", f"{header('severity')}{sep}{severity_text(r['severity'])}",
                               f"{header('check_id')}{sep}{md_text(r['id'])}"]))
        st.markdown(md_text(r["explanation"]))
        for col in ("params", "tables", "profiles"):
            st.markdown(f"**{header(col)}**{sep}{md_text(r[col] or '—')}")
        st.markdown(f"**{header('fix')}**{sep}{L('rule_fix_yes') if r['fix'] else L('rule_fix_no')}")


def params_text(check_id: str) -> str:
    """A check's thresholds as a reader sees them: what each means and its value, not its setting's name."""
    c = _checks().get(check_id)
    if c is None or not c.params:
        return "—"
    zh = lang() == "zh"
    out = []
    for p in c.params:
        v = p.value
        num = f"{v:.0f}" if p.unit == "year" else (f"{v:,.0f}" if float(v).is_integer() else f"{v:g}")
        unit = {"m": L("unit_m"), "score": L("unit_score"), "year": "", "×": " ×"}.get(p.unit, f" {p.unit}")
        out.append(f"{p.zh if zh else p.en}{colon()}{num}{unit}")
    return "；".join(out) if zh else "; ".join(out)


def ids_to_titles(text: str) -> str:
    """Prose that names checks by id (the BDQ notes) with each id replaced by the check's title."""
    import re
    if not isinstance(text, str):
        return text
    zh = lang() == "zh"
    q = ("「", "」") if zh else ("“", "”")
    # in Chinese the quotes replace the spaces that set the id apart
    pat = r" ?\b([A-Z][A-Z0-9]*(?:_[A-Za-z0-9]+)+)\b ?" if zh else r"\b([A-Z][A-Z0-9]*(?:_[A-Za-z0-9]+)+)\b"
    return re.sub(pat, lambda m: f"{q[0]}{check_title(m.group(1))}{q[1]}" if m.group(1) in _checks() else m.group(0), text)


# TBIA's own words for a grid cell's priority (its 2024 gap aggregates)
# the tooltip puts these in brackets after the count ("TBIA: 2,207 (…)"): no bracket of their own (it read
# "(worth filling (TBIA's advice))": a walk)
TBIA_PRIORITY_EN = {"建議優先填補": "TBIA's advice: fill first", "建議填補": "TBIA's advice: worth filling",
                    "資料筆數高於平均值": "more records than average"}


def county_english() -> dict:
    """County → its English name (from the shipped boundaries)."""
    return store.place_names()[0]


def counties_in_order(names) -> list[str]:
    """County names (zh-TW, as the records hold them) in the order government tables list them
    (store.county_order); a name the boundaries do not hold comes last."""
    rank = {c: i for i, c in enumerate(store.county_order())}
    return sorted(names, key=lambda c: (rank.get(c, len(rank)), str(c)))


def places_in_language(df, county: str = "county", town: str | None = "town"):
    """County and town names in the UI language (the shipped boundaries carry their English names)."""
    if lang() != "en" or df is None or not len(df):
        return df
    counties, towns = store.place_names()
    d = df.copy()
    if town and town in d.columns and county in d.columns:
        d[town] = [towns.get((c, t), t) for c, t in zip(d[county], d[town])]
    if county in d.columns:
        d[county] = [counties.get(c, c) for c in d[county]]
    return d


def place_text(county, town=None) -> tuple:
    """One record's county and town in the UI language."""
    one = places_in_language(pd.DataFrame({"county": [county], "town": [town]}))
    return one["county"].iloc[0], one["town"].iloc[0]
