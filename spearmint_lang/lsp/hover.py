"""Hover: a key's values and its document's config count; a name's `let`;
a sampled key's distribution and first draws; the `sample` line's design."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Sequence

from lsprotocol import types as lsp

from .. import nodes
from ..compute import Computed
from ..dynamic import DynamicValue, Json, Template, Variants, Zip
from ..expand import Combos, axis_count, choices, count, sampler, size_of, wheres
from ..filters import Count
from ..lower import Site
from ..sampling import (Choice, Distribution, LogNormal, LogUniform, MissingExtra, Normal, RandInt, Sample, Uniform,
                        sampled_paths)
from ..source import Span
from .analysis import Analysis, count_text

MAX_SHOWN_VALUES = 10
SHOWN_DRAWS = 5
"""A sampled key's hover shows the values of the document's first this many configs."""
MAX_DESIGN = 100_000
"""Past this many samples, hover draws no values of a quasi-random method
(its design, of all the samples at once, is made when the configs are written)."""
_MAX_VALUE_CHARS = 60
_MAX_LET_CHARS = 300


def _show(value: Json) -> str:
    """One value, as JSON, shortened."""
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= _MAX_VALUE_CHARS else text[: _MAX_VALUE_CHARS - 1] + "…"


def md(text: str) -> str:
    """Escape Markdown's special characters."""
    return "".join("\\" + ch if ch in "\\`*_[]<>#|~" else ch for ch in text)


def values_text(values: Sequence[Json], total: int | None = None) -> str:
    """`5 values: 0, 25, 50, 75, 100`, at most `MAX_SHOWN_VALUES` of them, then `…`."""
    n = len(values) if total is None else total
    shown = ", ".join(_show(v) for v in values[:MAX_SHOWN_VALUES])
    more = ", …" if n > MAX_SHOWN_VALUES else ""
    return f"{n:,} value{'s' if n != 1 else ''}: {shown}{more}"


def _has_axes(value: Json) -> bool:
    if isinstance(value, (DynamicValue, Zip, Variants)):
        return True
    return isinstance(value, dict) and any(_has_axes(v) for v in value.values())


def _literal(value: Json) -> str:
    """A value as `.mint` writes it (JSON is `.mint`)."""
    return json.dumps(value, ensure_ascii=False)


def mint_form(dist: Distribution) -> str:
    """A distribution as `.mint` writes it: `loguniform(1e-05, 0.1)`,
    `uniform(0, 1) step 0.05`, `choice(["a", "b"], weights: [3, 1])`."""
    if isinstance(dist, Choice):
        weights = "" if dist.weights is None else f", weights: [{', '.join(_literal(w) for w in dist.weights)}]"
        return f"choice([{', '.join(_literal(v) for v in dist.values)}]{weights})"
    if isinstance(dist, (Normal, LogNormal)):
        args: tuple[Json, ...] = (dist.mu, dist.sigma)
    elif isinstance(dist, (Uniform, LogUniform, RandInt)):
        args = (dist.a, dist.b)
    else:
        args = ()
    step = "" if dist.step is None else f" step {dist.step}"
    return f"{dist.name}({', '.join(_literal(a) for a in args)}){step}"


def _code(text: str) -> str:
    """Inline code, or escaped text when it holds a backtick."""
    return md(text) if "`" in text else f"`{text}`"


def _at(config: Json, path: Sequence[str]) -> Json:
    """The value at a key path of a config (or template), None when it has none."""
    for part in path:
        if not isinstance(config, dict) or part not in config:
            return None
        config = config[part]
    return config


def first_draws(template: Template, path: Sequence[str], dist: Distribution, total: int) -> list[tuple[int, Json]]:
    """The values the distribution at `path` takes in the document's first
    configs (at most `SHOWN_DRAWS`, of `total` before `where`): (config
    index, value) for each of them that draws it, as `sampling.draw` draws
    it; none when the document has no `sample`. Configs are computed by
    index, and only when the key is not in every config (a `variants`
    alternative's, an object a sweep chooses). Raises `MissingExtra` for a
    quasi-random method without scipy."""
    sample = sampler(template)
    if sample is None:
        return []
    key = ".".join(path)
    paths = sampled_paths(template) if sample.method != "random" else [key]  # (random draws read no design)
    indices = list(range(min(SHOWN_DRAWS, total)))
    if _at(template, path) is not dist:
        combos = Combos(template)
        indices = [i for i in indices if _at(combos.value(i), path) is dist]
    return [(i, dist.value(sample.unit(i, i % sample.n, key, paths))) for i in indices]


def _draws_text(analysis: Analysis, doc: nodes.Document, site: Site, dist: Distribution) -> str | None:
    """`first 5 configs: ...` for a sampled key (`–` for a config that does
    not draw it), while the file compiles."""
    low = analysis.lowered(doc)
    if low is None or not analysis.unit.ok:
        return None
    sample = sampler(low.template)
    if sample is None:
        return None
    if sample.method != "random" and sample.n > MAX_DESIGN:
        return (f"first values: not drawn here (a `{sample.method}` design of {sample.n:,} points is made "
                "when the configs are written)")
    total = count(low.template)
    try:
        drawn = dict(first_draws(low.template, site.path, dist, total))
    except MissingExtra:
        return f"first values: `sample ... {sample.method}` needs scipy: `pip install 'spearmint-lang[sampling]'`"
    shown = min(SHOWN_DRAWS, total)
    if not drawn:
        return f"not drawn in the first {shown} configs" if shown > 1 else None
    label = "first config" if shown == 1 else f"first {shown} configs"
    before = " (before `where`)" if wheres(low.template) else ""
    values = ", ".join(_show(drawn[i]) if i in drawn else "–" for i in range(shown))
    note = " (– where a config does not draw it)" if len(drawn) < shown else ""
    return f"{label}{before}: {md(values)}{note}"


def describe(analysis: Analysis, site: Site) -> str:
    """What a key stands for: its values, or `static`."""
    value = site.lowered
    if analysis.is_unknown(value):
        return "values unknown until this entry compiles"
    if site.zipped is not None:
        others = ", ".join(f"`{k}`" for k in site.zipped if k != site.path[-1])
        paired = f" (paired by `zip` with {others})" if others else " (in a `zip`)"
        return md(values_text(value, size_of(value))) + paired
    if isinstance(value, Distribution):
        return "sampled from " + _code(mint_form(value))
    if isinstance(value, Computed):
        return "computed for each config: " + _code(site.entry.value.span.text)
    if isinstance(value, DynamicValue):
        return md(values_text(choices(value), axis_count(value)))
    if isinstance(value, dict) and _has_axes(value):
        n = count(value)
        return f"object with sweeps: {n:,} combination{'s' if n != 1 else ''}"
    return "static: " + md(_show(value))


def hover_text(analysis: Analysis, doc: nodes.Document, site: Site) -> str:
    """The hover of a key: its path and values, then its document's config count."""
    lines = [f"**{md('.'.join(site.path))}** — {describe(analysis, site)}"]
    if isinstance(site.lowered, Distribution):
        drawn = _draws_text(analysis, doc, site, site.lowered)
        if drawn is not None:
            lines.append(drawn)
    if site.alternative is not None:
        lines.append(f"in `variants` alternative {site.alternative}")
    lines.append(_count_line(analysis, doc))
    return "\n\n".join(line for line in lines if line)


def sample_text(sample: Sample, found: Count | None) -> str:
    """`64 samples × 3 grid points`: the sample axis by the grid's points
    (those `where` keeps), when the count is exact; `64 samples` otherwise."""
    samples = f"{sample.n:,} sample{'s' if sample.n != 1 else ''}"
    if found is None or not found.exact:
        return samples
    points = found.configs // sample.n
    return f"{samples} × {points:,} grid point{'s' if points != 1 else ''}"


def _count_line(analysis: Analysis, doc: nodes.Document, samples: bool = True) -> str:
    """`document: 192 configs (64 samples × 3 grid points)` (without the
    parenthesis when not `samples`), or why there is no count."""
    found = analysis.count_of(doc)
    if found is None:
        return "" if analysis.unit.ok else "the file has mistakes: no config count until they are fixed"
    i, n = found
    total = len(analysis.unit.documents)
    label = "document" if total == 1 else f"document {i + 1} of {total}"
    text = count_text(n)
    low = analysis.lowered(doc)
    sample = sampler(low.template) if low is not None else None
    if sample is not None and n.exact and samples:
        detail = sample_text(sample, n)
        text = f"{text[:-1]}; {detail})" if text.endswith(")") else f"{text} ({detail})"
    return f"{label}: {text}"


_METHODS = {
    "random": "each value is drawn from (seed, config, key path) alone, so any config, range or shard is drawn "
              "without the others",
    "sobol": "each grid point gets the same {n} points of a scrambled Sobol' sequence (`scipy.stats.qmc`)",
    "halton": "each grid point gets the same {n} points of a scrambled Halton sequence (`scipy.stats.qmc`)",
    "lhs": "each grid point gets the same {n}-point Latin hypercube (`scipy.stats.qmc`): one point in each of "
           "{n} strata of every sampled key",
}


def _has_scipy() -> bool:
    """Whether scipy can be imported (without importing it)."""
    try:
        return importlib.util.find_spec("scipy") is not None
    except (ImportError, ValueError):  # (a module in `sys.modules` without a spec)
        return False


def sample_hover_text(analysis: Analysis, doc: nodes.Document) -> str:
    """The hover of a `sample` line: samples × grid points, seed, method;
    how the values are drawn; the sampled keys; the document's count."""
    low = analysis.lowered(doc)
    sample = sampler(low.template) if low is not None else None
    if sample is None:
        return "\n\n".join(line for line in ("**sample** — unknown until this line compiles",
                                               _count_line(analysis, doc)) if line)
    found = analysis.count_of(doc)
    lines = [f"**sample** — {sample_text(sample, found[1] if found else None)}, seed {sample.seed}, "
             f"method {sample.method}",
             _METHODS[sample.method].format(n=f"{sample.n:,}")]
    if sample.method != "random" and not _has_scipy():
        lines.append(f"`{sample.method}` needs scipy: `pip install 'spearmint-lang[sampling]'`")
    keys = list(dict.fromkeys(".".join(site.path) for site in analysis.sites(doc)
                              if isinstance(site.lowered, Distribution)))
    if keys:
        more = ", …" if len(keys) > MAX_SHOWN_VALUES else ""
        shown = ", ".join(_code(k) for k in keys[:MAX_SHOWN_VALUES]) + more
        lines.append(f"sampled key{'s' if len(keys) != 1 else ''}: {shown}")
    lines.append(_count_line(analysis, doc, samples=False))
    return "\n\n".join(line for line in lines if line)


def _markdown(analysis: Analysis, text: str, span: Span) -> lsp.Hover:
    return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text),
                     range=analysis.index.range(span))


def hover(analysis: Analysis, pos: lsp.Position) -> lsp.Hover | None:
    """Hover on a key (values and counts; a sampled key's distribution and
    first draws), on a `let` name (its definition) or on a `sample` line."""
    line, column = analysis.index.location(pos)
    doc = analysis.document_at(line)
    if doc is None:
        return None
    for site in analysis.sites(doc):
        if site.entry.key.span.contains(line, column):
            return _markdown(analysis, hover_text(analysis, doc, site), site.entry.key.span)
    ref = analysis.ref_at(line, column)
    if ref is not None:
        let = analysis.let_for(ref)
        if let is not None:
            text = let.span.text
            if len(text) > _MAX_LET_CHARS:
                text = text[: _MAX_LET_CHARS - 1] + "…"
            return _markdown(analysis, f"```mint\n{text}\n```", ref.span)
    for item in doc.items:
        if isinstance(item, nodes.SampleItem) and item.span.contains(line, column):
            return _markdown(analysis, sample_hover_text(analysis, doc), item.span)
    return None
