import streamlit as st

from dq import store, ui
from dq.ui import L

ui.ensure_app()

st.title(L("rules"))
st.caption(L("rules_intro"))
df = store.rules(ui.lang())
sep = "、" if ui.lang() == "zh" else ", "
df["tables"] = df["tables"].map(lambda ts: sep.join(ui.label_or(f"table_{x}", x) for x in ts.split(", ") if x))
ui.table(df[["title", "dimension", "severity", "explanation", "params", "tables", "fix", "id"]], width="stretch", height=700)

# issue 12: the TDWG BDQ tests (bdq-core profile) and where the Taiwan checks differ on purpose
st.subheader(L("bdq_rules"))
st.caption(L("bdq_rules_intro"))
bdq = store.bdq_rules(ui.lang())
ui.table(bdq[["id", "title", "kind", "dimension", "params", "taiwan", "guid"]], width="stretch", height=500)
st.markdown("**" + L("bdq_differs") + "**")
ui.table(bdq[bdq["taiwan"] != "—"][["id", "title", "taiwan"]], width="stretch")
