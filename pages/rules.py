import streamlit as st

from dq import store, ui
from dq.i18n import t

ui.ensure_app()

lang = st.session_state.get("lang", "zh")
st.title(t("rules", lang))
st.caption(t("rules_intro", lang))
df = store.rules(lang).rename(columns={"dimension": t("dimension", lang), "severity": t("severity", lang),
                                       "title": t("title", lang), "explanation": t("explanation", lang),
                                       "params": t("check_params", lang)})
st.dataframe(df, hide_index=True, width="stretch", height=700)

# issue 12: the TDWG BDQ tests (bdq-core profile) and where the Taiwan checks differ on purpose
st.subheader(t("bdq_rules", lang))
st.caption(t("bdq_rules_intro", lang))
bdq = store.bdq_rules(lang)
st.dataframe(bdq.rename(columns={"kind": t("bdq_kind", lang), "dimension": t("dimension", lang), "title": t("title", lang),
                                 "params": t("check_params", lang), "taiwan": t("bdq_taiwan", lang)}),
             hide_index=True, width="stretch", height=500)
st.markdown("**" + t("bdq_differs", lang) + "**")
st.dataframe(bdq[bdq["taiwan"] != "—"][["id", "title", "taiwan"]].rename(
    columns={"title": t("title", lang), "taiwan": t("bdq_taiwan", lang)}), hide_index=True, width="stretch")
