"""HTML rendering: one self-contained file (inline CSS and SVG, no scripts), safe for hostile text.

Every string that comes from an article is escaped; links are emitted only for http(s) URLs. Plots are
drawn with matplotlib to inline SVG: each source's value or interval on a number line, by date.
"""

from __future__ import annotations

import html
import io
import re
from typing import Any

from reconcile.render.common import VERDICT_MARK, claims_by_id, docs_by_id, fmt, status_line, value_text

__all__ = ["render"]

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;
color:#1d2330;line-height:1.45}
h1{margin-bottom:.2em} .status{padding:.8em 1em;border-radius:6px;background:#f3f5f9;margin:1em 0}
.stats{display:flex;gap:1em;flex-wrap:wrap;margin:1em 0}.stat{background:#f3f5f9;border-radius:6px;padding:.5em 1em}
.stat b{display:block;font-size:1.4em}
section{border:1px solid #dde2ea;border-radius:8px;padding:1em 1.2em;margin:1.2em 0}
.badge{display:inline-block;border-radius:4px;padding:.1em .5em;font-size:.8em;font-weight:700;color:#fff}
.conflict{background:#c0392b}.update{background:#2471a3}.scope{background:#8e44ad}.agree{background:#1e8449}
.single{background:#7f8c8d} table{border-collapse:collapse;width:100%;font-size:.9em}
td,th{border-bottom:1px solid #e5e8ee;padding:.3em .4em;text-align:left;vertical-align:top}
mark{background:#ffe08a;padding:0 .1em} .quote{color:#333;font-size:.9em} .expl{font-size:.85em;color:#444}
svg{max-width:100%;height:auto}
"""

_COLORS = {"asserted": "#1e8449", "reported": "#2471a3", "estimated": "#b9770e", "planned": "#8e44ad",
           "hypothetical": "#7f8c8d"}


def _e(s: Any) -> str:
    return html.escape("" if s is None else str(s), quote=True)


def _plot(f: dict[str, Any], claims: dict[str, dict[str, Any]], docs: dict[str, dict[str, Any]]) -> str:
    import matplotlib
    import matplotlib.dates  # noqa: F401 (registers the date converter)

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    matplotlib.rcParams["svg.hashsalt"] = "reconcile"  # stable ids: the same report byte for byte

    cs = [claims[cid] for cid in f["claims"]]
    dates = {c["as_of"]: _date_of(c["as_of"]) for c in cs if c["as_of"]}
    over_time = len({d for d in dates.values() if d is not None}) >= 2
    if over_time:
        fig, (ax, tax) = plt.subplots(1, 2, figsize=(10, 0.9 + 0.38 * len(cs)), width_ratios=(3, 2))
    else:
        fig, ax = plt.subplots(figsize=(7.5, 0.5 + 0.38 * len(cs)))
    vals = [c["value"] for c in cs] + [v for c in cs for v in (c["low"], c["high"]) if v is not None]
    span = (max(vals) - min(vals)) or max(abs(max(vals)), 1.0)
    lo_lim, hi_lim = min(vals) - 0.15 * span, max(vals) + 0.15 * span
    for i, c in enumerate(cs):
        lo = c["low"] if c["low"] is not None else lo_lim
        hi = c["high"] if c["high"] is not None else hi_lim
        color = _COLORS.get(c["modality"], "#333")
        ax.plot([lo, hi], [i, i], color=color, linewidth=4, alpha=0.5, solid_capstyle="butt")
        ax.plot([c["value"]], [i], "o", color=color)
    ax.set_yticks(range(len(cs)))
    ax.set_yticklabels([f"{(docs[c['document']]['outlet'] or c['document'])[:22]} {c['as_of'] or ''}" for c in cs],
                       fontsize=8)
    if f["value"] is not None:
        ax.axvline(f["value"], color="#c0392b", linestyle="--", linewidth=1)
    ax.set_xlim(lo_lim, hi_lim)
    ax.tick_params(axis="x", labelsize=8)
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: fmt(v)))
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    if over_time:
        _time_panel(tax, cs, dates, (lo_lim, hi_lim))
    fig.tight_layout()
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    plt.close(fig)
    svg = buf.getvalue()
    svg = svg[svg.find("<svg"):]
    return re.sub(r"<!--.*?-->", "", svg, flags=re.S)


def _date_of(as_of: str | None) -> Any:
    """The middle of the period an ``as_of`` names ("2024" -> 1 July 2024), or None."""
    import datetime as dt

    if not as_of:
        return None
    m = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$", as_of)
    if not m:
        return None
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    try:
        return dt.date(y, int(mo) if mo else 7, int(d) if d else (15 if mo else 1))
    except ValueError:
        return None


def _time_panel(ax: Any, cs: list[dict[str, Any]], dates: dict[str, Any], ylim: tuple[float, float]) -> None:
    """Each figure at the date it refers to, its interval as an error bar: updates read left to right."""
    import matplotlib
    import matplotlib.dates  # noqa: F401 (registers the date converter)

    for c in cs:
        when = dates.get(c["as_of"]) if c["as_of"] else None
        if when is None:
            continue
        lo = c["low"] if c["low"] is not None else ylim[0]
        hi = c["high"] if c["high"] is not None else ylim[1]
        color = _COLORS.get(c["modality"], "#333")
        ax.plot([when, when], [lo, hi], color=color, linewidth=4, alpha=0.5, solid_capstyle="butt")
        ax.plot([when], [c["value"]], "o", color=color)
    ax.set_ylim(*ylim)
    ax.set_title("over time (as of)", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: fmt(v)))
    ax.xaxis.set_major_formatter(matplotlib.dates.DateFormatter("%Y-%m"))
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(4))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _quote(c: dict[str, Any]) -> str:
    s = c["sentence"]
    i = s.find(c["surface"])
    if i < 0:
        return _e(s)
    return _e(s[:i]) + "<mark>" + _e(c["surface"]) + "</mark>" + _e(s[i + len(c["surface"]):])


def _link(d: dict[str, Any]) -> str:
    url = d.get("url")
    name = _e(d.get("outlet") or d["id"])
    if url and re.match(r"^https?://", url):
        return f'<a href="{_e(url)}" rel="noopener noreferrer">{name}</a>'
    return name


def render(record: dict[str, Any]) -> str:
    claims = claims_by_id(record)
    docs = docs_by_id(record)
    s = record["summary"]
    parts = ["<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">",
             "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
             "img-src data:\">",
             f"<title>reconcile report</title><style>{_CSS}</style></head><body>",
             "<h1>reconcile report</h1>",
             f"<div class=\"status\"><b>Status: {_e(s['status'])}.</b> {_e(status_line(record))}.</div>",
             "<div class=\"stats\">"]
    for k in ("conflict", "agree", "update", "scope", "single"):
        parts.append(f"<div class=\"stat\"><b>{s['verdicts'][k]}</b>{_e(k)}</div>")
    parts.append(f"<div class=\"stat\"><b>{s['documents']}</b>documents</div>"
                 f"<div class=\"stat\"><b>{s['claims']}</b>claims</div></div>")
    for f in record["facts"]:
        parts.append(f"<section id=\"{_e(f['id'])}\"><h2><span class=\"badge {_e(f['verdict'])}\">"
                     f"{_e(VERDICT_MARK[f['verdict']])}</span> {_e(f['label'])}</h2>")
        parts.append(f"<p><b>Reconciled:</b> {_e(value_text(f))} &middot; <b>confidence</b> {f['confidence']:.2f} "
                     f"&middot; <b>independent origins</b> {f['independent_origins']}"
                     + (f" &middot; <b>rules</b> {_e(', '.join(f['rules']))}" if f["rules"] else "") + "</p>")
        parts.append(_plot(f, claims, docs))
        parts.append("<table><tr><th>Source</th><th>Date</th><th>Quote</th><th>Modality</th><th>Attribution</th></tr>")
        for cid in f["claims"]:
            c = claims[cid]
            d = docs[c["document"]]
            parts.append(f"<tr><td>{_link(d)}</td><td>{_e(d['published'] or 'undated')}</td>"
                         f"<td class=\"quote\">{_quote(c)}</td><td>{_e(c['modality'])}</td>"
                         f"<td>{_e(c['attribution'] or '')}</td></tr>")
        parts.append("</table><ul class=\"expl\">")
        parts.extend(f"<li>{_e(line)}</li>" for line in f["explanation"][:1] + [
            x for x in f["explanation"] if re.match(r"^[A-Z]{2}\d{2} ", x)])
        parts.append("</ul></section>")
    if record.get("errors"):
        parts.append("<section><h2>Input errors</h2><ul>")
        parts.extend(f"<li><code>{_e(e['path'])}</code>: {_e(e['problem'])}</li>" for e in record["errors"])
        parts.append("</ul></section>")
    parts.append(f"<footer><small>{_e(record.get('generator'))} &middot; {_e(record['schema'])}</small></footer>")
    parts.append("</body></html>\n")
    return "\n".join(parts)
