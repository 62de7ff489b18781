"""Streamlit entry: navigation with sections, the snapshot/agency pickers (kept in the URL) and the language switch."""
import streamlit as st

from dq import ui
from dq.i18n import t

st.set_page_config(page_title="資料品質儀表板 DQ", layout="wide")

qp = st.query_params
# A key makes the switch one widget whatever its default: without it, the default recomputed
# from the URL on every run made a new widget, and every second click snapped back.
# The page menu drops the URL's parameters: the language of the run before goes on (a fresh server's
# first visitor was switched back to Chinese by the first move)
lang = qp.get("lang") or st.session_state.get("lang", "zh")
lang = st.sidebar.radio("語言 / Language", ["zh", "en"], index=1 if lang == "en" else 0, key="lang_switch",
                        format_func=lambda x: "中文" if x == "zh" else "English", horizontal=True)
st.session_state["lang"] = lang
qp["lang"] = lang
ui.chrome()


def page(path: str, key: str, default: bool = False, hidden: bool = False):
    # the default page is served at the root: its own address is left to the alias below ("home" is never shown)
    url = "home" if default else path.split("/")[-1].removesuffix(".py")
    return st.Page(path, title=t(key, lang), default=default, url_path=url, visibility="hidden" if hidden else "visible")


home = page("pages/overview.py", "overview", default=True)


def _overview_address():
    # the overview is served at the root; /overview (typed, or guessed from the other pages' addresses) said
    # "Page not found" first. The root keeps the URL's language, snapshot and agency.
    st.switch_page(home, query_params=dict(st.query_params))


pages = {
    t("sec_agencies", lang): [home, page("pages/scorecard.py", "scorecard"),
                              page("pages/completeness.py", "completeness"), page("pages/coordinates.py", "coordinates"),
                              page("pages/record.py", "record_page", hidden=True)],
    t("sec_analysis", lang): [page("pages/coverage.py", "coverage"), page("pages/compare.py", "compare")],
    t("sec_opendata", lang): [page("pages/opendata.py", "opendata"), page("pages/od_dataset.py", "od_dataset")],
    t("sec_tools", lang): [page("pages/validate.py", "validate"), page("pages/rules.py", "rules"),
                           st.Page(_overview_address, title=t("overview", lang), url_path="overview", visibility="hidden")],
}
nav = st.navigation(pages)
# the open-data pages pick their own catalogue snapshot and agency, and the tools read no snapshot: the
# biodiversity snapshot and agency pickers would sit there doing nothing beside the page's own (two
# "Agency" boxes on the open-data page). Their choice is kept for the pages that read it.
ui.context(nav.url_path, pickers=nav.url_path not in ("opendata", "od_dataset", "validate", "rules"))
with ui.app_run():
    nav.run()
