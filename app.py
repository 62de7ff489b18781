"""Streamlit entry: navigation, snapshot/agency pickers (kept in the URL) and the language switch."""
import streamlit as st

from dq.i18n import t

st.set_page_config(page_title="資料品質儀表板 DQ", layout="wide")

qp = st.query_params
lang = st.sidebar.radio("語言 / Language", ["zh", "en"], index=1 if qp.get("lang") == "en" else 0,
                        format_func=lambda x: "中文" if x == "zh" else "English", horizontal=True)
qp["lang"] = lang
st.session_state["lang"] = lang

pages = {
    t("overview", lang): [st.Page("pages/overview.py", title=t("overview", lang), default=True)],
    t("rules", lang): [st.Page("pages/rules.py", title=t("rules", lang))],
}
st.navigation(pages).run()
