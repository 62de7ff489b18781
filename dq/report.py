"""Readable zh-TW reports (self-contained HTML: no scripts, no internet needed to open)."""
from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from . import duck, store
from .checks import DIMENSION_ZH, by_id
from .i18n import LABELS, counted, note_text, t
from .sources.aliases import CANONICAL, shown_term
from .sources.mapping import BY_VALUES

CANONICAL_SET = set(CANONICAL)

CSS = """body{font-family:'Noto Sans CJK TC','Noto Sans TC','Microsoft JhengHei',sans-serif;max-width:60rem;margin:2rem auto;color:#222;line-height:1.5}
h1{font-size:1.5rem}h2{font-size:1.15rem;border-bottom:1px solid #ccc;margin-top:2rem}table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.5rem 0}
td,th{border:1px solid #ccc;padding:.25rem .4rem;text-align:left;vertical-align:top}th{background:#f2f2f2}
.error{color:#b2182b;font-weight:bold}.warning{color:#8c510a;font-weight:bold}.info{color:#2166ac}
.kpi{display:inline-block;margin:0 1.5rem 1rem 0}.kpi b{display:block;font-size:1.6rem}.kpi small{display:block;color:#666}
.verdict{padding:.6rem 1rem;border-radius:4px;margin:1rem 0}.verdict.ok{background:#e6f4ea;border:1px solid #2e7d32}
.verdict.bad{background:#fdecea;border:1px solid #b2182b}.note{color:#555;font-size:.85rem}h3{font-size:1rem;margin-top:1.5rem}
@media print{body{margin:0}}"""
# the English report in a Latin face first: in a CJK face its curly quotes are full-width ("“Rows with errors”   counts")
CSS_EN = CSS.replace("font-family:'Noto Sans CJK TC',", "font-family:Arial,'Helvetica Neue','DejaVu Sans','Noto Sans CJK TC',", 1)

EXAMPLE_COLS = ["source_row", "scientificName", "vernacularName", "eventDate", "decimalLatitude", "decimalLongitude",
                "verbatimLatitude", "verbatimLongitude", "verbatimSRS", "verbatimLocality", "organismQuantity"]


def _e(v) -> str:
    return html.escape("" if v is None else str(v))


def _field(term: str, lang: str) -> str:
    """A column's heading in the report's language, as the pages head it."""
    from .i18n import column_heading
    return column_heading(term, lang)


def _kind(kind: str, lang: str) -> str:
    """A table kind's name (occurrence → 出現紀錄), never the internal key."""
    return t(f"table_{kind}", lang) if f"table_{kind}" in LABELS else kind


def _bdq_section(summary: dict, n_checked: int, L, en: bool) -> list[str]:
    """The BDQ tests in short: those that found issues on the file's records (records per test) and,
    once for the file, those failed for columns it lacks and those it gave nothing to judge."""
    from .checks.bdq import BY_LABEL
    counts = summary.get("bdq") or {}
    if not counts:
        return []
    title = (lambda lab: BY_LABEL[lab].title_en) if en else (lambda lab: BY_LABEL[lab].title_zh)
    found = sorted(((lab, sum(v.get(s, 0) for s in ("NOT_COMPLIANT", "POTENTIAL_ISSUE"))) for lab, v in counts.items() if lab in BY_LABEL),
                   key=lambda x: (-x[1], x[0]))
    lacking = [lab for lab in summary.get("bdq_failed_for_missing_columns", []) if lab in BY_LABEL]
    found = [(lab, n) for lab, n in found if n and lab not in lacking]
    out = [f"<h2>{L('vr_bdq')}</h2>", f"<p>{L('vr_bdq_help')}</p>"]
    # an event table's parent events: the tests judge them as rows, the checks above leave them to the events
    # under them (BBS Taiwan's events: 2,543 empty latitudes here beside 339 "coordinates missing" above)
    if summary.get("rows_parent_events"):
        out.append(f"<p class='note'>{_e(L('vr_bdq_parents').format(n=summary['rows_parent_events']))}</p>")
    if found:
        out.append(f"<p><b>{L('vr_bdq_found')}</b></p><table><tr><th>{L('col_title')}</th><th>{L('count')}</th><th>%</th>"
                   f"<th>{L('col_check_id')}</th></tr>")
        # a test's note says where its answer reads otherwise than a reader expects (a date written 2015/7/26
        # is "inconsistent" with the year column that agrees with it)
        note = (lambda lab: BY_LABEL[lab].note_en) if en else (lambda lab: BY_LABEL[lab].note_zh)
        out += [f"<tr><td>{_e(title(lab))}" + (f"<br/><small>{_e(note(lab))}</small>" if note(lab) else "") +
                f"</td><td>{n:,}</td><td>{n / n_checked * 100:.1f}</td><td class='note'>{lab}</td></tr>"
                for lab, n in found]
        out.append("</table>")
    sep = ", " if en else "、"
    join = lambda labs: sep.join(title(lab) for lab in labs)   # noqa: E731
    if lacking:
        out.append(f"<p>{_e(L('vr_bdq_lacking').format(n=len(lacking), tests=join(lacking)))}</p>")
    nowhere = [lab for lab in summary.get("bdq_judged_nowhere", []) if lab in BY_LABEL]
    if nowhere:
        out.append(f"<p>{_e(L('vr_bdq_nowhere').format(n=len(nowhere), tests=join(nowhere)))}</p>")
    off = [lab for lab in summary.get("bdq_not_applicable", []) if lab in BY_LABEL]
    if off:
        from .profiles import by_id
        prof = by_id()[summary["profile"]].name("en" if en else "zh")
        out.append(f"<p>{_e(L('vr_bdq_not_applicable').format(n=len(off), profile=prof, tests=join(off)))}</p>")
    return out


def validation_html(summary: dict, snap: Path, examples: int = 5, lang: str = "zh") -> str:
    """The validate report in the order a data manager acts on it: verdict → column mapping →
    file-level findings → record-level checks with counts and examples."""
    en = lang == "en"
    L = lambda k: t(k, lang)   # noqa: E731
    sev = lambda s: L("sev_" + s)   # noqa: E731
    dim = (lambda d: d.replace("_", " ").capitalize()) if en else DIMENSION_ZH.get
    title = (lambda c: c.title_en) if en else (lambda c: c.title_zh)
    cat = by_id()
    con = duck.connect(spatial=False)
    flags = duck.q(snap / "flags.parquet")
    n_checked = summary["rows_checked"] or 1
    colon = ": " if en else "："
    notes = [n for n in summary.get("notes") or [] if not n.startswith("sheet '")]
    parts = [f"<!doctype html><html lang='{'en' if en else 'zh-Hant'}'><head><meta charset='utf-8'><title>{L('vr_title')} {_e(summary['file'])}</title><style>{CSS_EN if en else CSS}</style></head><body>",
             f"<h1>{L('vr_title')}{colon}{_e(summary['file'])}</h1>",
             f"<p>{_e(_meta(summary, lang, L))}</p>",
             *([f"<p>{_e(_sheets(summary['sheets'], L, en))}</p>"] if summary.get("sheets") else []),
             # how the file was read (a title row above the header, ragged rows, a guessed encoding); the
             # sheet is said just above
             *([f"<p><b>{L('read_notes')}</b>{colon}</p><ul>" + "".join(f"<li>{_e(note_text(n, lang))}</li>" for n in notes)
                + "</ul>"] if notes else []),
             f"<p><b>{L('vr_profile')}</b>{colon}{_e(summary['profile_name_en' if en else 'profile_name_zh'])}"
             f"{' (' if en else '（'}{_e(summary['profile_reason_en' if en else 'profile_reason_zh'])}{')' if en else '）'}</p>"]
    # 1. verdict
    todo = []
    lost = summary["rows_rejected"] - summary.get("rows_rejected_blank", 0)
    if lost:
        todo.append(L("vr_todo_rejected").format(n=lost))
    # one item per column to add, naming every check that asks for it (a file judged by hand as eco-check was told
    # "add eventDate / year" twice: for the date missing and for the mandatory field: a walk)
    by_cols: dict[str, list[str]] = {}
    for cid, f in summary["file_findings"].items():
        if f["severity"] == "error":
            by_cols.setdefault(" / ".join(f["columns"]), []).append(title(cat[cid]))
    todo += [L("vr_todo_column").format(cols=cols, title=("; " if en else "；").join(titles)) for cols, titles in by_cols.items()]
    errs = [(cid, i) for cid, i in summary["checks"].items() if i["severity"] == "error"]
    for cid, info in errs:
        todo.append(L("vr_todo_records").format(n=info["count"], title=title(cat[cid]))
                    + (L("vr_todo_below").format(n=info["below_table"]) if info.get("below_table") else ""))
    if summary["verdict"] == "ready":
        parts.append(f"<div class='verdict ok'><b>{L('vr_ready')}</b></div>")
    elif summary["verdict"] == "empty":
        parts.append(f"<div class='verdict bad'><b>{L('vr_empty')}</b></div>")
    else:
        parts.append(f"<div class='verdict bad'><b>{L('vr_fix_first')}</b><ol>" + "".join(f"<li>{_e(x)}</li>" for x in todo) + "</ol></div>")
    kp = [("rows_read", summary["rows_read"]), ("rows_checked", summary["rows_checked"]),
          ("rows_rejected", summary["rows_rejected"]), ("rows_with_errors", summary["rows_with_errors"])]
    blank = summary.get("rows_rejected_blank", 0)
    parts += [f"<div class='kpi'>{L(k)}<b>{v:,}</b>"
              + (f"<small>{L('vr_rejected_blank').format(n=blank)}</small>" if k == "rows_rejected" and blank else "")
              + "</div>" for k, v in kp]
    if summary.get("rows_absence"):
        parts.append(f"<div class='kpi'>{L('rows_absence')}<b>{summary['rows_absence']:,}</b></div>")
    if summary.get("rows_parent_events"):
        parts.append(f"<div class='kpi'>{L('rows_parent_events')}<b>{summary['rows_parent_events']:,}</b>"
                     f"<small>{L('rows_parent_events_help')}</small></div>")
    if summary.get("completeness") is not None:
        parts.append(f"<div class='kpi'>{L('vr_completeness')}<b>{summary['completeness'] * 100:.1f}%</b></div>")
    tiers = summary.get("tiers") or {}
    if _graded(summary):
        parts.append(f"<div class='kpi'>{L('tiers')}<b>" + " / ".join(f"{tiers.get(k, 0):,}" for k in ("gold", "silver", "bronze")) +
                     f"</b><small>{L('tier_gold')} / {L('tier_silver')} / {L('tier_bronze')}</small></div>")
    parts += _tier_gaps(summary, L)
    parts.append(f"<p class='note'>{L('vr_rows_with_errors_note')}</p>")
    # 2. column mapping: the plan the reader used (dq.sources.mapping: every mapping, every refusal and
    #    why), and mapped columns whose values still mostly do not fit their term
    sus = {s["column"]: s for s in summary.get("columns_suspicious", [])}
    parts.append(f"<h2>{L('vr_mapping')}</h2><table><tr><th>{L('vr_source_col')}</th><th>{L('vr_term')}</th>"
                 f"<th>{L('col_how')}</th><th>{L('vr_note')}</th></tr>")
    plan = summary.get("columns_plan") or (
        [{"header": k, "term": v, "how": "alias"} for k, v in summary.get("columns_mapped", {}).items()]
        + [{"header": k, "term": None, "how": "extra", "note_zh": L("vr_unknown_col"), "note_en": L("vr_unknown_col")}
           for k in summary.get("columns_extra", [])])
    for r in plan:
        cls = " class='warning'" if r["how"] in BY_VALUES else ""
        note = _e(r.get("note_en" if en else "note_zh") or "")
        if r["header"] in sus:
            s_ = sus[r["header"]]
            ex = _e(("; " if en else "、").join(map(str, s_['examples'])))
            note += (f"<span class='warning'>{L('vr_suspicious')}</span>: {_e(s_['reason_en'])} ({s_['share'] * 100:.0f}%; "
                     f"{L('example')}: {ex}) {L('vr_suspicious_fix')}" if en else
                     f"<span class='warning'>{L('vr_suspicious')}</span>：{_e(s_['reason_zh'])}"
                     f"（{s_['share'] * 100:.0f}%；{L('example')}：{ex}）{L('vr_suspicious_fix')}")
        parts.append(f"<tr><td>{_e(r['header'])}</td><td>{_e(shown_term(r['term']) or '—')}</td><td{cls}>{_e(L('how_' + r['how']))}</td>"
                     f"<td>{note}</td></tr>")
    parts.append("</table>")
    # 3. file-level findings
    parts.append(f"<h2>{L('vr_file_level')}</h2><p class='note'>{L('vr_file_level_help')}</p>")
    if summary["file_findings"]:
        # titles for the reader; the check id only in its own last column, under a translated heading
        parts.append(f"<table><tr><th>{L('vr_missing_col')}</th><th>{L('col_title')}</th><th>{L('severity')}</th><th>{L('vr_rows_affected')}</th>"
                     f"<th>{L('col_check_id')}</th></tr>")
        for cid, f in summary["file_findings"].items():
            c = cat[cid]
            parts.append(f"<tr><td><b>{_e(' / '.join(f['columns']))}</b></td><td>{_e(title(c))}</td><td class='{c.severity}'>{sev(c.severity)}</td>"
                         f"<td>{f['rows']:,}</td><td class='note'>{cid}</td></tr>")
        parts.append("</table>")
    else:
        parts.append(f"<p>{L('vr_none')}</p>")
    if summary.get("event_file_hint"):
        parts.append(f"<p class='note'>{_e(L('event_file_hint'))}</p>")
    if summary.get("site_file_hint"):
        parts.append(f"<p class='note'>{_e(L('site_file_hint').format(col=summary['site_file_hint']))}</p>")
    # 4. record-level checks with counts and examples
    parts.append(f"<h2>{L('vr_record_level')}</h2>")
    if not summary["checks"]:
        parts.append(f"<p>{L('vr_none')}</p>")
    else:
        parts.append(f"<table><tr><th>{L('col_title')}</th><th>{L('severity')}</th><th>{L('dimension')}</th>"
                     f"<th>{L('count')}</th><th>%</th><th>{L('col_check_id')}</th></tr>")
        for cid, info in summary["checks"].items():
            c = cat[cid]
            parts.append(f"<tr><td><a href='#{cid}'>{_e(title(c))}</a></td><td class='{c.severity}'>{sev(c.severity)}</td><td>{_e(dim(c.dimension))}</td>"
                         f"<td>{info['count']:,}</td><td>{info['count'] / n_checked * 100:.1f}</td><td class='note'>{cid}</td></tr>")
        parts.append("</table>")
    parts += _bdq_section(summary, n_checked, L, en)
    # each check's first rows' flags (a record id orders as its source row within the file), then only those
    # records read, by constant ids (store._with_columns): joined through every flag of the check, a layout-5
    # snapshot read every row's texts (the examples of both reports cost 7.5 of validate's 27 s on a 1M-row
    # file). All checks' examples in one query and one read: a query per check, each on a connection of its
    # own, made a 133-row file's two reports take 6.7 of its 9 s
    shown = list(summary["checks"])
    # a row that is no record (a note below the table, a totals row, a repeated header) is shown by what it holds:
    # whichever of the file's columns it fills (the plant list's notes below its table were listed by row number
    # and fix alone, their content, '433906', … unseen: a walk); empty columns are left out below
    whole = [x for x in CANONICAL if x not in ("datasetName", "datasetID")]    # the tool fills these itself
    cols_of = {cid: ["source_row"] + (whole if cid.startswith("ROW_") and not cat[cid].evidence else
                                      [x for x in dict.fromkeys(cat[cid].evidence + tuple(EXAMPLE_COLS[1:])) if x in CANONICAL_SET])
               for cid in shown}
    con.register("_todo", pd.DataFrame({"check_id": shown, "todo": [cat[cid].todo(lang) for cid in shown]}, dtype=object))
    picked = con.execute(f"""SELECT f.check_id, f.record_id, coalesce({store.suggestion_col(snap, lang)}, t.todo) AS suggestion
        FROM read_parquet({flags}) f JOIN _todo t USING (check_id)
        QUALIFY row_number() OVER (PARTITION BY f.check_id ORDER BY f.record_id) <= {int(examples)}""").df()
    every = store._with_columns(snap, picked, list(dict.fromkeys(c for cs in cols_of.values() for c in cs)))
    # the examples split by check once (a filter of the frame per check and report was a third of a small
    # file's report time)
    every = every.sort_values("record_id").astype(object).where(every.notna(), None)
    at = {c: i for i, c in enumerate(every.columns)}
    by_check: dict[str, list[tuple]] = {}
    for r in every.itertuples(index=False, name=None):
        by_check.setdefault(r[at["check_id"]], []).append(r)
    for cid, info in summary["checks"].items():
        c, cols = cat[cid], cols_of[cid]
        rows = [tuple(r[at[x]] for x in cols + ["suggestion"]) for r in by_check.get(cid, [])]
        keep = [i for i in range(len(cols)) if any(r[i] not in (None, "") for r in rows)]
        lp, sp, rp = ("（", "，", "）") if not en else (" (", ", ", ")")
        parts.append(f"<h3 id='{cid}'>{_e(title(c))} <small>{lp}<span class='{c.severity}'>{sev(c.severity)}</span>{sp}{info['count']:,} {L('vr_record') if en and info['count'] == 1 else L('vr_records')}{rp}</small></h3>")
        parts.append(f"<p>{_e(c.explain_en if en else c.explain_zh)}</p>")
        parts.append("<table><tr>" + "".join(f"<th>{L('vr_row') if cols[i] == 'source_row' else _e(_field(cols[i], lang))}</th>" for i in keep) +
                     f"<th>{L('suggestion')}</th></tr>")
        for r in rows:
            parts.append("<tr>" + "".join(f"<td>{_e(r[i])}</td>" for i in keep) + f"<td>{_e(r[-1])}</td></tr>")
        parts.append("</table>")
    parts.append(f"<p>{L('vr_annotated')}</p></body></html>")
    con.close()
    return "".join(parts)


def _graded(summary: dict) -> bool:
    """TBIA's tiers grade occurrence records only: not a species list, not an event table (no tiers)."""
    return summary.get("table", "occurrence") == "occurrence" and summary.get("tiers") is not None


def _tier_gaps(summary: dict, L) -> list[str]:
    """A sentence per tier: what keeps the records below it, requirement by requirement (largest first)."""
    tiers, gaps = summary.get("tiers") or {}, summary.get("tier_gaps") or {}
    if not _graded(summary):
        return []
    out = []
    for tier, below in (("silver", "bronze"), ("gold", "silver")):
        if gaps.get(tier):
            items = L("list_sep").join(L("tier_req_n").format(what=L(f"tier_req_{k}"), n=n)
                                       for k, n in sorted(gaps[tier].items(), key=lambda kv: -kv[1]))
            out.append(f"<p class='note'>{_e(L(counted(f'vr_tier_gap_{tier}', tiers.get(below, 0))).format(n=tiers.get(below, 0), items=items))}</p>")
    if summary.get("tier_names_not_in_file"):
        out.append(f"<p class='note'>{_e(L('vr_tier_names_not_in_file').format(n=summary['tier_names_not_in_file']))}</p>")
    return out


def _sheets(sheets: dict, L, en: bool) -> str:
    """Which sheet of a workbook was read, and which were not (a list of synonyms on sheet 2 is no
    part of what was checked)."""
    others = ("、" if not en else ", ").join(f"“{s}”" if en else f"「{s}」" for s in sheets.get("not_read") or [])
    return L("vr_sheet").format(read=sheets["read"]) + (L("vr_sheets_not_read").format(others=others) if others else "")


def _meta(summary: dict, lang: str, L) -> str:
    """What kind of table and file it was; a file without a text encoding (Parquet, XLSX) says none."""
    # an event table is read as the occurrence kind (its columns are occurrence terms) but is none
    kind = _kind("event" if summary.get("profile") == "event" else summary["table"], lang)
    if not summary.get("encoding"):
        return L("vr_meta_binary").format(table=kind, format=summary["format"])
    from .i18n import encoding_name
    return L("vr_meta").format(table=kind, format=summary["format"], encoding=encoding_name(summary["encoding"], lang))
