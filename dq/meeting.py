"""The open-data advisory meeting report: one self-contained HTML file (zh-TW, inline SVG charts,
prints on A4, opens without internet) and an XLSX of the same tables, for chosen agencies and
two catalogue snapshots: what improved, what got worse, what is overdue."""
from __future__ import annotations

import html
import io
from pathlib import Path

import pandas as pd

from . import formulas, opendata
from .sources.base import SourceError
from .opendata import METRIC, METRICS, rag

RAG_BG = {"green": "#d9f0d3", "amber": "#fee8c8", "red": "#f4cccc", None: "transparent"}
CSS = """@page{size:A4;margin:14mm}body{font-family:'Noto Sans CJK TC','Noto Sans TC','Microsoft JhengHei',sans-serif;
color:#222;max-width:180mm;margin:1rem auto;font-size:10.5pt;line-height:1.45}h1{font-size:16pt}h2{font-size:13pt;border-bottom:1px solid #999;
margin-top:1.4rem;page-break-after:avoid}h3{font-size:11pt;margin:.8rem 0 .3rem}table{border-collapse:collapse;width:100%;margin:.3rem 0 .8rem;font-size:9pt}
td,th{border:1px solid #bbb;padding:2px 4px;text-align:left}th{background:#eee}td.n{text-align:right}.up{color:#1a7f37}.down{color:#b42318}
.agency{page-break-before:always}.muted{color:#666;font-size:8.5pt}svg text{font-family:inherit}"""


def _e(x) -> str:
    return html.escape("" if x is None else str(x))


def _fmt(metric: str, v) -> str:
    if _missing(v):
        return "—"
    return f"{v:.1%}" if METRIC[metric].share else f"{int(v):,}"


def _missing(x) -> bool:
    return x is None or bool(pd.isna(x))


def _verdict(metric: str, a, b) -> tuple[str, str]:
    if _missing(a) or _missing(b):
        return "—", ""
    if a == b:
        return "持平", ""
    better = (b > a) if METRIC[metric].higher_is_better else (b < a)
    return ("進步" if better else "退步"), ("up" if better else "down")


def bar_svg(title: str, labels: list[str], series: dict[str, list[float]], unit: str = "", width: int = 640) -> str:
    """Grouped horizontal bars as inline SVG (colour-blind-safe Okabe–Ito colours)."""
    colours = ["#0072B2", "#E69F00", "#009E73", "#CC79A7"]
    n_s = len(series)
    bar_h, gap, left = 12, 10, 170
    h = 40 + len(labels) * (n_s * bar_h + gap) + 20
    vals = [v for s in series.values() for v in s if not _missing(v)]
    top = max(vals) if vals else 1
    top = top or 1
    out = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{h}' role='img' aria-label='{_e(title)}'>",
           f"<text x='0' y='14' font-size='12' font-weight='bold'>{_e(title)}</text>"]
    for k, (name, _) in enumerate(series.items()):
        out.append(f"<rect x='{left + k * 150}' y='22' width='10' height='10' fill='{colours[k % 4]}'/>"
                   f"<text x='{left + k * 150 + 14}' y='31' font-size='10'>{_e(name)}</text>")
    y = 44
    for i, lab in enumerate(labels):
        out.append(f"<text x='{left - 6}' y='{y + n_s * bar_h / 2 + 4}' font-size='10' text-anchor='end'>{_e(lab)}</text>")
        for k, (_, vs) in enumerate(series.items()):
            v = vs[i]
            if _missing(v):
                out.append(f"<text x='{left + 4}' y='{y + bar_h - 2}' font-size='9' fill='#888'>—</text>")
            else:
                w = (width - left - 70) * v / top
                out.append(f"<rect x='{left}' y='{y}' width='{w:.1f}' height='{bar_h - 2}' fill='{colours[k % 4]}'/>"
                           f"<text x='{left + w + 4:.1f}' y='{y + bar_h - 3}' font-size='9'>{(f'{v:,.0f}' if abs(v) >= 10 else f'{v:.3g}')}{_e(unit)}</text>")
            y += bar_h
        y += gap
    out.append("</svg>")
    return "".join(out)


def build_tables(old: str, new: str, agencies: list[str] | None, group: str = "agency") -> dict[str, pd.DataFrame]:
    a_snap, b_snap = _snap(old), _snap(new)
    ma = opendata.agency_metrics(a_snap, group)
    mb = opendata.agency_metrics(b_snap, group)
    chosen = agencies or mb["agency"].tolist()
    keys = [m.key for m in METRICS]
    rows = []
    for ag in chosen:
        ra = ma[ma["agency"] == ag]
        rb = mb[mb["agency"] == ag]
        for k in keys:
            va = ra[k].iloc[0] if len(ra) else None
            vb = rb[k].iloc[0] if len(rb) else None
            verdict, _ = _verdict(k, va, vb)
            rows.append({"agency": ag, "metric": k, "metric_zh": METRIC[k].zh, old: va, new: vb, "verdict": verdict,
                         "rag": rag(k, vb)})
    changes = pd.DataFrame(rows)
    ds = opendata.datasets(b_snap)
    key = "agency" if group == "agency" else "parent"
    overdue = ds[(ds[key].isin(chosen)) & (ds["overdue"].fillna(False))][
        ["agency", "dataset_id", "dataset_name", "update_frequency", "last_update"]]
    fixes = opendata.fix_list(b_snap)
    fixes = fixes[fixes["agency"].isin(chosen) | fixes["agency"].isin(ds[ds[key].isin(chosen)]["agency"])]
    return {"metrics_old": ma[ma["agency"].isin(chosen)], "metrics_new": mb[mb["agency"].isin(chosen)], "changes": changes,
            "overdue": overdue, "fix_list": fixes, "all_new": mb}


def _snap(date: str) -> Path:
    for s in opendata.snapshots():
        if s.name == date:
            return s
    have = ", ".join(s.name for s in opendata.snapshots()) or "none"
    raise SourceError(f"no open-data catalogue snapshot {date} (there are: {have})")


def report_html(old: str, new: str, agencies: list[str] | None, group: str = "agency") -> str:
    t = build_tables(old, new, agencies, group)
    ch, mb = t["changes"], t["all_new"]
    chosen = list(dict.fromkeys(ch["agency"]))
    p = [f"<!doctype html><html lang='zh-Hant'><head><meta charset='utf-8'><title>開放資料品質報告 {_e(old)} → {_e(new)}</title>"
         f"<style>{CSS}</style></head><body>",
         f"<h1>政府資料開放諮詢小組　開放資料品質報告</h1><p>比較目錄快照 <b>{_e(old)}</b> 與 <b>{_e(new)}</b>；"
         f"機關 {len(chosen)} 個（{'依上級機關彙總' if group == 'parent' else '依提供機關'}）。</p>"]
    improved = (ch["verdict"] == "進步").sum()
    worse = (ch["verdict"] == "退步").sum()
    p.append(f"<h2>摘要</h2><p>可比較的指標中，<span class='up'>進步 {improved} 項</span>、<span class='down'>退步 {worse} 項</span>；"
             f"逾期未更新資料集 {len(t['overdue']):,} 筆；待修正問題 {len(t['fix_list']):,} 項。"
             "「—」表示該目錄沒有這個欄位（例如 2018 年縣市目錄沒有授權、格式、標章），不判定。</p>")
    summary = ch[ch["metric"].isin(["datasets", "share_3star", "badge_share", "overdue_share", "metadata_complete_share"])]
    p.append("<table><tr><th>機關</th>" + "".join(f"<th>{_e(METRIC[k].zh)}<br>{_e(old)}→{_e(new)}</th>"
             for k in ["datasets", "share_3star", "badge_share", "overdue_share", "metadata_complete_share"]) + "</tr>")
    for ag in chosen:
        cells = []
        for k in ["datasets", "share_3star", "badge_share", "overdue_share", "metadata_complete_share"]:
            r = summary[(summary["agency"] == ag) & (summary["metric"] == k)].iloc[0]
            _, cls = _verdict(k, r[old], r[new])
            cells.append(f"<td class='n {cls}' style='background:{RAG_BG.get(r['rag'] if isinstance(r['rag'], str) else None)}'>{_fmt(k, r[old])} → {_fmt(k, r[new])}</td>")
        p.append(f"<tr><td>{_e(ag)}</td>{''.join(cells)}</tr>")
    p.append("</table>")
    for ag in chosen:
        p.append(f"<div class='agency'><h2>{_e(ag)}</h2>")
        rows = ch[ch["agency"] == ag]
        p.append("<table><tr><th>指標</th><th>" + _e(old) + "</th><th>" + _e(new) + "</th><th>變化</th></tr>")
        judged = {d: (m.loc[m["agency"] == ag, "meta_fields_judged"].iloc[0] if (m["agency"] == ag).any() else None)
                  for d, m in ((old, t["metrics_old"]), (new, t["metrics_new"]))}
        for r in rows.to_dict("records"):
            if r["metric"] == "metadata_complete_share":
                r["metric_zh"] += "（判定欄位數 " + " → ".join("—" if _missing(v) else f"{int(v)}/9" for v in judged.values()) + "）"
            _, cls = _verdict(r["metric"], r[old], r[new])
            p.append(f"<tr><td>{_e(r['metric_zh'])}</td><td class='n'>{_fmt(r['metric'], r[old])}</td>"
                     f"<td class='n' style='background:{RAG_BG.get(r['rag'] if isinstance(r['rag'], str) else None)}'>{_fmt(r['metric'], r[new])}</td>"
                     f"<td class='{cls}'>{_e(r['verdict'])}</td></tr>")
        p.append("</table>")
        peers = opendata.peers(mb, ag)
        if len(peers) > 1:
            names = [f"{n}（本機關）" if n == ag else n for n in peers["agency"]]
            labels = ["資料集數", "白金標章", "金標章", "高應用價值", "0／1 筆資料集"]
            keys = ["datasets", "platinum", "gold", "high_value", "tiny"]
            series = {nm: [None if _missing(v) else float(v) for v in peers.iloc[i][keys]] for i, nm in enumerate(names)}
            p.append(bar_svg("與同組（" + ("中央" if peers["level"].iloc[0] == "central" else "地方") + "）資料集數前兩名比較",
                             labels, series))
        od = t["overdue"][t["overdue"]["agency"] == ag]
        p.append(f"<h3>逾期未更新（{len(od):,} 筆）</h3>")
        if len(od):
            p.append("<table><tr><th>資料集</th><th>更新頻率</th><th>最近更新</th></tr>" + "".join(
                f"<tr><td>{_e(r.dataset_name)}</td><td>{_e(r.update_frequency)}</td><td>{_e(r.last_update)}</td></tr>"
                for r in od.head(40).itertuples()) + "</table>")
        else:
            p.append("<p class='muted'>無，或目錄未提供更新頻率（不判定）。</p>")
        fx = t["fix_list"][t["fix_list"]["agency"] == ag]
        if len(fx):
            cnt = fx.groupby(["check_id", "message_zh"]).size().reset_index(name="n").sort_values("n", ascending=False)
            p.append("<h3>待修正問題</h3><table><tr><th>規則</th><th>說明</th><th>資料集數</th></tr>" + "".join(
                f"<tr><td>{_e(r.check_id)}</td><td>{_e(r.message_zh)}</td><td class='n'>{r.n:,}</td></tr>"
                for r in cnt.itertuples()) + "</table>")
        p.append("</div>")
    p.append("<h2>指標定義</h2><table><tr><th>指標</th><th>定義</th><th>燈號門檻</th></tr>")
    for m in METRICS:
        th = "—" if m.green is None else (f"綠 {'≥' if m.higher_is_better else '≤'} {m.green:.0%}，黃 {'≥' if m.higher_is_better else '≤'} {m.amber:.0%}")
        p.append(f"<tr><td>{_e(m.zh)}</td><td>{_e(m.define_zh)}</td><td>{_e(th)}</td></tr>")
    p.append("</table><p class='muted'>由 dq（臺灣生物多樣性與開放資料品質儀表板）產生；資料來源與授權見 data/README.md。</p></body></html>")
    return "".join(p)


def report_xlsx(old: str, new: str, agencies: list[str] | None, group: str = "agency") -> bytes:
    t = build_tables(old, new, agencies, group)
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        formulas.frame(t["changes"]).to_excel(xw, sheet_name="變化 changes", index=False)
        formulas.frame(t["metrics_old"]).to_excel(xw, sheet_name=f"指標 {old}"[:31], index=False)
        formulas.frame(t["metrics_new"]).to_excel(xw, sheet_name=f"指標 {new}"[:31], index=False)
        formulas.frame(t["overdue"]).to_excel(xw, sheet_name="逾期 overdue", index=False)
        formulas.frame(t["fix_list"]).to_excel(xw, sheet_name="修正清單 fix list", index=False)
    return buf.getvalue()


def write_report(old: str, new: str, agencies: list[str] | None, out: Path, group: str = "agency") -> tuple[Path, Path]:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    h = out / f"opendata_report_{old}_{new}.html"
    x = out / f"opendata_report_{old}_{new}.xlsx"
    h.write_text(report_html(old, new, agencies, group), encoding="utf-8")
    x.write_bytes(report_xlsx(old, new, agencies, group))
    return h, x
