"""Streamlit glue shared by the pages: the URL-kept pickers and the cached calls into dq.store.

Snapshots are immutable, so every cached call is keyed by the snapshot's id (its date) and its
arguments; a page never runs SQL itself.
"""
from __future__ import annotations

import contextlib
import runpy
import threading
from pathlib import Path

import streamlit as st

from . import store
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


def _fixed(format_func, options: list):
    """Labels computed now, in this run's language: Streamlit may call format_func later, outside the run."""
    labels = {o: format_func(o) for o in options}
    return lambda o: labels.get(o, str(o))


def qp_select(label: str, options: list, key: str, format_func=str, sidebar: bool = False, default_index: int = 0):
    """A selectbox whose value lives in the URL (?key=value), so a copied link reopens the same view."""
    qp = st.query_params
    cur = qp.get(key)
    str_opts = [None if o is None else str(o) for o in options]
    index = str_opts.index(cur) if cur in str_opts else min(default_index, len(options) - 1)
    box = st.sidebar.selectbox if sidebar else st.selectbox
    value = box(label, options, index=index, format_func=_fixed(format_func, options), key=f"qp_{key}")
    # the URL keeps only what the user chose: a default stays out of it, so it can follow other choices
    if value is None or (options and value == options[min(default_index, len(options) - 1)]):
        if key in qp:
            del qp[key]
    else:
        qp[key] = str(value)
    return value


def qp_multiselect(label: str, options: list, key: str, default: list, format_func=str) -> list:
    qp = st.query_params
    cur = qp.get_all(key)
    chosen = [o for o in options if o in cur] if cur else [o for o in default if o in options]
    value = st.multiselect(label, options, default=chosen, format_func=_fixed(format_func, options), key=f"qp_{key}")
    if value == [o for o in default if o in options]:   # the default is not a choice: keep it out of the URL
        if key in qp:
            del qp[key]
    else:
        qp[key] = value
    return value


def qp_toggle(label: str, key: str, default: bool = False) -> bool:
    qp = st.query_params
    cur = qp.get(key)
    value = st.toggle(label, value=(cur == "1") if cur is not None else default, key=f"qp_{key}")
    qp[key] = "1" if value else "0"
    return value


def context() -> tuple[str | None, str | None]:
    """Snapshot and agency pickers in the sidebar (kept in the URL). Returns (snapshot id, agency or None)."""
    snaps = [s.name for s in store.snapshots()]
    if not snaps:
        return None, None
    snap_id = qp_select(L("snapshot"), snaps, "snapshot", sidebar=True, default_index=len(snaps) - 1)
    ags = [None] + call("agencies", snap_id)
    agency = qp_select(L("agency"), ags, "agency", sidebar=True,
                       format_func=lambda a: L("all_agencies") if a is None else a)
    st.session_state["snap_id"], st.session_state["agency"] = snap_id, agency
    return snap_id, agency


def require_snapshot() -> tuple[str, str | None]:
    snap_id, agency = st.session_state.get("snap_id"), st.session_state.get("agency")
    if not snap_id:
        st.error(L("no_snapshot"))
        st.stop()
    return snap_id, agency


def pct(x) -> str:
    return "—" if x is None else f"{x:.1%}"


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
    the language switch or the sections. Then run app.py here, in this same run (so a click or an
    upload that started it is not lost), and stop: app.py's navigation runs this page properly."""
    if getattr(_RUN, "in_app", False):
        return
    from streamlit.runtime.pages_manager import PagesManager
    PagesManager.uses_pages_directory = False
    runpy.run_path(str(Path(__file__).resolve().parent.parent / "app.py"), run_name="__main__")
    st.stop()


def number_columns(df) -> dict:
    """column_config giving every integer column thousands separators (265,160, not 265160)."""
    import pandas as pd
    return {c: st.column_config.NumberColumn(c, format="localized") for c in df.columns if pd.api.types.is_integer_dtype(df[c])}
