"""Charts of budgets, sweeps and projections (``Budget.plot()``, ``Projection.plot()``, ``tuoyu budget --chart``), and
the compact HTML table a notebook shows for a budget.

A range is drawn as a range: a solid bar from 0 to its low bound, a lighter bar from the low to the high bound, and
an unbounded high (不低于, at least) as a hatched bar running to the edge of the axes with an arrow head: never as
a number. A budget's payer lines are one group each, with one bar per scenario (the baseline beside each reform;
a sweep's values in order); a projection's years are one group each, with one bar per payer. Each bar carries a
``gid`` (``tuoyu-low-<group>-<series>``, ``tuoyu-range-...``, ``tuoyu-open-...``, ``tuoyu-unbounded-...``), which
an SVG keeps as the ``id`` of its group.

Words are in the language asked (``lang="zh"|"en"``): the chart's own words from ``charts.toml``, the payers',
bases' and jurisdictions' names from the glossary and the policies. Chinese needs a CJK font: one named by the
caller (``font=``, a family name or a font file) or the first installed one of :data:`CJK_FONTS`; with none, an
:class:`~tuoyu_rules.InvalidInput` says how to install one. A label the font cannot show is refused the same way:
a chart never shows tofu boxes.

matplotlib is the optional extra ``charts`` (``pip install 'tuoyu_rules[charts]'``). It is imported when a chart is
drawn, never when this module is (importing it costs 0.3 to 0.5 s, which a budget that draws nothing should not
pay), and only its object-oriented API is used, on the non-interactive Agg canvas: no pyplot, no global figure.
"""

from __future__ import annotations

import functools
import html
import importlib
import textwrap
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ..core.amounts import AmountRange
from ..core.errors import InvalidInput, TuoyuError
from ..core.messages import Catalog, Entry, Lang, Message, check_lang, core_catalog, msg, parse_catalog
from ..core.registry import get_policy

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from .budget_results import Budget
    from .projection_results import Projection

__all__ = [
    "CHARTS_EXTRA",
    "CJK_FONTS",
    "budget_html",
    "check_target",
    "find_cjk_font",
    "plot_budget",
    "plot_projection",
    "save",
]

CHARTS_EXTRA = "pip install 'tuoyu_rules[charts]'"

CJK_FONTS = (
    *("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Zen Hei"),
    *("WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei", "PingFang SC", "Heiti SC", "Hiragino Sans GB"),
    *("Noto Sans CJK JP", "Noto Sans CJK TC", "Source Han Sans", "Noto Serif CJK SC", "Source Han Serif SC"),
    *("AR PL UMing CN", "AR PL UKai CN"),
)
"""The fonts a Chinese chart looks for among the installed ones, in this order."""

INSTALL_CJK = "apt-get install fonts-noto-cjk (Debian, Ubuntu; other systems: install Noto Sans CJK)"

PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#17becf")
STABLE_RC = {"svg.hashsalt": "tuoyu_rules", "svg.fonttype": "path"}
"""Saving under these settings gives the same bytes for the same chart (SVG ids from a fixed salt)."""
METADATA: Mapping[str, Mapping[str, None]] = {"png": {"Software": None}, "svg": {"Date": None, "Creator": None}}
"""No date, no software version in a saved file: the same chart gives the same bytes."""


def _mpl(name: str) -> Any:
    """A module of matplotlib (the extra ``charts``), imported here only and typed as Any."""
    try:
        importlib.import_module("matplotlib")
        return importlib.import_module(name)
    except ImportError:
        raise ImportError(f"charts need matplotlib, an optional extra: {CHARTS_EXTRA}") from None


def check_target(path: str | Path) -> Path:
    """``path`` as the file a chart is saved to, checked before a long run: a ``.png`` or an ``.svg`` suffix (else an
    :class:`~tuoyu_rules.InvalidInput`), and matplotlib installed (else an :class:`ImportError` naming the extra)."""
    target = Path(path)
    if target.suffix.lower().lstrip(".") not in METADATA:
        raise InvalidInput("chart", f"{target.name!r}: a chart is a .png or an .svg file")
    _mpl("matplotlib.figure")
    return target


# -- words -------------------------------------------------------------------------------------------------------
@functools.cache
def _messages() -> Mapping[str, Entry]:
    text = resources.files(__package__).joinpath("charts.toml").read_text(encoding="utf-8")
    return MappingProxyType(parse_catalog(tomllib.loads(text).get("messages", {}), "whatif/charts.toml"))


def _catalog(ids: Iterable[str]) -> Catalog:
    """The chart's words, then the names of the jurisdictions the payer or jurisdiction ``ids`` belong to."""
    terms = []
    for jurisdiction in sorted({part.split(".")[0] for i in ids for part in i.split("+")}):
        try:
            terms.append(get_policy(jurisdiction).terms)
        except TuoyuError:  # an id of no registered jurisdiction is shown as it is
            continue
    return core_catalog().with_layers((_messages(),), terms)


def _value(amount: AmountRange, undetermined: int) -> Message:
    if undetermined:
        return msg("whatif.chart.value_open", amount=amount, count=undetermined)
    return msg("whatif.chart.value", amount=amount)


def _scenario_name(catalog: Catalog, name: str, reform: str | None, lang: Lang) -> str:
    return catalog.render(msg("whatif.chart.baseline"), lang) if reform is None else name


def _plain(text: str) -> str:
    """``text`` shown as it is: a ``$`` would start mathematics in matplotlib."""
    return text.replace("$", r"\$")


def _wrap(text: str, lang: Lang) -> str:
    """A long label on two lines or more (Chinese has no spaces: it is cut by characters)."""
    return _plain(textwrap.fill(text, width=16 if lang == "zh" else 30, break_on_hyphens=False))


# -- fonts -------------------------------------------------------------------------------------------------------
def find_cjk_font() -> str | None:
    """The family name of the first installed font of :data:`CJK_FONTS` (or any other whose name says CJK), or
    None. A font installed after matplotlib made its font cache is found too (by its file name)."""
    fm = _mpl("matplotlib.font_manager")
    for attempt in range(2):
        names: set[str] = {f.name for f in fm.fontManager.ttflist}
        for name in (*CJK_FONTS, *sorted(n for n in names if "CJK" in n)):
            if name in names:
                return name
        if attempt == 0:
            hints = ("cjk", "wqy", "sourcehan", "simhei", "msyh", "pingfang", "uming", "ukai")
            for path in sorted(fm.findSystemFonts()):
                if any(h in Path(path).name.lower().replace("-", "") for h in hints):
                    fm.fontManager.addfont(path)
    return None


def _missing_glyph(family: str | None, texts: Iterable[str]) -> str | None:
    """The first character of ``texts`` the font cannot show, or None."""
    fm = _mpl("matplotlib.font_manager")
    path = fm.findfont(fm.FontProperties(family=family), fallback_to_default=False)
    charmap = _mpl("matplotlib.ft2font").FT2Font(path).get_charmap()
    return next((c for c in sorted(set("".join(texts))) if not c.isspace() and ord(c) not in charmap), None)


def _font(lang: Lang, font: str | None, texts: Sequence[str]) -> str | None:
    """The font family to draw ``texts`` in (None: matplotlib's default), or an :class:`InvalidInput`."""
    fm = _mpl("matplotlib.font_manager")
    if font is not None:
        if Path(font).is_file():
            fm.fontManager.addfont(font)
            font = str(fm.FontProperties(fname=font).get_name())
        elif font not in {f.name for f in fm.fontManager.ttflist}:
            raise InvalidInput("font", f"no installed font is named {font!r}; give a family name or a font file")
        missing = _missing_glyph(font, texts)
        if missing is not None:
            raise InvalidInput("font", f"the font {font!r} cannot show {missing!r}; name a CJK font, or {INSTALL_CJK}")
        return font
    if lang == "en" and _missing_glyph(None, texts) is None:
        return None
    family = find_cjk_font()
    if family is None:
        raise InvalidInput("font", f"Chinese labels need a CJK font and none is installed: {INSTALL_CJK}; or font=")
    missing = _missing_glyph(family, texts)
    if missing is not None:
        raise InvalidInput("font", f"the font {family!r} cannot show {missing!r}; name one that can with font=")
    return family


# -- drawing -----------------------------------------------------------------------------------------------------
def _axes(ax: Axes | None, bars: int, vertical: bool) -> tuple[Figure, Axes]:
    if ax is not None:
        return ax.figure, ax  # type: ignore[return-value]
    height = 4.6 if vertical else max(3.0, 0.5 * bars + 2.0)
    fig = _mpl("matplotlib.figure").Figure(figsize=(8.0, height), layout="constrained")
    _mpl("matplotlib.backends.backend_agg").FigureCanvasAgg(fig)  # the non-interactive Agg canvas, explicitly
    return fig, fig.add_subplot()


def _tick_text(lang: Lang) -> Any:
    """Tick labels of the money axis: ``50万`` in Chinese, ``500,000`` in English (drawing, not the money path)."""

    def text(value: float, _pos: object) -> str:
        if lang == "zh" and abs(value) >= 10000:
            return f"{value / 10000:,.4g}万"
        if lang == "en" and abs(value) >= 1000:
            return f"{value / 1e6:,.4g}M" if abs(value) >= 1e6 else f"{value / 1000:,.4g}k"
        return f"{value:,.0f}"

    return _mpl("matplotlib.ticker").FuncFormatter(text)


def _bars(
    ax: Axes, vertical: bool, where: float, size: float, amount: AmountRange, end: Decimal, color: str, gid: str
) -> None:
    """One range at ``where`` (its position across the value axis): solid to ``low``, light to ``high``, hatched to
    ``end`` with an arrow head when unbounded. Money becomes float here only: drawing is not the money path."""
    low, high = float(amount.low), None if amount.high is None else float(amount.high)
    spans: list[tuple[str, float, float, dict[str, Any]]] = [("low", 0.0, low, {"color": color})]
    if high is None:
        hatch = {"color": color, "alpha": 0.18, "hatch": "///", "edgecolor": color, "linewidth": 0}
        spans.append(("open", low, float(end) - low, hatch))
    elif high > low:
        spans.append(("range", low, high - low, {"color": color, "alpha": 0.4}))
    for kind, start, length, style in spans:
        gid_ = f"tuoyu-{kind}-{gid}"
        if vertical:
            ax.bar(where, length, width=size, bottom=start, gid=gid_, **style)
        else:
            ax.barh(where, length, height=size, left=start, gid=gid_, **style)
    if high is None:
        at = (where, float(end)) if vertical else (float(end), where)
        ax.plot(*at, marker="^" if vertical else ">", color=color, clip_on=False, gid=f"tuoyu-unbounded-{gid}")


def _legend(ax: Axes, own: bool, series: Sequence[tuple[str, str]], words: Sequence[str], family: str | None) -> None:
    """The legend: the series' colours, then the three forms of a bar; below the axes on a figure of our own."""
    patches = _mpl("matplotlib.patches")
    handles = [patches.Patch(color=c, label=n) for n, c in series]
    gray = "#555555"
    handles += [
        patches.Patch(color=gray, label=words[0]),
        patches.Patch(color=gray, alpha=0.4, label=words[1]),
        patches.Patch(facecolor="none", edgecolor=gray, hatch="///", label=words[2]),
    ]
    prop = {"size": 8} if family is None else {"family": family, "size": 8}
    if own:
        wide = max(len(line) for h in handles for line in str(h.get_label()).splitlines()) > 24
        ax.figure.legend(handles=handles, loc="outside lower center", ncols=2 if wide else 3, prop=prop)
    else:
        ax.legend(handles=handles, loc="best", prop=prop)


def _top(amounts: Iterable[AmountRange]) -> Decimal:
    """The largest finite bound (1 when every bound is 0): where the value axis ends, before its margin."""
    top = max((b for a in amounts for b in (a.low, a.high) if b is not None), default=Decimal(0))
    return top if top > 0 else Decimal(1)


def _style(ax: Axes, family: str | None, title: str, value_label: str, vertical: bool, lang: Lang) -> None:
    font = {} if family is None else {"fontfamily": family}
    ax.set_title(_plain(title), fontsize=11, **font)  # type: ignore[arg-type]
    (ax.set_ylabel if vertical else ax.set_xlabel)(value_label, **font)  # type: ignore[arg-type]
    (ax.yaxis if vertical else ax.xaxis).set_major_formatter(_tick_text(lang))
    if family is not None:
        ax.tick_params(labelfontfamily=family)
    ax.grid(axis="y" if vertical else "x", alpha=0.3)
    ax.set_axisbelow(True)


_LEGEND = (msg("whatif.chart.low"), msg("whatif.chart.range"), msg("whatif.chart.unbounded"))


def plot_budget(budget: Budget, *, lang: Lang = "en", font: str | None = None, ax: Axes | None = None) -> Figure:
    """A budget (or a sweep) as horizontal bars: one group per payer line (payer and basis), one bar per scenario."""
    lang = check_lang(lang)
    keys = sorted({(t.payer, t.basis) for s in budget.scenarios for t in s.by_payer})
    catalog = _catalog(p for p, _ in keys)
    zero = AmountRange.zero()
    cells = [
        [(t.amount, t.undetermined) if (t := s.payer_total(p, b)) else (zero, 0) for s in budget.scenarios]
        for p, b in keys
    ]
    labels = [catalog.render(msg("whatif.chart.line", payer=p, basis=b), lang) for p, b in keys]
    values = [[catalog.render(_value(a, n), lang) for a, n in row] for row in cells]
    names = [_scenario_name(catalog, s.name, s.reform, lang) for s in budget.scenarios]
    title = catalog.render(msg("whatif.chart.budget_title", facilities=budget.facilities, on=budget.on), lang)
    words = [catalog.render(m, lang) for m in _LEGEND]
    axis = catalog.render(msg("whatif.chart.amount"), lang)
    family = _font(lang, font, [*labels, *names, title, axis, *words, *(v for row in values for v in row)])
    own = ax is None
    fig, ax = _axes(ax, len(keys) * len(names), vertical=False)
    end = _top(a for row in cells for a, _ in row) * Decimal("1.6")  # room for the value labels
    size = 0.8 / max(len(names), 1)
    font_kw = {} if family is None else {"fontfamily": family}
    for i, row in enumerate(cells):
        for j, (amount, _) in enumerate(row):
            y = i + (j - (len(names) - 1) / 2) * size
            color = PALETTE[j % len(PALETTE)]
            _bars(ax, False, y, size * 0.9, amount, end, color, f"{i}-{j}")
            at = amount.low if amount.high is None else amount.high
            box = {"facecolor": "white", "alpha": 0.8, "linewidth": 0} if amount.high is None else None
            x = float(at) + float(end) * 0.01  # drawing, not the money path
            ax.text(x, y, _plain(values[i][j]), va="center", fontsize=8, bbox=box, **font_kw)  # type: ignore[arg-type]
    ax.set_yticks(range(len(keys)), [_wrap(lb, lang) for lb in labels])
    ax.set_ylim(len(keys) - 0.5, -0.5)  # the first line on top
    ax.set_xlim(0, float(end))
    _style(ax, family, title, axis, False, lang)
    series = [(_wrap(n, lang), c) for n, c in zip(names, PALETTE, strict=False)] if len(names) > 1 else []
    _legend(ax, own, series, words, family)
    return fig


def plot_projection(
    projection: Projection, *, lang: Lang = "en", font: str | None = None, ax: Axes | None = None
) -> Figure:
    """A projection as vertical bars: one group per calendar year, one bar per payer (all programmes summed)."""
    lang = check_lang(lang)
    totals = projection.totals()
    years = sorted({t.year for t in totals})
    payers = sorted({t.payer for t in totals})
    catalog = _catalog([*payers, projection.jurisdiction])
    names = [catalog.render(msg("whatif.chart.payer", payer=p), lang) for p in payers]
    title = catalog.render(
        msg(
            "whatif.chart.projection_title",
            jurisdiction=projection.jurisdiction,
            start=projection.start,
            end=projection.end,
        ),
        lang,
    )
    if projection.reform is not None:
        title += "\n" + catalog.render(msg("whatif.chart.reform", reform=projection.reform), lang)
    words = [catalog.render(m, lang) for m in _LEGEND]
    axis = catalog.render(msg("whatif.chart.amount"), lang)
    family = _font(lang, font, [*names, title, axis, *words])
    own = ax is None
    fig, ax = _axes(ax, len(years) * len(payers), vertical=True)
    end = _top(t.amount for t in totals) * Decimal("1.15")
    size = 0.8 / max(len(payers), 1)
    by_key = {(t.year, t.payer): t.amount for t in totals}
    for i, year in enumerate(years):
        for j, payer in enumerate(payers):
            amount = by_key.get((year, payer))
            if amount is not None:
                x = i + (j - (len(payers) - 1) / 2) * size
                _bars(ax, True, x, size * 0.9, amount, end, PALETTE[j % len(PALETTE)], f"{i}-{j}")
    ax.set_xticks(range(len(years)), [str(y) for y in years])
    ax.set_xlim(-0.5, len(years) - 0.5)
    ax.set_ylim(0, float(end))
    _style(ax, family, title, axis, True, lang)
    _legend(ax, own, [(_wrap(n, lang), c) for n, c in zip(names, PALETTE, strict=False)], words, family)
    return fig


def save(figure: Figure, path: str | Path) -> Path:
    """Write ``figure`` to ``path`` (``.png`` or ``.svg``, told by the suffix), the same bytes for the same chart."""
    target = check_target(path)
    kind = target.suffix.lower().lstrip(".")
    with _mpl("matplotlib").rc_context(STABLE_RC):
        figure.savefig(target, format=kind, metadata=dict(METADATA[kind]), dpi=150)
    return target


# -- notebook ----------------------------------------------------------------------------------------------------
def budget_html(budget: Budget, lang: Lang = "en") -> str:
    """A budget as a compact HTML table: one row per payer line, one column per scenario; every text escaped."""
    lang = check_lang(lang)
    keys = sorted({(t.payer, t.basis) for s in budget.scenarios for t in s.by_payer})
    catalog = _catalog(p for p, _ in keys)
    head = catalog.render(
        msg("whatif.chart.facilities", facilities=budget.facilities, on=budget.on, errors=budget.error_count), lang
    )
    cols = [catalog.render(msg("whatif.chart.payer_head"), lang)]
    cols += [_scenario_name(catalog, s.name, s.reform, lang) for s in budget.scenarios]
    rows = []
    for payer, basis in keys:
        cells = [catalog.render(msg("whatif.chart.line", payer=payer, basis=basis), lang)]
        for s in budget.scenarios:
            t = s.payer_total(payer, basis)
            cells.append(catalog.render(_value(t.amount, t.undetermined), lang).replace("\n", "; ") if t else "")
        rows.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    header = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
    return (
        f'<table class="tuoyu-budget"><caption>{html.escape(head)}</caption>'
        f"<thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
