"""`python -m dq serve [streamlit options]`: the dashboard's server, warm from its start.

`streamlit run app.py` imports nothing of the app until the first visitor's run, which then waits
for pandas, plotly, pydeck, DuckDB and the dq modules, for Streamlit's own lazily loaded parts
(its emoji table, pandas' Styler templates, plotly's validators) and for every aggregate the page
reads: on this machine the open-data page's first visit spent a second there before the browser
drew anything. Here every sidebar page is run once, in both languages, before the server listens,
in the server's own process: the imports are done and `st.cache_data` holds each page's default
view, so a first visit costs what a later one does. Everything else is `streamlit run app.py`."""
from __future__ import annotations

import os
import sys
import time

from .paths import ROOT

# the sidebar's pages (the record page needs a record id: it reads one record, cheap either way)
WARM_PAGES = ("overview", "scorecard", "completeness", "coordinates", "coverage", "compare", "opendata", "od_dataset",
              "validate", "rules")


def warm(pages=WARM_PAGES, langs=("zh", "en")) -> float:
    """Run each page's default view once through Streamlit's AppTest (the same script run a
    visitor triggers, without a browser). Returns the seconds it took. A page that fails here is
    left for its visitor to see the error: the server starts regardless."""
    from streamlit import config, logger
    from streamlit.runtime import Runtime
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest
    t0 = time.time()
    logger.set_log_level("error")   # AppTest's bare-mode warnings say nothing to an operator; the server sets its own level
    try:
        for lang in langs:
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
            at.query_params["lang"] = lang
            for name in pages:
                try:
                    if name != "overview":
                        at.switch_page(f"pages/{name}.py")
                    at.run()
                except Exception as e:   # noqa: BLE001  (a warm-up, not a check: the page will show its error)
                    print(f"dq serve: warming {name} ({lang}) failed: {e}", file=sys.stderr, flush=True)
    finally:
        # AppTest leaves its stand-in runtime installed: the real server must create its own. The
        # caches it filled stay (Streamlit keeps them per function, whichever runtime made them).
        Runtime._instance = None
        # app.py's st.navigation has run: a deep link's first visit goes straight through it instead of
        # Streamlit's pages-folder mode and dq.ui.ensure_app's rerun out of it (one script run less)
        PagesManager.uses_pages_directory = False
        config._config_options = None   # parsed for AppTest: the server parses its own (with the command's flags)
    return time.time() - t0


def main(args: list[str]) -> None:
    import plotly.express  # noqa: F401  (the charts' library)
    import pydeck  # noqa: F401  (the maps')
    from streamlit import logger
    logger.set_log_level("error")
    from . import charts, maps, opendata, store, ui  # noqa: F401  (what every page imports)
    if os.environ.get("DQ_SERVE_WARM", "1") != "0":
        print(f"dq serve: pages warmed in {warm():.1f} s", file=sys.stderr, flush=True)
    from streamlit.web import cli
    # a served dashboard does not reload on edits: without watching the app's folder, a visitor's first
    # run starts sooner (options given on the command line come after, and win)
    sys.argv = ["streamlit", "run", str(ROOT / "app.py"), "--server.fileWatcherType", "none", *args]
    cli.main()
