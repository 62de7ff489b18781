import pandas as pd
import streamlit as st

from dq import store, ui
from dq.checks import DIMENSION_ZH, SEVERITY_RANK
from dq.i18n import counted
from dq.ui import L

ui.ensure_app()

snap_id, agency = ui.require_snapshot()
st.title(L("scorecard"))
if agency is None:
    # not a dead end: the agencies, each a link to its scorecard (a handful of rows, not records)
    st.info(L("pick_agency"))
    st.caption(L("sc_pick_below"))
    for row in ui.call("agency_league", snap_id).itertuples(index=False):
        st.page_link("pages/scorecard.py", label=f"{ui.agency_text(row.agency)} · {row.records:,} · {ui.pct(row.score_overall)}",
                     query_params=ui.link_params(agency=row.agency))
    st.stop()
st.subheader(ui.agency_text(agency))

sc = ui.call("scores", snap_id, agency)
prev = store.previous(store.by_name(snap_id))
before = ui.call("scores", prev.name, agency) if prev is not None else None
# scores count only each dataset's own profile's checks: when that yardstick changed between the
# snapshots, a difference is "not comparable", never a regression
same = prev is not None and ui.call("comparable", prev.name, store.by_name(snap_id), agency)
# a share's change is measured on the agency's datasets present in both snapshots: a dataset added
# or removed changes who is counted, not how good the data are
like = ui.call("score_delta_like", snap_id, agency) if prev is not None else None
# an agency none of whose datasets the previous snapshot has is new: no change to show on any card (each
# read 無法比較 under "added 1 … only the 0 datasets in both are compared": a walk)
new_agency = like is not None and not like["common_datasets"] and not like["datasets_removed"]


def metric(col, label, key, judged=True, help=None, color="normal"):
    d, arrow = None, "auto"
    if before is not None and sc.get(key) is not None and not new_agency:
        if like.get(key) is None or (judged and not same):
            d, color, arrow = L("not_comparable"), "off", "off"
        else:
            pd_ = ui.pp_delta(like[key])
            d, color, arrow = pd_["delta"], pd_.get("delta_color", color), pd_.get("delta_arrow", arrow)
    col.metric(label, ui.pct(sc[key]) if sc.get(key) is not None else "—", d, delta_color=color, delta_arrow=arrow, help=help)


dims = store.OCC_DIMENSIONS
dim_label = (lambda d: L(f"col_score_{d}")) if ui.lang() == "en" else (lambda d: DIMENSION_ZH[d])
cols = st.columns(len(dims) + 1)
metric(cols[0], L("score_overall"), "overall", help=L("score_overall_help"))
for c, d in zip(cols[1:], dims):
    # a dimension's score counts its errors only: Duplicates at 100.0% beside 102,369 possible duplicates (warnings)
    metric(c, dim_label(d), d, help=L("score_completeness_help") if d == "completeness" else L("score_dim_help"))
ff = ui.call("file_findings", snap_id, agency, None, ui.lang())
# the cards count record-level errors: 100.0 % beside a file the Validate page sends back for its missing
# occurrenceID column read as a contradiction (a walk); the file-level errors are said right under them
ff_err = ff[ff["severity"] == "error"] if len(ff) else ff
if len(ff_err):
    st.warning(L(counted("sc_file_errors", len(ff_err))).format(
        n=len(ff_err), cols=L("list_sep").join(dict.fromkeys(ff_err["columns"]))))
given = ui.call("given_at_ingest", snap_id, agency)
if given:
    sep = L("list_sep")
    st.caption(L("sc_given_at_ingest").format(given=("；" if ui.lang() == "zh" else "; ").join(
        f"{f}{ui.colon()}{sep.join(ui.header(t) for t in terms)}" for f, terms in given.items())))
if new_agency:
    st.caption(L("sc_agency_new").format(prev=prev.name))
elif before is not None and not same:
    st.caption(L("not_comparable_help").format(prev=prev.name))
if like is not None and not new_agency and (like["datasets_added"] or like["datasets_removed"]):
    st.caption(L("sc_population_changed").format(common=like["common_datasets"], added=like["datasets_added"],
                                                 removed=like["datasets_removed"], prev=prev.name))
# no bar chart of these same seven numbers under them (a walk: it said again what the cards say, and
# cost every visit a second chart to draw)

st.subheader(L("tiers"))
st.caption(L("tier_help"))
tc = st.columns(3)
for c, tier, color in zip(tc, ("gold", "silver", "bronze"), ("normal", "off", "inverse")):
    # tiers do not depend on the checks: comparable whenever both snapshots have them; more bronze is worse
    metric(c, L(f"tier_{tier}"), f"tier_{tier}", judged=False, color=color)
if sc.get("tier_ungraded"):
    st.caption(L("tier_ungraded").format(n=sc["tier_ungraded"]))

if len(ff):
    st.subheader(L("file_findings"))
    st.caption(L("file_findings_help"))
    # the dataset by its name under a "Dataset" heading (its id there read as a name: ntu-reef-fish-transects)
    ff_names = ui.call("dataset_names", snap_id, agency)
    ff = ff.drop(columns=["agency", "check_id"]).assign(profile=ff["profile"].map(ui.profile_name),
                                                        dataset_id=ff["dataset_id"].map(lambda x: ff_names.get(x, x))).rename(columns={
        "dataset_id": L("dataset"), "source_file": L("source_file"), "profile": L("profile"), "check_id": L("check"),
        "columns": L("missing_column"), "severity": L("severity"), "title": L("col_title"), "records": L("rows_affected")})
    ff[L("severity")] = ff[L("severity")].map(ui.severity_text)
    st.dataframe(ff, hide_index=True, placeholder="—", width="stretch", column_config=ui.number_columns(ff))

st.subheader(L("worst_checks"))
chg = ui.call("check_change", snap_id, agency, ui.lang())
if prev is None:
    st.caption(L("no_previous"))
else:
    st.caption(L("delta_since").format(prev=prev.name))
errors_first = chg.assign(_s=chg["severity"].map(SEVERITY_RANK)).sort_values(["_s", "n"], ascending=[True, False])
if prev is not None:
    # a check judged in only one of the snapshots: its change is not comparable, not a regression
    errors_first["change"] = [ui.count_change(v) if ok else L("not_comparable") for v, ok in zip(errors_first["change"], errors_first["comparable"])]
    # a check the previous snapshot did not judge has no previous count ("—"), not a count of 0
    errors_first["n_previous"] = errors_first["n_previous"].astype("Int64").where(errors_first["comparable"].astype(bool), pd.NA)
worst = errors_first.drop(columns=["_s", "comparable"], errors="ignore")[["title", "n", "n_previous", "change", "severity", "dimension"]]
# as tall as its rows (a short list left empty rows under it), at most 320 px
ui.table(worst, width="stretch", height=min(320, 38 + 35 * max(len(worst), 1)))

check = ui.qp_select(L("examples_for"), errors_first["check_id"].tolist(), "check", format_func=ui.check_title)
if check:
    # what the check asks, whole (the rules page's detail): its title alone may not say enough to fix it
    st.page_link("pages/rules.py", label=L("rule_link"), query_params=ui.link_params(rule=check))
    ex = ui.call("examples", snap_id, check, agency, 5, lang=ui.lang())
    ex = ex[["record_id", "suggestion"] + [c for c in ex.columns if c not in ("record_id", "suggestion")]]   # the fix in view, not past 1440 px
    ev = ui.table(ex, width="stretch", on_select="rerun", selection_mode="single-row", key=f"examples_{ui.lang()}")
    if (rid := ui.selected_record(ev, ex)) is not None:
        ui.open_record(rid)

st.subheader(L("per_dataset"))
ds = ui.call("datasets", snap_id, agency)
if "profile" in ds:
    ds = ds.assign(profile=ds["profile"].map(ui.profile_name))
show = (["dataset_id", "dataset_name", "profile", "records", "records_no_error", "usable_1km", "species", "score_overall"]
        + [f"score_{d}" for d in dims] + ["share_gold", "share_silver", "share_bronze"])
show = [c for c in show if c in ds]
ds = ds.assign(**{c: ui.bar_share(ds[c]) for c in show if c.startswith(("score_", "share_"))})
ui.table(ds[show], width="stretch",
         column_config={c: st.column_config.ProgressColumn(ui.header(c), format="percent", min_value=0, max_value=1)
                        for c in show if c.startswith(("score_", "share_"))})
if prev is not None:
    st.caption(L("tiers_change"))
    tch = ui.call("tier_change", snap_id, agency)
    tshow = ["dataset_id"] + [f"tier_{t}_{k}" for t in ("gold", "silver", "bronze") for k in ("share", "share_prev", "change")]
    tch = tch[[c for c in tshow if c in tch]].copy()
    # shares in per cent with one decimal as on the cards above, their change in percentage points
    # written as the cards write it (a printf format read no change as "+0.0 pp")
    for c in tch.columns:
        if c.startswith("tier_"):
            tch[c] = tch[c].map(lambda x: None if pd.isna(x) else ui.pp_change(x)) if c.endswith("_change") \
                else (ui.bar_share(tch[c]) * 100).round(1)     # as shown (the table's CSV download gave 99.24726911102975)
    ui.table(tch, width="stretch",
             column_config={c: (st.column_config.TextColumn(ui.header(c)) if c.endswith("_change")
                                else st.column_config.NumberColumn(ui.header(c), format="%.1f%%"))
                            for c in tch.columns if c.startswith("tier_")})

st.subheader(L("fix_list"))
st.caption(L("fix_list_help"))
c1, c2 = st.columns(2)
with c1:
    # the errors first; an agency without record errors gets its warnings (an empty picker showed nothing)
    default = [c for c in chg[chg["severity"] == "error"]["check_id"] if not c.startswith("MISSING_")] or \
        [c for c in chg[chg["severity"] == "warning"]["check_id"] if not c.startswith("MISSING_")]
    chosen = ui.qp_multiselect(L("checks"), chg["check_id"].tolist(), "fixchecks", default=default, format_func=ui.check_title)
with c2:
    ds_name = ui.call("dataset_names", snap_id, agency)
    dataset = ui.qp_select(L("dataset"), [None] + ds["dataset_id"].tolist(), "dataset",
                           format_func=lambda x: L("all_datasets") if x is None else ds_name.get(x, x))
if chosen:
    fl = store.fix_list_headers(ui.call("fix_list", snap_id, agency, chosen, dataset, ui.lang()), ui.lang())
    st.write(ui.rows_text(len(fl)))
    st.caption(L("click_row_for_record"))
    # on screen the problem comes before the codes; the check id, for the files, goes last. The source row is
    # where the agency finds the record in its own file: beside the record id (after the source file's long
    # name it was off the grid's right edge: a walk)
    first = [c for c in (L("fl_record_id"), L("fl_source_row"), L("fl_title"), L("fl_severity"), L("fl_values"), L("fl_suggestion")) if c in fl.columns]
    shown = fl.head(200)[first + [c for c in fl.columns if c not in first and c != L("fl_check_id")] + [L("fl_check_id")]]
    ev = ui.table(shown, width="stretch", on_select="rerun", selection_mode="single-row", key=f"fixlist_{ui.lang()}")
    if (rid := ui.selected_record(ev, fl, L("fl_record_id"))) is not None:
        ui.open_record(rid)
    name = store.fix_list_name(ui.agency_text(agency), snap_id, ui.lang())
    d1, d2 = st.columns(2)
    # files are made when the button is clicked, not on every rerun of the page
    d1.download_button(L("download_csv"), lambda: store.fix_list_csv(fl), f"{name}.csv", "text/csv", on_click="ignore")
    d2.download_button(L("download_xlsx"), lambda sheet=L("fixlist_sheet"): store.fix_list_xlsx(fl, sheet)[0], f"{name}.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore")
    if len(fl) > store.EXCEL_MAX_ROWS:
        st.warning(L("xlsx_cut"))
else:
    st.info(L("fix_choose") if len(chg) else L("fix_nothing"))
