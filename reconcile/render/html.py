"""HTML rendering: one self-contained file (inline CSS and SVG, no scripts), safe for hostile text.

Every string that comes from an article is escaped; links are emitted only for http(s) URLs. Plots are
drawn with matplotlib to inline SVG: each source's value or interval on a number line, by date.
"""

from __future__ import annotations

import html
import io
import re
import warnings
from typing import Any

from reconcile.labels import record_label
from reconcile.render.common import (CONFIDENCE_NOTE, VERDICT_MARK, as_written, claims_by_id, docs_by_id, figures_text,
                                     fmt, for_display, origins_text, status_line, strip_footnotes, value_text)

__all__ = ["render", "source_colours"]

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
.overview td,.overview th{white-space:nowrap}.overview td.label{white-space:normal}
.legend{list-style:none;padding:0;margin:.3em 0;display:flex;flex-wrap:wrap;gap:.4em 1.2em;font-size:.85em}
.swatch{display:inline-block;width:.9em;height:.9em;border-radius:50%;margin-right:.35em;vertical-align:-.1em}
.hollow{background:#fff!important;border:2px solid}
.note{font-size:.85em;color:#555}
"""

# one colour per source across the whole report (matplotlib's tab10, then grey), so a source reads the
# same in every chart; plans and hypotheticals are drawn hollow
_PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#bcbd22", "#17becf")
_OTHER = "#7f7f7f"
_NOT_DONE = ("planned", "hypothetical")


def source_colours(record: dict[str, Any]) -> dict[str, str]:
    """A colour for each source (outlet, else document) of the report, the most quoted first."""
    docs = docs_by_id(record)
    counts: dict[str, int] = {}
    for c in record["claims"]:
        name = _source(c, docs)
        counts[name] = counts.get(name, 0) + 1
    ranked = sorted(counts, key=lambda n: (-counts[n], n))
    return {n: (_PALETTE[i] if i < len(_PALETTE) else _OTHER) for i, n in enumerate(ranked)}


def _source(c: dict[str, Any], docs: dict[str, dict[str, Any]]) -> str:
    d = docs[c["document"]]
    return str(d["outlet"] or d["id"])


def _e(s: Any) -> str:
    return html.escape("" if s is None else str(s), quote=True)


def _limits(vals: list[float], ref: float) -> tuple[float, float]:
    """The value axis: the figures with a margin, and at least 20% of the reference value wide, so that
    figures a few percent apart ($43,000 and $43,350) are drawn close together, as they are."""
    lo, hi = min(vals), max(vals)
    span = max(hi - lo, 0.2 * abs(ref), 1e-9)
    mid = (lo + hi) / 2
    return mid - 0.6 * span, mid + 0.6 * span


def _plot(f: dict[str, Any], claims: dict[str, dict[str, Any]], docs: dict[str, dict[str, Any]],
          colours: dict[str, str]) -> str:
    """Each source's figure (its interval as a bar) on one value axis, coloured by source, with the relative
    difference from the reconciled value on the top axis; a second panel by date when figures are dated.
    No chart for a single figure."""
    cs = [claims[cid] for cid in f["claims"]]
    if len(cs) < 2:
        return ""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    matplotlib.rcParams["svg.hashsalt"] = "reconcile"  # stable ids: the same report byte for byte
    matplotlib.rcParams["svg.fonttype"] = "none"  # text as text: selectable, searchable, smaller
    dates = {c["as_of"]: _date_of(c["as_of"]) for c in cs if c["as_of"]}
    over_time = len({d for d in dates.values() if d is not None}) >= 2
    if over_time:
        fig, (ax, tax) = plt.subplots(1, 2, figsize=(10, 1.6 + 0.38 * len(cs)), width_ratios=(3, 2))
    else:
        fig, ax = plt.subplots(figsize=(7.5, 1.3 + 0.38 * len(cs)))
    vals = [c["value"] for c in cs] + [v for c in cs for v in (c["low"], c["high"]) if v is not None]
    ref = f["value"] if f["value"] else sorted(c["value"] for c in cs)[len(cs) // 2] or 1.0
    lims = _limits(vals, ref)
    for i, c in enumerate(cs):
        _mark(ax, c, i, colours.get(_source(c, docs), _OTHER), lims, horizontal=True)
    ax.set_yticks(range(len(cs)))
    ax.set_yticklabels([f"{_source(c, docs)[:22]} {c['as_of'] or ''}" for c in cs], fontsize=8,
                       parse_math=False)  # an outlet "a$^$" is text, not mathtext
    if f["value"] is not None:
        ax.axvline(f["value"], color="#c0392b", linestyle="--", linewidth=1)
    ax.set_xlim(*lims)
    ax.tick_params(axis="x", labelsize=8)
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: fmt(v)))
    ax.set_xlabel("figure as given (dashed: reconciled)", fontsize=8)
    if ref:
        top = ax.secondary_xaxis("top", functions=(lambda x: (x - ref) / abs(ref) * 100,
                                                   lambda q: ref + q * abs(ref) / 100))
        top.set_xlabel("difference from the reconciled figure (%)", fontsize=8)
        top.tick_params(labelsize=7)
    for side in ("right", "left"):
        ax.spines[side].set_visible(False)
    if over_time:
        _time_panel(tax, cs, dates, lims, docs, colours)
    buf = io.StringIO()
    with warnings.catch_warnings():  # an outlet named in a script the font lacks still gets its chart
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font")
        fig.tight_layout()
        fig.savefig(buf, format="svg", metadata={"Date": None})
    plt.close(fig)
    svg = buf.getvalue()
    svg = svg[svg.find("<svg"):]
    return re.sub(r"<!--.*?-->", "", svg, flags=re.S)


def _mark(ax: Any, c: dict[str, Any], at: Any, colour: str, lims: tuple[float, float], horizontal: bool) -> None:
    """One figure: its interval as a bar, its value as a dot (hollow for plans and hypotheticals)."""
    lo = c["low"] if c["low"] is not None else lims[0]
    hi = c["high"] if c["high"] is not None else lims[1]
    face = "white" if c["modality"] in _NOT_DONE else colour
    if horizontal:
        ax.plot([lo, hi], [at, at], color=colour, linewidth=4, alpha=0.45, solid_capstyle="butt")
        ax.plot([c["value"]], [at], "o", color=colour, markerfacecolor=face, markeredgewidth=1.5)
    else:
        ax.plot([at, at], [lo, hi], color=colour, linewidth=4, alpha=0.45, solid_capstyle="butt")
        ax.plot([at], [c["value"]], "o", color=colour, markerfacecolor=face, markeredgewidth=1.5)


def _legend(f: dict[str, Any], claims: dict[str, dict[str, Any]], docs: dict[str, dict[str, Any]],
            colours: dict[str, str]) -> str:
    """The chart's legend in HTML: each source's colour, and what a hollow dot means."""
    cs = [claims[cid] for cid in f["claims"]]
    names = sorted({_source(c, docs) for c in cs}, key=lambda n: (list(colours).index(n) if n in colours else 99, n))
    items = [f'<li><span class="swatch" style="background:{colours.get(n, _OTHER)}"></span>{_e(n)}</li>'
             for n in names]
    if any(c["modality"] in _NOT_DONE for c in cs):
        items.append('<li><span class="swatch hollow" style="border-color:#555"></span>planned or hypothetical</li>')
    return '<ul class="legend" aria-label="legend">' + "".join(items) + "</ul>"


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


def _time_panel(ax: Any, cs: list[dict[str, Any]], dates: dict[str, Any], ylim: tuple[float, float],
                docs: dict[str, dict[str, Any]], colours: dict[str, str]) -> None:
    """Each figure at the date it refers to, its interval as an error bar: updates read left to right."""
    import matplotlib
    import matplotlib.dates as mdates

    for c in cs:
        when = dates.get(c["as_of"]) if c["as_of"] else None
        if when is not None:
            _mark(ax, c, when, colours.get(_source(c, docs), _OTHER), ylim, horizontal=False)
    ax.set_ylim(*ylim)
    ax.set_title("over time", fontsize=8)
    ax.set_xlabel("as of", fontsize=8)
    ax.set_ylabel("figure", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: fmt(v)))
    locator = mdates.AutoDateLocator(minticks=2, maxticks=4)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _quote(c: dict[str, Any]) -> str:
    """The claim's sentence, footnote markup taken out, the figure marked."""
    s = strip_footnotes(c["sentence"])
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


_CONTESTED = ("conflict", "update", "scope")


def _overview(record: dict[str, Any], claims: dict[str, dict[str, Any]], docs: dict[str, dict[str, Any]]) -> str:
    """The contested facts first: one row each, linking to its section."""
    rows = [f for f in record["facts"] if f["verdict"] in _CONTESTED]
    if not rows:
        return "<p class=\"overview\">No contested facts: every fact agrees or has a single source.</p>"
    out = ["<table class=\"overview\"><caption>Contested facts</caption><tr><th>Verdict</th><th>Fact</th>"
           "<th>Figures and who says which</th><th>Reconciled</th><th>Confidence</th></tr>"]
    for f in rows:
        out.append(f"<tr><td><span class=\"badge {_e(f['verdict'])}\">{_e(VERDICT_MARK[f['verdict']])}</span></td>"
                   f"<td class=\"label\"><a href=\"#{_e(f['id'])}\">{_e(record_label(f, claims))}</a></td>"
                   f"<td class=\"label\">{_e(figures_text(f, claims, docs))}</td><td>{_e(value_text(f))}</td>"
                   f"<td>{f['confidence']:.2f}</td></tr>")
    out.append("</table>")
    return "\n".join(out)


def _section(f: dict[str, Any], claims: dict[str, dict[str, Any]], docs: dict[str, dict[str, Any]],
             colours: dict[str, str]) -> str:
    parts = [f"<section id=\"{_e(f['id'])}\"><h2><span class=\"badge {_e(f['verdict'])}\">"
             f"{_e(VERDICT_MARK[f['verdict']])}</span> {_e(record_label(f, claims))}</h2>",
             f"<p><b>Reconciled:</b> {_e(value_text(f))} &middot; <b>confidence</b><sup>*</sup> "
             f"{f['confidence']:.2f} &middot; <b>independent origins</b> {f['independent_origins']}"
             + (f" &middot; <b>rules</b> {_e(', '.join(f['rules']))}" if f["rules"] else "") + "</p>"]
    if f["verdict"] in _CONTESTED and len(f["claims"]) > 1:
        parts.append(f"<p><b>Figures:</b> {_e(figures_text(f, claims, docs))}</p>")
    if f["origins"]:
        parts.append(f"<p class=\"note\"><b>Origins:</b> {_e(origins_text(f['origins']))}</p>")
    chart = _plot(f, claims, docs, colours)
    if chart:
        parts.append(chart)
        parts.append(_legend(f, claims, docs, colours))
    parts.append("<table><tr><th>Source</th><th>Date</th><th>As written</th><th>Quote</th><th>Modality</th>"
                 "<th>Attribution</th></tr>")
    for cid in f["claims"]:
        c = claims[cid]
        d = docs[c["document"]]
        parts.append(f"<tr><td>{_link(d)}</td><td>{_e(d['published'] or 'undated')}</td>"
                     f"<td>{_e(as_written(c, counted=False))}</td><td class=\"quote\">{_quote(c)}</td>"
                     f"<td>{_e(c['modality'])}</td><td>{_e(c['attribution'] or '')}</td></tr>")
    parts.append("</table><ul class=\"expl\">")
    parts.extend(f"<li>{_e(strip_footnotes(line))}</li>" for line in f["explanation"][:1] + [
        x for x in f["explanation"] if re.match(r"^[A-Z]{2}\d{2} ", x)])
    parts.append("</ul></section>")
    return "\n".join(parts)


def render(record: dict[str, Any]) -> str:
    """The whole report: status, the contested facts' overview, one section per fact, what confidence means."""
    record = for_display(record)  # control characters are invalid in the SVG (XML) and unseen in HTML
    claims = claims_by_id(record)
    docs = docs_by_id(record)
    colours = source_colours(record)
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
    parts.append(_overview(record, claims, docs))
    parts.extend(_section(f, claims, docs, colours) for f in record["facts"])
    if record.get("errors"):
        parts.append("<section><h2>Input errors</h2><ul>")
        parts.extend(f"<li><code>{_e(e['path'])}</code>: {_e(e['problem'])}</li>" for e in record["errors"])
        parts.append("</ul></section>")
    parts.append(f"<p class=\"note\" id=\"confidence\"><sup>*</sup> {_e(CONFIDENCE_NOTE)}</p>")
    parts.append(f"<footer><small>{_e(record.get('generator'))} &middot; {_e(record['schema'])}</small></footer>")
    parts.append("</body></html>\n")
    return "\n".join(parts)
