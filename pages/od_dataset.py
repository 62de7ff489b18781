"""One open dataset, as data.gov.tw shows one: badge, licence, formats, update history, findings, portal link."""
import pandas as pd
import streamlit as st

from dq import opendata, ui
from dq.i18n import catalogue_time, counted, encoding_text, format_text, frequency_text, licence_text
from dq.ui import L

ui.ensure_app()

st.title(L("od_dataset"))
st.caption(L("od13_ds_intro"))
snaps = [s.name for s in opendata.snapshots()]
if not snaps:
    st.error(L("od_no_snapshot"))
    st.stop()
zh = ui.lang() == "zh"
lang = "zh" if zh else "en"
series_of = {s.name: opendata.series(s) for s in opendata.snapshots()}
# the catalogue the open-data quality page opens on, so that both pages start from the same one
od = ui.qp_select(L("od_snapshot"), snaps, "od", default_index=snaps.index(opendata.default_snapshot().name),
                  format_func=lambda s: f"{s} · {opendata.series_label(series_of[s], lang)}", pin=True)
key = st.query_params.get("ds")
d = ui.od_call("dataset_detail", od, key, ui.lang()) if key else None
if key and d is None:
    # another catalogue picked above: the same dataset in it, as the history table below matches it (its key
    # there is another; the page said "no such dataset" of a dataset that table listed in that catalogue)
    seen = st.session_state.get("od_ds_seen")
    found = ui.od_call("same_dataset", od, key, seen[0] if seen and seen[1] == key else None)
    if found is not None:
        key = found
        st.query_params["ds"] = key
        d = ui.od_call("dataset_detail", od, key, ui.lang())
    else:
        st.warning(L("od13_ds_missing").format(snap=od))
        # the pickers below stand for the dataset now: a stale key left in the link reopened its dataset
        # when another catalogue was picked (a review)
        st.query_params.pop("ds", None)
# The agency and dataset pickers are always there and live in the URL (ds, odagency): a dataset picked in them
# went into no link, so a shared link opened another (a browser walk). A link naming a dataset alone gets its
# agency; an agency picked that is not the dataset's stands for a new choice of dataset.
m = ui.od_call("agency_metrics", od, "agency")
agencies = m["agency"].tolist()
if d is not None and d["row"]["agency"] in agencies:
    if "odagency" not in st.query_params:
        st.query_params["odagency"] = d["row"]["agency"]
    elif st.query_params["odagency"] != d["row"]["agency"]:
        d, key = None, None
        st.query_params.pop("ds", None)
# how to pick one, said beside the pickers once: an info box "click a dataset …" stayed above the dataset the
# pickers had opened (a walk)
st.caption(L("od13_ds_pick"))
# pinned: the first agency, a default, left the link, and the page then wrote the dataset's agency back over the
# user's pick (every agency picked snapped back to 交通部中央氣象署: a walk)
ag = ui.qp_select(L("agency"), agencies, "odagency", format_func=ui.agency_text, pin=True)
dsl = ui.od_call("datasets", od, ag)
names = dict(zip(dsl["dataset_key"].astype(str), dsl["dataset_name"].fillna("")))
key = ui.qp_select(L("dataset"), list(names), "ds", format_func=lambda k: names.get(k, k), pin=True)
d = ui.od_call("dataset_detail", od, key, ui.lang()) if key else None
if d is None:
    st.stop()
st.session_state["od_ds_seen"] = (od, key)
row = d["row"]


@st.cache_data(show_spinner=False, max_entries=64)
def history(dataset_id, name, agency):
    return opendata.dataset_history(dataset_id, name, agency)


def val(x, field: str | None = None):
    """A catalogue value, or why there is none: a field the catalogue has left blank for this dataset (it is
    among the dataset's missing metadata) is "not given"; "not in this catalogue" only where it lacks the field."""
    if x is None or (not isinstance(x, str) and pd.isna(x)):
        blank = field is not None and opendata.META_FIELDS.get(field) in list(row["meta_missing"])
        return L("od13_blank_field") if blank else L("od13_not_judged_field")
    return x


st.header(row["dataset_name"] or row["dataset_key"])
raw = row.get("agency_raw")
st.write(f"**{L('agency')}**{ui.colon()}{ui.agency_text(row['agency'])}" + (ui.paren(raw) if isinstance(raw, str) and raw != row["agency"] else ""))
if d["url"]:
    st.link_button(L("od13_portal_link"), d["url"])
else:
    st.caption(L("od13_no_portal"))
c = st.columns(4)
c[0].metric(L("od13_badge"), L("od13_badge_" + row["badge"]) if isinstance(row["badge"], str) else "—",
            help=None if isinstance(row["badge"], str) else L("od13_not_judged_field"))
c[1].metric(L("od13_stars"), "—" if pd.isna(row["stars"]) else f"{int(row['stars'])} ★")
# a card's value in large type: why there is none goes under "?" (the English "not in this catalogue" was cut)
freq = frequency_text(row["update_frequency"], ui.lang())
c[2].metric(L("od13_frequency"), val(freq, "update_frequency") if isinstance(freq, str) else "—",
            help=None if isinstance(freq, str) else val(freq, "update_frequency"))
c[3].metric(L("od13_last_update"), "—" if pd.isna(row["last_update"]) else str(row["last_update"])[:10])
st.dataframe(pd.DataFrame({L("field"): [L("od13_licence"), L("od13_formats"), L("od13_listed"), L("od13_views"), L("od13_downloads"),
                                        L("od13_meta_missing")],
                           L("od13_value"): [str(val(licence_text(row["license"], ui.lang()), "license")), str(val(format_text(row["formats"], ui.lang()), "file_format")), str(catalogue_time(val(row["listed_date"]))),
                                                "—" if pd.isna(row["views"]) else f"{int(row['views']):,}",
                                                "—" if pd.isna(row["downloads"]) else f"{int(row['downloads']):,}",
                                                ("、".join(row["meta_missing"]) if zh else ", ".join(row["meta_missing_en"])) if len(row["meta_missing"]) else "—"]}),
             hide_index=True, placeholder="—", width="stretch")

st.subheader(L("od13_findings"))
if len(d["flags"]):
    from dq.checks import by_id
    checks = by_id()
    fl = d["flags"].assign(message_zh=d["flags"]["check_id"].map(lambda c: checks[c].explain_zh if zh else checks[c].explain_en),
                           check_id=d["flags"]["check_id"].map(ui.check_title), severity=d["flags"]["severity"].map(ui.severity_text))
    st.dataframe(fl.rename(columns={"check_id": L("check"), "severity": L("severity"), "message_zh": L("explanation"),
                                    "suggestion": L("suggestion")}), hide_index=True, placeholder="—", width="stretch")
else:
    # no finding is a clean bill only where the catalogue gave what the checks judge
    unjudged = [L(lab) for f, lab in (("badge", "od13_badge"), ("license", "od13_licence"), ("formats", "od13_formats"),
                                      ("update_frequency", "od13_frequency"), ("last_update", "od13_last_update"))
                if f in row and (row[f] is None or (isinstance(row[f], float) and row[f] != row[f]) or row[f] is pd.NaT)]
    if unjudged:
        st.info(L("od13_no_findings_partial").format(fields=L("list_sep").join(unjudged)))
    else:
        st.success(L("od13_no_findings"))

st.subheader(L("od13_resources"))
res = d["resources"][["file_format", "encoding", "download_url", "resource_updated", "volume"]].copy()
# a bare number says its unit (records; a document's files, as the catalogue counts them); a city portal's
# free text (約10筆, 222k) is shown as written
res["volume"] = [v if v is None or not str(v).isdigit() else
                 L(counted("od13_volume_files" if opendata.is_document_format(f) else "od13_volume_records", int(v))).format(n=f"{int(v):,}")
                 for v, f in zip(res["volume"], res["file_format"])]
res["encoding"] = res["encoding"].map(lambda v: encoding_text(v, ui.lang()))
res["file_format"] = res["file_format"].map(lambda v: format_text(v, ui.lang()))
res["resource_updated"] = res["resource_updated"].map(catalogue_time)
# a file without a URL shows the table's placeholder, not a "—" drawn as a link
res = res.assign(**{c: res[c].fillna("—") for c in res.columns if c != "download_url"})
st.dataframe(res.rename(columns={
    "file_format": L("od13_file_format"), "encoding": L("od13_encoding"), "download_url": L("od13_url"),
    "resource_updated": L("od13_updated"), "volume": L("od13_volume")}), hide_index=True, placeholder="—", width="stretch",
    column_config={L("od13_url"): st.column_config.LinkColumn(L("od13_url")),
                   L("od13_volume"): st.column_config.TextColumn(L("od13_volume"), help=L("od13_volume_help"))})

st.subheader(L("od13_history"))
st.caption(L("od13_history_help"))
h = history(row["dataset_id"], row["dataset_name"], row["agency"])
if len(h):
    h = h.assign(series=h["series"].map(lambda s: opendata.series_label(s, lang)),
                 badge=h["badge"].map(lambda b: L("od13_badge_" + b) if isinstance(b, str) else "—"),
                 last_update=h["last_update"].map(lambda x: "—" if pd.isna(x) else str(x)[:10]),
                 views=h["views"].map(lambda x: "—" if pd.isna(x) else f"{int(x):,}"),
                 downloads=h["downloads"].map(lambda x: "—" if pd.isna(x) else f"{int(x):,}"),
                 update_frequency=h["update_frequency"].map(lambda x: frequency_text(x, ui.lang())),
                 license=h["license"].map(lambda x: licence_text(x, ui.lang())),
                 formats=h["formats"].map(lambda x: format_text(x, ui.lang()))).fillna("—")
    st.dataframe(h[["snapshot", "series", "badge", "license", "formats", "update_frequency", "last_update", "views", "downloads"]].rename(columns={
        "snapshot": L("snapshot"), "series": L("od13_series"), "badge": L("od13_badge"), "license": L("od13_licence"),
        "formats": L("od13_formats"), "update_frequency": L("od13_frequency"), "last_update": L("od13_last_update"),
        "views": L("od13_views"), "downloads": L("od13_downloads")}), hide_index=True, placeholder="—", width="stretch")
