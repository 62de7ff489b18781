"""Streamlit entry: navigation with sections, the snapshot/agency pickers (kept in the URL) and the language switch."""
import streamlit as st

from dq import ui
from dq.i18n import t

st.set_page_config(page_title="資料品質儀表板 DQ", layout="wide")


def page(path: str, key: str, default: bool = False):
    return st.Page(path, title=t(key, lang), default=default, url_path=path.split("/")[-1].removesuffix(".py"))


qp = st.query_params
lang = st.sidebar.radio("語言 / Language", ["zh", "en"], index=1 if qp.get("lang") == "en" else 0,
                        format_func=lambda x: "中文" if x == "zh" else "English", horizontal=True)
qp["lang"] = lang
st.session_state["lang"] = lang
ui.context()

pages = {
    t("sec_agencies", lang): [page("pages/overview.py", "overview", default=True), page("pages/scorecard.py", "scorecard"),
                              page("pages/completeness.py", "completeness"), page("pages/coordinates.py", "coordinates")],
    t("sec_analysis", lang): [page("pages/coverage.py", "coverage"), page("pages/compare.py", "compare")],
    t("sec_opendata", lang): [page("pages/opendata.py", "opendata"), page("pages/od_dataset.py", "od_dataset")],
    t("sec_tools", lang): [page("pages/validate.py", "validate"), page("pages/rules.py", "rules")],
}
with ui.app_run():
    st.navigation(pages).run()
