"""Readable zh-TW reports (self-contained HTML: no scripts, no internet needed to open)."""
from __future__ import annotations

import html
from pathlib import Path

from . import duck
from .checks import DIMENSION_ZH, by_id
from .i18n import t

SEV_ZH = {"error": "錯誤", "warning": "警告", "info": "提示"}
CSS = """body{font-family:'Noto Sans CJK TC','Noto Sans TC','Microsoft JhengHei',sans-serif;max-width:60rem;margin:2rem auto;color:#222;line-height:1.5}
h1{font-size:1.5rem}h2{font-size:1.15rem;border-bottom:1px solid #ccc;margin-top:2rem}table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.5rem 0}
td,th{border:1px solid #ccc;padding:.25rem .4rem;text-align:left;vertical-align:top}th{background:#f2f2f2}
.error{color:#b2182b;font-weight:bold}.warning{color:#8c510a;font-weight:bold}.info{color:#2166ac}
.kpi{display:inline-block;margin:0 1.5rem 1rem 0}.kpi b{display:block;font-size:1.6rem}@media print{body{margin:0}}"""

EXAMPLE_COLS = ["source_row", "scientificName", "vernacularName", "eventDate", "decimalLatitude", "decimalLongitude",
                "verbatimLatitude", "verbatimLongitude", "verbatimSRS", "verbatimLocality", "organismQuantity"]


def _e(v) -> str:
    return html.escape("" if v is None else str(v))


def validation_html(summary: dict, snap: Path, examples: int = 5) -> str:
    cat = by_id()
    con = duck.connect(spatial=False)
    occ = duck.q(snap / "occurrence.parquet")
    flags = duck.q(snap / "flags.parquet")
    parts = [f"<!doctype html><html lang='zh-Hant'><head><meta charset='utf-8'><title>資料檢核報告 {_e(summary['file'])}</title><style>{CSS}</style></head><body>",
             f"<h1>資料檢核報告：{_e(summary['file'])}</h1>",
             f"<p>依《生態檢核資料共享標準》v1.0 與本工具檢核規則檢查。資料表類型：{_e(summary['table'])}；格式 {_e(summary['format'])}，編碼 {_e(summary['encoding'])}。</p>",
             f"<div class='kpi'>讀入列數<b>{summary['rows_read']:,}</b></div>",
             f"<div class='kpi'>檢核列數<b>{summary['rows_checked']:,}</b></div>",
             f"<div class='kpi'>無法解析而退回<b>{summary['rows_rejected']:,}</b></div>",
             f"<div class='kpi'>含錯誤的列<b>{summary['rows_with_errors']:,}</b></div>",
             f"<div class='kpi'>未發現（數量 0）紀錄<b>{summary.get('rows_absence', 0):,}</b></div>",
             "<h2>問題總覽</h2><table><tr><th>規則</th><th>嚴重度</th><th>面向</th><th>說明</th><th>筆數</th></tr>"]
    for cid, info in summary["checks"].items():
        c = cat[cid]
        parts.append(f"<tr><td>{cid}</td><td class='{c.severity}'>{SEV_ZH[c.severity]}</td><td>{DIMENSION_ZH[c.dimension]}</td>"
                     f"<td>{_e(c.title_zh)}</td><td>{info['count']:,}</td></tr>")
    parts.append("</table>")
    if not summary["checks"]:
        parts.append("<p>沒有發現任何問題。</p>")
    for cid, info in summary["checks"].items():
        c = cat[cid]
        cols = [x for x in EXAMPLE_COLS if x]
        rows = con.execute(f"""SELECT {', '.join('o."' + x + '"' for x in cols)}, f.suggestion FROM read_parquet({flags}) f
                               JOIN read_parquet({occ}) o USING (record_id) WHERE f.check_id = ? ORDER BY o.source_row LIMIT {examples}""",
                           [cid]).fetchall()
        keep = [i for i in range(len(cols)) if any(r[i] not in (None, "") for r in rows)]
        parts.append(f"<h2 id='{cid}'>{_e(c.title_zh)} <small>({cid}，<span class='{c.severity}'>{SEV_ZH[c.severity]}</span>，{info['count']:,} 筆)</small></h2>")
        parts.append(f"<p>{_e(c.explain_zh)}</p>")
        parts.append("<table><tr>" + "".join(f"<th>{'列號' if cols[i] == 'source_row' else cols[i]}</th>" for i in keep) + "<th>建議修正</th></tr>")
        for r in rows:
            parts.append("<tr>" + "".join(f"<td>{_e(r[i])}</td>" for i in keep) + f"<td>{_e(r[-1])}</td></tr>")
        parts.append("</table>")
    if summary.get("columns_extra"):
        parts.append("<h2>未對應的欄位</h2><p>以下欄位不屬於標準，已原樣保留：" + "、".join(_e(x) for x in summary["columns_extra"]) + "</p>")
    # the same plan the reader used (dq.sources.mapping): every mapping, every refusal and why
    parts.append("<h2>欄位對應</h2><table><tr><th>原始欄名</th><th>對應 Darwin Core 欄位</th><th>方式</th><th>說明</th></tr>")
    plan = summary.get("columns_plan") or [{"header": k, "term": v, "how": "alias", "note_zh": ""}
                                           for k, v in summary.get("columns_mapped", {}).items()]
    for r in plan:
        cls = " class='warning'" if r["how"] in ("refused", "values") else ""
        parts.append(f"<tr><td>{_e(r['header'])}</td><td>{_e(r['term'] or '—')}</td><td{cls}>{_e(t('how_' + r['how']))}</td>"
                     f"<td>{_e(r.get('note_zh'))}</td></tr>")
    parts.append("</table><p>完整逐列結果見 annotated.csv（dq_errors、dq_warnings、dq_suggestions 欄）。</p></body></html>")
    con.close()
    return "".join(parts)
