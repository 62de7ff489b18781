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
