import streamlit as st

from dq import store
from dq.i18n import t

lang = st.session_state.get("lang", "zh")


@st.cache_data
def _kpis(snap_id: str, agency):
    return store.kpis(store_path(snap_id), agency)


def store_path(snap_id: str):
    return {s.name: s for s in store.snapshots()}[snap_id]


@st.cache_data
def _tables(snap_id: str, agency, lang):
    p = store_path(snap_id)
    return store.datasets(p, agency), store.top_problems(p, agency, lang)


snaps = store.snapshots()
st.title(t("app_title", lang))
if not snaps:
    st.error(t("no_snapshot", lang))
    st.stop()
names = [s.name for s in snaps]
qp = st.query_params
snap_id = st.sidebar.selectbox(t("snapshot", lang), names, index=names.index(qp["snapshot"]) if qp.get("snapshot") in names else len(names) - 1)
qp["snapshot"] = snap_id
ags = [None] + store.agencies(store_path(snap_id))
agency = st.sidebar.selectbox(t("agency", lang), ags, index=ags.index(qp.get("agency")) if qp.get("agency") in ags else 0,
                              format_func=lambda a: t("all_agencies", lang) if a is None else a)
if agency:
    qp["agency"] = agency
elif "agency" in qp:
    del qp["agency"]

k = _kpis(snap_id, agency)
cols = st.columns(6)
cols[0].metric(t("records", lang), f"{k['records']:,}")
cols[1].metric(t("agencies", lang), k["agencies"])
cols[2].metric(t("datasets", lang), k["datasets"])
cols[3].metric(t("species", lang), f"{k['species']:,}")
cols[4].metric(t("share_no_error", lang), f"{k['share_no_error']:.1%}")
cols[5].metric(t("usable_1km", lang), f"{k['usable_1km']:.1%}")
ds, top = _tables(snap_id, agency, lang)
st.subheader(t("top_problems", lang))
st.dataframe(top.rename(columns={"check_id": t("check", lang), "n": t("count", lang), "severity": t("severity", lang),
                                 "title": t("title", lang)}), hide_index=True, width="stretch")
st.subheader(t("per_dataset", lang))
st.dataframe(ds, hide_index=True, width="stretch")
st.caption(t("pages_todo", lang))
