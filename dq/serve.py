"""`python -m dq serve [streamlit options]`: the dashboard's server, warm from its start.

`streamlit run app.py` imports nothing of the app until the first visitor's run, which then waits
for pandas, plotly, pydeck, DuckDB and the dq modules (about half a second to a second of that
visit on this machine). Here they are imported before the server listens, in the server's own
process, so every first visit finds them loaded. Everything else is `streamlit run app.py`."""
from __future__ import annotations

import sys

from .paths import ROOT


def main(args: list[str]) -> None:
    import plotly.express  # noqa: F401  (the charts' library)
    import pydeck  # noqa: F401  (the maps')
    from . import charts, maps, opendata, store, ui  # noqa: F401  (what every page imports)
    from streamlit.web import cli
    sys.argv = ["streamlit", "run", str(ROOT / "app.py"), *args]
    cli.main()
