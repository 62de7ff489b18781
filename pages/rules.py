import streamlit as st

from dq import store, ui
from dq.ui import L

ui.ensure_app()

st.title(L("rules"))
st.caption(L("rules_intro"))
df = store.rules(ui.lang())
sep = L("list_sep")
df["tables"] = df["tables"].map(lambda ts: sep.join(ui.label_or(f"table_{x}", x) for x in ts.split(", ") if x))
df["params"] = df["id"].map(ui.params_text)
df["profiles"] = df["profiles"].map(lambda ps: sep.join(ui.profile_name(x) for x in ps.split(", ") if x) or "—")
# the id is kept, last, under its own heading: it is what the fix lists, the annotated file and the CLI print
every = df
shown = df[["title", "dimension", "severity", "explanation", "params", "tables", "profiles", "fix", "id"]].rename(columns={"id": "check_id"})
q = st.text_input(L("rules_search"), key="rules_search", help=L("rules_search_help")).strip()
hit = ui.matching_rows(shown, q)
if q:
    st.caption(L("rules_search_n").format(q=ui.md_text(q), n=int(hit.sum()), total=len(shown)))
shown, df = shown[hit], df[hit]
# a table of its own per search: a row picked before is a position in the list it was picked in (the grid
# kept its tick on whatever rule came to stand there: a walk)
key = f"rules_tbl_{ui.lang()}" + (f"_{q}" if q else "")
# A cell cuts a long explanation: the rule picked here is shown whole below and kept in the URL (?rule=ID), so
# that a link opens a rule as it is read here; unpicking it takes it away. A visit (the table's selection not
# yet in the session) starts with nothing picked: a link's ?rule stays until the reader picks another.
if key not in st.session_state:
    st.session_state.pop("rules_picked", None)
if shown.empty:     # not an empty grid headed "empty" in English, and no row to click
    st.info(L("rules_search_none"))
    ev = None
else:
    # as tall as the rows it lists (a search's three rules stood above a screen of blank rows)
    ev = ui.table(shown, width="stretch", height=min(560, 35 * (len(shown) + 1) + 3), on_select="rerun",
                  selection_mode="single-row", key=key)
picked = st.session_state.pop("rules_picked", None)     # (the table it was picked in, the rule)
if ev is not None and ev.selection.rows:
    st.query_params["rule"] = rid = str(df["id"].iloc[ev.selection.rows[0]])
    st.session_state["rules_picked"] = (key, rid)
elif picked is not None and picked[0] == key:     # unpicked in the same table; another search keeps it shown
    st.query_params.pop("rule", None)
ui.rule_detail(every, st.query_params.get("rule"), pick_hint=ev is not None)

# issue 12: the TDWG BDQ tests (bdq-core profile) and where the Taiwan checks differ on purpose
st.subheader(L("bdq_rules"))
st.caption(L("bdq_rules_intro"))
bdq = store.bdq_rules(ui.lang())
bdq["taiwan"] = bdq["taiwan"].map(ui.ids_to_titles)
ui.table(bdq[["title", "kind", "dimension", "params", "taiwan", "id", "guid"]], width="stretch", height=500)   # the BDQ labels and GUIDs last
st.markdown("**" + L("bdq_differs") + "**")
ui.table(bdq[bdq["taiwan"] != "—"][["title", "taiwan", "id"]], width="stretch")

# issue 9: the declared profiles, the checks each judges a dataset by, and the fields its completeness counts
st.subheader(L("profiles_title"))
st.caption(L("profiles_intro"))
pf = store.profile_table(ui.lang())
pf["required"] = pf["required"].map(ui.kinds_named)
# which checks each profile judges by is the Rules table's own column above; here the count
ui.table(pf[["name", "kind", "explanation", "n_checks", "required"]], width="stretch")
