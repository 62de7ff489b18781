"""The open-data advisory meeting report: one self-contained HTML file (zh-TW, inline SVG charts, prints
on A4, opens without internet) and an XLSX of the same tables, for the chosen agencies of one catalogue
snapshot, laid out like the meeting's own slides (環境部 政府資料開放諮詢小組): the agency's figures
beside like-for-like peers and the national benchmark, its units, formats, overdue updates and the
fix list to send back. An earlier snapshot of the same catalogue series adds what changed, judged
like with like (the datasets in both, the same fields judged); other catalogues are never compared."""
from __future__ import annotations

import datetime as dt
import html
import io
from pathlib import Path

import pandas as pd

from . import formulas, opendata
from .i18n import format_text, t as label
from .opendata import METRIC, METRICS, rag
from .sources.base import SourceError

RAG_BG = {"green": "#d9f0d3", "amber": "#fee8c8", "red": "#f4cccc", None: "transparent"}
CSS = """@page{size:A4;margin:14mm}*{box-sizing:border-box}
body{font-family:'Noto Sans CJK TC','Noto Sans TC','Microsoft JhengHei',sans-serif;color:#222;max-width:182mm;margin:1rem auto;
font-size:10pt;line-height:1.45}h1{font-size:17pt;margin:.2rem 0}h2{font-size:13pt;border-bottom:2px solid #0072B2;margin-top:1.2rem;
page-break-after:avoid}h3{font-size:11pt;margin:.8rem 0 .3rem;page-break-after:avoid}
table{border-collapse:collapse;width:100%;margin:.3rem 0 .8rem;font-size:8.8pt;page-break-inside:auto}tr{page-break-inside:avoid}
td,th{border:1px solid #bbb;padding:2px 4px;text-align:left;vertical-align:top;overflow-wrap:anywhere}th{background:#eee}td.n{text-align:right;white-space:nowrap}
.up{color:#1a7f37}.down{color:#b42318}.muted{color:#555;font-size:8.5pt}.agency{page-break-before:always}
.cover{border:1px solid #0072B2;padding:6mm 8mm;margin-bottom:4mm}.cover .unit{font-size:12pt;color:#0072B2}
.kpis{display:flex;gap:3mm;margin:.4rem 0 .6rem}.kpi{flex:1;border:1px solid #bbb;padding:2mm 3mm;text-align:center}
.kpi b{display:block;font-size:17pt;color:#0072B2}.kpi span{font-size:8.5pt}.kpi i{display:block;font-size:7.5pt;color:#666;font-style:normal}
ol.toc{columns:2;margin:.2rem 0}.cols{display:flex;gap:5mm}.cols>div{flex:1;min-width:0}ul{margin:.2rem 0 .5rem;padding-left:1.2rem}
svg{max-width:100%;height:auto}svg text{font-family:inherit}"""
# the rows of a verdict (opendata.verdict) as the report writes them
VERDICT_ZH = {"better": "進步", "worse": "退步", "same": "持平", "changed": "變動", "not_comparable": "不可比較（判定欄位不同）", "none": "—"}
VERDICT_CLS = {"better": "up", "worse": "down"}
PEER_KEYS = ["datasets", "share_3star", "open_format_share", "platinum_share", "metadata_complete_share", "utf8_share", "overdue_share"]
KPI_KEYS = ["datasets", "platinum", "gold", "high_value"]


def _e(x) -> str:
    return html.escape("" if x is None else str(x))


def _missing(x) -> bool:
    return x is None or bool(pd.isna(x))


def _fmt(metric: str, v) -> str:
    if _missing(v):
        return "—"
    return f"{v:.1%}" if METRIC[metric].share else f"{int(v):,}"


def _pct(v) -> str:
    return "—" if _missing(v) else f"{v:.1%}"


def _snap(date: str) -> Path:
    for s in opendata.snapshots():
        if s.name == date:
            return s
    have = ", ".join(s.name for s in opendata.snapshots()) or "none"
    raise SourceError(f"no open-data catalogue snapshot {date} (there are: {have})", f"沒有 {date} 的開放資料目錄快照（現有：{have}）")


def bar_svg(title: str, labels: list[str], series: dict[str, list[float]], unit: str = "", width: int = 640, share: bool = False) -> str:
    """Grouped horizontal bars as inline SVG (colour-blind-safe Okabe–Ito colours); '—' where not judged."""
    colours = ["#0072B2", "#E69F00", "#009E73", "#CC79A7"]
    n_s = len(series)
    bar_h, gap, left = 12, 10, 150
    h = 40 + len(labels) * (n_s * bar_h + gap) + 10
    vals = [v for s in series.values() for v in s if not _missing(v)]
    top = (1.0 if share else max(vals)) if vals else 1
    top = top or 1
    out = [f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {h}' width='{width}' height='{h}' role='img' aria-label='{_e(title)}'>",
           f"<text x='0' y='14' font-size='12' font-weight='bold'>{_e(title)}</text>"]
    for k, name in enumerate(series):
        out.append(f"<rect x='{left + k * 160}' y='22' width='10' height='10' fill='{colours[k % 4]}'/>"
                   f"<text x='{left + k * 160 + 14}' y='31' font-size='10'>{_e(name)}</text>")
    y = 44
    for i, lab in enumerate(labels):
        out.append(f"<text x='{left - 6}' y='{y + n_s * bar_h / 2 + 4}' font-size='10' text-anchor='end'>{_e(lab)}</text>")
        for k, vs in enumerate(series.values()):
            v = vs[i]
            if _missing(v):
                out.append(f"<text x='{left + 4}' y='{y + bar_h - 2}' font-size='9' fill='#888'>—（未判定）</text>")
            else:
                w = (width - left - 70) * v / top
                txt = f"{v:.0%}" if share else (f"{v:,.0f}" if abs(v) >= 10 else f"{v:.3g}")
                out.append(f"<rect x='{left}' y='{y}' width='{w:.1f}' height='{bar_h - 2}' fill='{colours[k % 4]}'/>"
                           f"<text x='{left + w + 4:.1f}' y='{y + bar_h - 3}' font-size='9'>{txt}{_e(unit)}</text>")
            y += bar_h
        y += gap
    out.append("</svg>")
    return "".join(out)


def pair_svg(title: str, old: str, new: str, rows: list[tuple[str, float | None, float | None]], width: int = 640) -> str:
    """Two snapshots as a pair: one line per metric from the older value to the newer (shares, 0–100 %)."""
    h = 40 + 22 * len(rows)
    x0, x1, left = 260, 520, 250
    out = [f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {h}' width='{width}' height='{h}' role='img' aria-label='{_e(title)}'>",
           f"<text x='0' y='14' font-size='12' font-weight='bold'>{_e(title)}</text>",
           f"<text x='{x0}' y='30' font-size='10' text-anchor='middle'>{_e(old)}</text><text x='{x1}' y='30' font-size='10' text-anchor='middle'>{_e(new)}</text>"]
    for i, (lab, a, b) in enumerate(rows):
        y = 46 + 22 * i
        out.append(f"<text x='{left - 6}' y='{y + 4}' font-size='10' text-anchor='end'>{_e(lab)}</text>")
        if _missing(a) or _missing(b):
            out.append(f"<text x='{x0}' y='{y + 4}' font-size='9' fill='#888'>—（不可比較）</text>")
            continue
        col = "#1a7f37" if b > a else "#b42318" if b < a else "#555"
        out.append(f"<line x1='{x0}' y1='{y}' x2='{x1}' y2='{y}' stroke='#ccc'/>"
                   f"<line x1='{x0 + 30}' y1='{y}' x2='{x1 - 30}' y2='{y}' stroke='{col}' stroke-width='2'/>"
                   f"<circle cx='{x0 + 30}' cy='{y}' r='4' fill='#999'/><circle cx='{x1 - 30}' cy='{y}' r='4' fill='{col}'/>"
                   f"<text x='{x0}' y='{y + 4}' font-size='9' text-anchor='end'>{a:.1%}</text>"
                   f"<text x='{x1}' y='{y + 4}' font-size='9'>{b:.1%}</text>")
    out.append("</svg>")
    return "".join(out)


def build_tables(old: str | None, new: str, agencies: list[str] | None, group: str = "agency") -> dict:
    """Everything the report shows, as tables (also the XLSX). `old` may be None (one snapshot, no change)."""
    b_snap = _snap(new)
    mb = opendata.agency_metrics(b_snap, group)
    chosen = [a for a in (agencies or mb["agency"].tolist())]
    key = "parent" if group == "parent" else "agency"
    cmp, note = None, None
    if old and old != new:
        a_snap = _snap(old)
        try:
            cmp = opendata.compare(a_snap, b_snap, group)
        except SourceError as e:
            note = str(e)
    rows = []
    for ag in chosen:
        rb = mb[mb["agency"] == ag]
        cur = rb.iloc[0] if len(rb) else None
        ro = rn = None
        if cmp is not None:
            o, n = cmp["old"], cmp["new"]
            ro = o[o["agency"] == ag].iloc[0] if (o["agency"] == ag).any() else None
            rn = n[n["agency"] == ag].iloc[0] if (n["agency"] == ag).any() else None
        for m in METRICS:
            v = None if cur is None else cur[m.key]
            rows.append({"agency": ag, "metric": m.key, "metric_zh": m.zh, "value": v, "rag": rag(m.key, v),
                         "kept_old": None if ro is None else ro[m.key], "kept_new": None if rn is None else rn[m.key],
                         "verdict": opendata.verdict(m.key, ro, rn) if cmp is not None else "none"})
    ds = opendata.datasets(b_snap)
    ds = ds[ds[key].isin(chosen)]
    overdue = ds[ds["overdue"].fillna(False).astype(bool)][["agency", "dataset_id", "dataset_name", "update_frequency", "last_update"]]
    fixes = opendata.fix_list(b_snap)
    fixes = fixes[fixes["dataset_key"].isin(ds["dataset_key"])]
    return {"snapshot": b_snap, "old": old if cmp is not None else None, "note": note, "metrics_new": mb[mb["agency"].isin(chosen)],
            "metrics": pd.DataFrame(rows), "compare": cmp, "overdue": overdue, "fix_list": fixes, "datasets": ds, "all_new": mb,
            "chosen": chosen, "group": group}


def _kpis(row: pd.Series | None, nat: pd.DataFrame) -> str:
    natp = nat.set_index(["kind", "key"])["national_share"] if len(nat) else {}
    cells = []
    for k in KPI_KEYS:
        v = None if row is None else row[k]
        sub = ""
        if k in ("platinum", "gold") and ("badge", k) in natp:
            sub = f"<i>全國 {natp[('badge', k)]:.1%}</i>"
        cells.append(f"<div class='kpi'><b>{_fmt(k, v)}</b><span>{_e(METRIC[k].zh)}</span>{sub or '<i>&nbsp;</i>'}</div>")
    return "<div class='kpis'>" + "".join(cells) + "</div>"


def _analysis(ag: str, row: pd.Series, peers: pd.DataFrame, missing: list[str] | None = None) -> tuple[list[str], list[str]]:
    """The slide's 資料品質分析 / 後續應辦理事項: what stands out against the peers, and what to do. `missing`:
    the metadata fields the agency's datasets leave blank, most often first (the to-do names them: it had
    listed 描述、更新頻率、編碼 to 高雄市政府, whose catalogue has no frequency or encoding and lacks only the unit)."""
    notes, todo = [], []
    others = peers[peers["agency"] != ag]
    for k in ["share_3star", "open_format_share", "metadata_complete_share", "utf8_share", "overdue_share", "platinum_share"]:
        v = row.get(k)
        if _missing(v):
            continue
        pv = [x for x in others[k].tolist() if not _missing(x)]
        colour = {"green": "綠燈", "amber": "黃燈", "red": "紅燈"}.get(rag(k, v) or "", "")
        comp = ""
        if pv:
            best = max(pv) if METRIC[k].higher_is_better else min(pv)
            ahead = (v >= best) if METRIC[k].higher_is_better else (v <= best)
            comp = "，優於同組比較機關" if ahead else f"，同組最佳 {best:.1%}"
        notes.append(f"{METRIC[k].zh} {v:.1%}{('（' + colour + '）') if colour else ''}{comp}")
        if rag(k, v) == "red":
            todo.append({"overdue_share": "依宣告頻率更新逾期資料集，或修正更新頻率",
                         "metadata_complete_share": f"補齊詮釋資料（{'、'.join(missing)}）" if missing else "補齊詮釋資料",
                         "utf8_share": "資源改以 UTF-8 編碼提供", "share_3star": "提供開放且機器可讀格式（CSV、JSON、XML）",
                         "open_format_share": "提供開放且機器可讀格式（CSV、JSON、XML）",
                         "platinum_share": "提升品質標章等級（白金）"}[k])
    return notes, todo


def report_html(old: str | None, new: str, agencies: list[str] | None, group: str = "agency") -> str:
    t = build_tables(old, new, agencies, group)
    snap, mb, ch = t["snapshot"], t["all_new"], t["metrics"]
    man = opendata.manifest(snap)
    dates = opendata.data_dates(snap)
    ser = opendata.series(snap)
    today = dt.date.today().isoformat()
    chosen = t["chosen"]
    title = "、".join(chosen[:3]) + (f" 等 {len(chosen)} 個機關" if len(chosen) > 3 else "")
    p = [f"<!doctype html><html lang='zh-Hant'><head><meta charset='utf-8'><title>開放資料品質報告 {_e(title)} {_e(new)}</title>"
         f"<style>{CSS}</style></head><body>"]
    # cover, like the meeting's first slide: who reports, on what data, when
    span = ("" if _missing(dates["oldest_update"]) else f"；目錄所載最近更新日 {dates['oldest_update']} 至 {dates['newest_update']}")
    p.append(f"<div class='cover'><div class='unit'>政府資料開放諮詢小組</div><h1>{_e(title)} 開放資料品質報告</h1>"
             f"<p>產製日期：{today}<br>資料日期：目錄快照 {_e(new)}（{_e(opendata.series_label(ser))}）{_e(span)}"
             + (f"；比較前次快照 {_e(t['old'])}（同一目錄系列，僅比較兩次都有的資料集）" if t["old"] else "") + "<br>"
             f"資料來源：{'；'.join(_e(s) for s in opendata.sources_note(snap))}；{_e(opendata.NATIONAL_2026_SOURCE[0])}<br>"
             f"讀入 {man['rows_read']:,} 列、{man['datasets']:,} 個資料集，無法使用 {man['rows_rejected']:,} 列（列入剔除清單並附原因）。</p></div>")
    if t["note"]:
        p.append(f"<p class='down'>未比較變化：{_e(t['note'])}</p>")
    elif not t["old"]:
        p.append("<p class='muted'>本報告只用一個目錄快照：同一目錄系列沒有前次快照，因此不列進步／退步。</p>")
    p.append("<h3>簡報大綱</h3><ol class='toc'><li>推動情形總覽</li><li>與規模相近機關比較</li><li>全國基準</li><li>所屬單位</li>"
             "<li>檔案格式與編碼</li><li>逾期未更新</li><li>待修正清單</li>" + ("<li>與前次比較</li>" if t["old"] else "") + "<li>指標定義</li></ol>")
    for ag in chosen:
        p.extend(_agency_section(t, ag, mb, ch, group))
    p.append("<h2>指標定義</h2><table><colgroup><col style='width:20%'><col><col style='width:24%'></colgroup>"
             "<tr><th>指標</th><th>定義</th><th>燈號門檻</th></tr>")
    for m in METRICS:
        th = "—" if m.green is None else (f"綠 {'≥' if m.higher_is_better else '≤'} {m.green:.0%}、黃 {'≥' if m.higher_is_better else '≤'} {m.amber:.0%}")
        p.append(f"<tr><td>{_e(m.zh)}</td><td>{_e(m.define_zh)}</td><td>{_e(th)}</td></tr>")
    p.append("</table><p class='muted'>「—」：這份目錄沒有判定該指標所需的欄位，不判定（不是 0）。"
             f"本報告由臺灣生物多樣性與開放資料品質儀表板產製（{today}）。</p></body></html>")
    return "".join(p)


def _agency_section(t: dict, ag: str, mb: pd.DataFrame, ch: pd.DataFrame, group: str) -> list[str]:
    snap = t["snapshot"]
    row = mb[mb["agency"] == ag].iloc[0] if (mb["agency"] == ag).any() else None
    p = [f"<div class='agency'><h2>{_e(ag)}</h2>"]
    if row is None:
        p.append(f"<p class='muted'>{_e(ag)} 不在目錄快照 {_e(snap.name)} 中。</p></div>")
        return p
    ds = t["datasets"]
    mine = ds[ds["parent" if group == "parent" else "agency"] == ag]
    raw = sorted(set(mine["agency_raw"].dropna())) if "agency_raw" in mine else []
    ren = opendata.renames(ag, raw)
    if len(ren):
        p.append("<p class='muted'>目錄所用名稱：" + "；".join(
            f"{_e(r.variant)} → 今 {_e(r.canonical)}（{_e(r.since)} 起）" for r in ren.itertuples()) + "（機關對照表）</p>")
    nat = opendata.benchmark(snap, ag, group)
    # 1 overview, like 「第一案：開放資料推動情形」
    p.append("<h3>一、推動情形總覽</h3>" + _kpis(row, nat))
    rows = ch[ch["agency"] == ag]
    judged = rows[rows["value"].notna()]
    p.append("<table><colgroup><col style='width:34%'><col style='width:14%'><col></colgroup><tr><th>指標</th><th>數值</th><th>說明</th></tr>")
    for r in judged.to_dict("records"):
        extra = ""
        if r["metric"] == "metadata_complete_share" and not _missing(row["meta_fields_judged"]):
            extra = f"判定 {int(row['meta_fields_judged'])}/9 個欄位"
        elif r["metric"] == "overdue_share" and not _missing(row["judged_update"]):
            extra = f"可判定 {int(row['judged_update']):,} 個資料集（不定期、不更新、即時／每小時不判定）"
        elif r["metric"] == "share_3star" and not _missing(row["judged_stars"]):
            extra = "授權與格式皆可判定"
        p.append(f"<tr><td>{_e(r['metric_zh'])}</td><td class='n' style='background:{RAG_BG.get(r['rag'] if isinstance(r['rag'], str) else None)}'>"
                 f"{_fmt(r['metric'], r['value'])}</td><td class='muted'>{_e(extra)}</td></tr>")
    p.append("</table>")
    unjudged = rows[rows["value"].isna()]["metric_zh"].tolist()
    if unjudged:
        p.append(f"<p class='muted'>這份目錄沒有判定下列指標所需的欄位，不判定（不是 0）：{_e('、'.join(unjudged))}。</p>")
    # 2 like-for-like peers, like the slide's 評獎結果 table (1st, 2nd, the agency)
    peers = opendata.peers(mb, ag)
    gaps = mine["meta_missing"].explode().dropna().value_counts() if "meta_missing" in mine else pd.Series(dtype=int)
    notes, todo = _analysis(ag, row, peers, [f"{f} {n:,} 個資料集" for f, n in gaps.items()])
    fx = t["fix_list"][t["fix_list"]["agency"].isin(mine["agency"])]
    if len(fx):
        from .checks import by_id
        titles = {k: c.title_zh for k, c in by_id().items()}
        top = fx.groupby("check_id")["dataset_key"].nunique().sort_values(ascending=False)
        todo += [f"{titles.get(k, k)}：{n:,} 個資料集（見待修正清單）" for k, n in top.head(4).items()]
    p.append("<h3>二、與規模相近機關比較</h3>")
    if len(peers) > 1:
        lvl = "中央" if row["level"] == "central" else "地方"
        p.append(f"<p class='muted'>同組＝同一目錄快照中的{lvl}機關，取資料集數最接近的兩個（括號內為規模倍數）。</p>")
        p.append("<table><tr><th>機關</th>" + "".join(f"<th>{_e(METRIC[k].zh)}</th>" for k in PEER_KEYS) + "</tr>")
        for r in peers.to_dict("records"):
            name = _e(r["agency"]) + ("（本機關）" if r["agency"] == ag else f"（×{r['size_ratio']:.1f}）")
            p.append(f"<tr><td>{name}</td>" + "".join(
                f"<td class='n' style='background:{RAG_BG.get(rag(k, r[k]))}'>{_fmt(k, r[k])}</td>" for k in PEER_KEYS) + "</tr>")
        p.append("</table>")
        shares = [k for k in PEER_KEYS if k != "datasets" and peers[k].notna().any()]
        if shares:
            names = [f"{a}（本機關）" if a == ag else f"{a}（×{r:.1f}）" for a, r in zip(peers["agency"], peers["size_ratio"])]
            series = {nm: [None if _missing(v) else float(v) for v in peers.iloc[i][shares]] for i, nm in enumerate(names)}
            p.append(bar_svg("與規模相近機關比較（比例）", [METRIC[k].zh for k in shares], series, share=True))
    else:
        p.append("<p class='muted'>同組沒有其他機關可比較。</p>")
    if notes or todo:
        p.append("<div class='cols'><div><b>資料品質分析</b><ul>" + "".join(f"<li>{_e(n)}</li>" for n in notes) + "</ul></div>"
                 "<div><b>後續應辦理事項</b><ul>" + ("".join(f"<li>{_e(x)}</li>" for x in dict.fromkeys(todo)) or "<li>維持現況</li>") + "</ul></div></div>")
    # 3 the national benchmark
    p.append("<h3>三、全國基準</h3>")
    vint = f"本機關：目錄快照 {snap.name}；全國：data.gov.tw 2026 年目錄（52,960 個資料集）。兩者年份不同時僅供參照，不是同一序列。"
    p.append(f"<p class='muted'>{_e(vint)}</p><table><tr><th>項目</th><th>類別</th><th>本機關資料集</th><th>本機關比例</th><th>全國比例</th></tr>")
    for r in nat.to_dict("records"):
        kind = "品質標章" if r["kind"] == "badge" else "更新頻率"
        n = "—" if _missing(r["datasets"]) else f"{int(r['datasets']):,}"
        share = "目錄無此欄位" if _missing(r["datasets"]) else _pct(r["share"])
        p.append(f"<tr><td>{kind}</td><td>{_e(r['zh'])}</td><td class='n'>{n}</td><td class='n'>{share}</td>"
                 f"<td class='n'>{_pct(r['national_share'])}</td></tr>")
    p.append("</table>")
    # 4 units, like the meeting's 第二～四案 (one per unit) where the catalogue names them
    units = opendata.units(ag)
    p.append("<h3>四、所屬單位</h3>")
    per_unit = mine.groupby("agency").agg(datasets=("dataset_key", "size"), overdue=("overdue", lambda s: int(s.fillna(False).sum()))).reset_index()
    named = per_unit[per_unit["agency"] != ag]
    if len(named):
        p.append("<table><tr><th>單位</th><th>資料集</th><th>逾期</th></tr>" + "".join(
            f"<tr><td>{_e(r.agency)}</td><td class='n'>{r.datasets:,}</td><td class='n'>{r.overdue:,}</td></tr>" for r in named.itertuples()) + "</table>")
    if units:
        missing = [u for u in units if u not in set(named["agency"])]
        if missing:
            p.append(f"<p class='muted'>目錄未列出下列單位的資料集（全部列在「{_e('、'.join(raw) or ag)}」名下）："
                     f"{_e('、'.join(missing))}。各單位報告需由機關依其內部分工對應。</p>")
    elif not len(named):
        p.append("<p class='muted'>機關對照表未記載所屬單位。</p>")
    # 5 formats and encodings
    fm = opendata.formats(snap, ag, group)
    p.append("<h3>五、檔案格式與編碼</h3>")
    if len(fm) and not (len(fm) == 1 and fm["format"].iloc[0] == "（未填）"):
        p.append("<table><tr><th>格式</th><th>檔案數</th><th>資料集數</th><th>開放機器可讀</th></tr>" + "".join(
            f"<tr><td>{_e(format_text(r.format, 'zh'))}</td><td class='n'>{r.files:,}</td><td class='n'>{r.datasets:,}</td>"
            f"<td>{'是' if r.format in opendata.OPEN_MR or r.format in opendata.RDF else '否'}</td></tr>" for r in fm.head(12).itertuples()) + "</table>")
    else:
        p.append("<p class='muted'>目錄沒有檔案格式欄位，不判定。</p>")
    # 6 overdue
    od = t["overdue"][t["overdue"]["agency"].isin(mine["agency"])]
    p.append(f"<h3>六、逾期未更新（{len(od):,} 個資料集）</h3>")
    if len(od):
        p.append("<table><tr><th>資料集</th><th>更新頻率</th><th>最近更新</th></tr>" + "".join(
            f"<tr><td>{_e(r.dataset_name)}</td><td>{_e(r.update_frequency)}</td><td class='n'>{_e(str(r.last_update)[:10])}</td></tr>"
            for r in od.sort_values("last_update").head(25).itertuples()) + "</table>"
            + (f"<p class='muted'>另有 {len(od) - 25:,} 個，見 XLSX。</p>" if len(od) > 25 else ""))
    else:
        p.append("<p class='muted'>無，或目錄未提供更新頻率（不判定）。</p>")
    # 7 the fix list to send back
    fx = t["fix_list"][t["fix_list"]["agency"].isin(mine["agency"])]
    p.append(f"<h3>七、待修正清單（{fx['dataset_key'].nunique():,} 個資料集，{len(fx):,} 項）</h3>")
    if len(fx):
        from .checks import by_id
        titles = {k: c.title_zh for k, c in by_id().items()}
        cnt = fx.groupby(["check_id", "severity"]).agg(n=("dataset_key", "nunique"), example=("dataset_name", "first"),
                                                     fix=("suggestion", "first")).reset_index().sort_values("n", ascending=False)
        p.append("<table><colgroup><col style='width:22%'><col style='width:8%'><col style='width:9%'><col style='width:28%'><col></colgroup>"
                 "<tr><th>問題</th><th>等級</th><th>資料集</th><th>例</th><th>建議修正</th></tr>" + "".join(
            f"<tr><td>{_e(titles.get(r.check_id, r.check_id))}</td><td>{ {'error': '錯誤', 'warning': '警告', 'info': '提示'}.get(r.severity, r.severity)}</td>"
            f"<td class='n'>{r.n:,}</td><td>{_e(r.example)}</td><td>{_e(r.fix)}</td></tr>" for r in cnt.itertuples()) + "</table>"
            "<p class='muted'>逐筆清單（資料集、問題、建議修正）見 XLSX「修正清單」工作表。</p>")
    else:
        p.append("<p class='muted'>沒有待修正的問題。</p>")
    # 8 change since the previous snapshot of the same series, like with like
    if t["compare"] is not None:
        cnt = t["compare"]["counts"]
        c = cnt[cnt["agency"] == ag]
        p.append(f"<h3>八、與前次快照 {_e(t['old'])} 比較</h3>")
        if len(c) and c["kept"].iloc[0] > 0:
            c = c.iloc[0]
            p.append(f"<p>資料集 {c.datasets_old:,} → {c.datasets_new:,}：兩次都有 {c.kept:,}、新增 {c.added:,}、移除 {c.removed:,}。"
                     "以下比例只就兩次都有的資料集計算；判定欄位不同者列為不可比較，不算退步。</p>")
            rows = ch[(ch["agency"] == ag) & ch["metric"].isin([m.key for m in METRICS if m.share])]
            p.append("<table><tr><th>指標</th><th>" + _e(t["old"]) + "</th><th>" + _e(snap.name) + "</th><th>變化</th></tr>")
            kept = {k: t["compare"][k].set_index("agency").loc[ag] if (t["compare"][k]["agency"] == ag).any() else None for k in ("old", "new")}
            for r in rows.to_dict("records"):
                if r["verdict"] == "none":
                    continue
                basis = ["", ""]
                if r["metric"] == "metadata_complete_share" and r["verdict"] == "not_comparable":
                    basis = [f"（判定 {int(kept[k]['meta_fields_judged'])}/9 欄）" for k in ("old", "new")]
                p.append(f"<tr><td>{_e(r['metric_zh'])}</td><td class='n'>{_fmt(r['metric'], r['kept_old'])}{basis[0]}</td>"
                         f"<td class='n'>{_fmt(r['metric'], r['kept_new'])}{basis[1]}</td>"
                         f"<td class='{VERDICT_CLS.get(r['verdict'], '')}'>{_e(VERDICT_ZH[r['verdict']])}</td></tr>")
            p.append("</table>")
            pairs = [(r["metric_zh"], r["kept_old"], r["kept_new"]) for r in rows.to_dict("records")
                     if r["verdict"] in ("better", "worse", "same")]
            if pairs:
                p.append(pair_svg("兩次快照（只計兩次都有的資料集）", t["old"], snap.name, pairs))
        else:
            p.append("<p class='muted'>前次快照沒有這個機關的同一批資料集，無法比較。</p>")
    p.append("</div>")
    return p


# The workbook's headings, in the meeting's language as the HTML report is (never snake_case); the
# metrics by their own names (opendata.METRICS)
XLSX_HEADERS = {"agency": "機關", "parent": "上級機關", "level": "層級", "metric": "指標代碼", "metric_zh": "指標",
                "value": "數值", "rag": "燈號", "kept_old": "前次（兩次都有的資料集）", "kept_new": "本次（兩次都有的資料集）",
                "verdict": "比較", "judged_stars": "可判定星等的資料集", "judged_badge": "有標章欄位的資料集",
                "judged_update": "可判定更新的資料集", "meta_fields_judged": "判定的詮釋資料欄位數",
                "dataset_key": "資料集鍵", "dataset_id": "資料集代碼", "dataset_name": "資料集名稱", "update_frequency": "更新頻率",
                "last_update": "最近更新", "source_file": "來源檔", "source_row": "列號", "check_id": "規則代碼",
                "severity": "嚴重度", "message_zh": "說明", "suggestion": "建議修正", "title": "問題",
                "datasets_old": "前次資料集數", "datasets_new": "本次資料集數", "kept": "兩次都有", "added": "新增", "removed": "移除"} | \
               {m.key: m.zh for m in METRICS}
RAG_ZH = {"green": "綠燈", "amber": "黃燈", "red": "紅燈"}


def _sheet(df: pd.DataFrame) -> pd.DataFrame:
    """A table of the report as the workbook gives it: headings and coded values in words; a metric by its
    name alone (its code, share_3star …, was a column of its own) and a share as a percentage (0.2637362637362637
    read as a fraction nobody asked for)."""
    d = formulas.frame(df).copy()
    if "dataset_key" in d.columns and "dataset_name" in d.columns:     # the key built from agency|title is ours, not the catalogue's
        d = d.drop(columns="dataset_key")
    shares = {m.key for m in METRICS if m.share}
    if {"metric", "metric_zh"} <= set(d.columns):
        for col in ("value", "kept_old", "kept_new"):
            if col in d.columns:
                d[col] = [round(v * 100, 1) if k in shares and isinstance(v, (int, float)) and pd.notna(v) else v
                          for k, v in zip(d["metric"], d[col])]
        d["metric_zh"] = [f"{z}（%）" if k in shares else z for k, z in zip(d["metric"], d["metric_zh"])]
        d = d.drop(columns="metric")
    # a table of agencies × metrics (the snapshot's sheet): its share columns alike
    wide = [c for c in d.columns if c in shares]
    for c in wide:
        d[c] = (pd.to_numeric(d[c], errors="coerce") * 100).round(1)
    d = d.rename(columns={c: f"{XLSX_HEADERS.get(c, c)}（%）" for c in wide})
    severity = {k: label("sev_" + k) for k in ("error", "warning", "info")}
    for col, words in (("verdict", VERDICT_ZH), ("rag", RAG_ZH), ("severity", severity), ("level", {"central": "中央", "local": "地方"})):
        if col in d.columns:
            d[col] = d[col].map(lambda v, w=words: w.get(v, v) if isinstance(v, str) else v)
    return d.rename(columns={c: XLSX_HEADERS.get(c, c) for c in d.columns})


def report_xlsx(old: str | None, new: str, agencies: list[str] | None, group: str = "agency") -> bytes:
    t = build_tables(old, new, agencies, group)
    buf = io.BytesIO()
    # a date as a date (the overdue sheet's 最近更新 read "2018-03-09 00:00:00"), each sheet's header row frozen
    # and filtered and its columns as wide as their header and first values, as the fix-list workbooks are
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        _sheet(t["metrics"]).to_excel(xw, sheet_name="指標 metrics", index=False)
        _sheet(t["metrics_new"]).to_excel(xw, sheet_name=f"機關 {new}"[:31], index=False)
        if t["compare"] is not None:
            counts = t["compare"]["counts"]      # the chosen agencies' (a one-agency report listed all 563)
            counts = counts[counts["agency"].isin(t["chosen"])] if "agency" in counts else counts
            _sheet(counts).to_excel(xw, sheet_name="變化 changes", index=False)
        _sheet(t["overdue"]).to_excel(xw, sheet_name="逾期 overdue", index=False)
        _sheet(t["fix_list"]).to_excel(xw, sheet_name="修正清單 fix list", index=False)
        for ws in xw.book.worksheets:
            _readable_sheet(ws)
    return buf.getvalue()


def _readable_sheet(ws) -> None:
    from .store import size_columns
    ws.freeze_panes = "A2"
    for row in ws.iter_rows(min_row=2):
        for c in row:
            if isinstance(c.value, (dt.date, dt.datetime)):
                c.number_format = "yyyy-mm-dd"
    if ws.max_row > 1:
        ws.auto_filter.ref = ws.dimensions
    size_columns(ws, ws.iter_cols(max_row=min(ws.max_row, 200), values_only=True))


def write_report(old: str | None, new: str, agencies: list[str] | None, out: Path, group: str = "agency") -> tuple[Path, Path]:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    stem = f"opendata_report_{old}_{new}" if old else f"opendata_report_{new}"
    h, x = out / f"{stem}.html", out / f"{stem}.xlsx"
    h.write_text(report_html(old, new, agencies, group), encoding="utf-8")
    x.write_bytes(report_xlsx(old, new, agencies, group))
    return h, x
