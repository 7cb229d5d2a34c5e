"""Hover: a key's values and its document's config count; a name's `let`
(an imported name's, with its file); a sampled key's distribution and first
draws; a computed value's results; a `${path}`'s key; what a `delete`
removes; an `import`'s file and names; the `sample` line's design."""

from __future__ import annotations

import importlib.util
import json
import os
import time
from collections.abc import Sequence

import attrs
from lsprotocol import types as lsp

from .. import nodes
from ..compose import DELETED
from ..compute import Computed
from ..predicate import value_at
from ..dynamic import DynamicValue, Json, Template, Variants, Zip
from ..expand import Combos, axis_count, choices, count, fill, product_from, sampler, size_of, wheres
from ..filters import Count
from ..lower import Lowered, Site
from ..predicate import ComputeError
from ..sampling import Distribution, MissingExtra, Sample, mint_form, sampled_paths
from ..source import Span
from ..sweep import Space
from .analysis import Analysis, count_text

MAX_SHOWN_VALUES = 10
SHOWN_DRAWS = 5
"""A sampled key's hover shows the values of the document's first this many configs."""
MAX_DESIGN = 100_000
"""Past this many samples, hover draws no values of a quasi-random method
(its design, of all the samples at once, is made when the configs are written)."""
RESULT_CONFIGS = 1_000
"""A computed value's hover computes it in at most this many of the document's first configs..."""
RESULT_SECONDS = 0.05
"""... and for at most this long (a `where` that keeps few configs of a huge sweep is scanned no further)."""
MAX_RESULTS = 8
"""The distinct results shown; `… N more` stands for the others."""
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


def _code(text: str) -> str:
    """Inline code, or escaped text when it holds a backtick."""
    return md(text) if "`" in text else f"`{text}`"


def _at(config: Json, path: Sequence[str]) -> Json:
    """The value at a key path of a config (or template), None when it has none."""
    return value_at(config, path, None)


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


_ABSENT: Json = object()


def _value_at(config: Json, path: Sequence[str]) -> Json:
    """The value at a key path of a config, `_ABSENT` when it has none."""
    return value_at(config, path, _ABSENT)


@attrs.frozen
class Results:
    """What a computed value gives in a document's first configs."""

    values: list[Json]  # the distinct values, in the order they first appear
    configs: int  # how many configs were computed
    complete: bool  # whether those are all the document's configs
    tested: int  # how many combinations of the axes were looked at (`where` keeps some of them)
    error: ComputeError | None = None  # the first that failed (its `index`: the config's, in the document)


def computed_values(template: Template, path: Sequence[str], limit: int = RESULT_CONFIGS,
                    seconds: float = RESULT_SECONDS) -> Results:
    """The values the computed value at `path` takes in the document's first
    configs (those `where` keeps), computed as the output computes them
    (sampled values drawn, then every computed value): at most `limit`
    configs, for at most `seconds`, so a sweep of any size answers at once.
    A config without the key (another `variants` alternative's) adds no
    value. Raises `MissingExtra` for a quasi-random `sample` without scipy."""
    space = Space(template)
    deadline = time.perf_counter() + seconds
    seen: dict[str, Json] = {}
    done = 0
    for raw, combo in enumerate(product_from(space.choices)):
        if done >= limit or time.perf_counter() > deadline:
            return Results(list(seen.values()), done, False, raw)
        if not space.filter.keeps(combo):
            continue
        try:
            config = space.draws(fill(space.template, iter(combo)), raw)
        except ComputeError as exc:
            exc.index = done
            return Results(list(seen.values()), done, False, raw, exc)
        done += 1
        value = _value_at(config, path)
        if value is not _ABSENT:
            seen.setdefault(json.dumps(value, sort_keys=True, ensure_ascii=False, default=str), value)
    return Results(list(seen.values()), done, True, space.total)


def _first_index(analysis: Analysis, doc: nodes.Document) -> int | None:
    """The index in the whole sweep of the document's first config (None
    when a document before it is not counted exactly)."""
    offset = 0
    for i, low in enumerate(analysis.unit.documents):
        if low.node is doc:
            return offset
        found = analysis.unit.count(i)
        if not found.exact:
            return None
        offset += found.configs
    return None


def _failure_text(analysis: Analysis, doc: nodes.Document, site: Site, exc: ComputeError) -> str:
    """`error E100: config 1: division by zero: ...`, as `mintc compile`
    reports it, and where the failing expression is when it is another
    key's (computed before this one)."""
    index = exc.index or 0
    first = _first_index(analysis, doc)
    which = f"config {index} of this document" if first is None else f"config {first + index}"
    path, line = exc.loc[0], exc.loc[1]
    span = site.entry.value.span
    where = ""
    if path != span.source.path or not span.line <= line <= span.end_line:
        shown = f"line {line}" if path == span.source.path else f"{os.path.basename(path)}:{line}"
        where = f" (in the value at {shown})"
    return f"error E100: {md(which)}: {md(exc.message)}{md(where)}"


def _results_text(analysis: Analysis, doc: nodes.Document, site: Site) -> str | None:
    """`values: 0.0125, 0.025`: what a computed value gives in the document's
    first configs (at most `MAX_RESULTS` of them, then `… N more`, and
    `(first 1,000 configs)` when not all were computed); the error of the
    first config it fails for instead. Only while the file compiles."""
    low = analysis.lowered(doc)
    if low is None or not analysis.unit.ok:
        return None
    sample = sampler(low.template)
    if sample is not None and sample.method != "random" and sample.n > MAX_DESIGN:
        return (f"values: not computed here (a `{sample.method}` design of {sample.n:,} points is made "
                "when the configs are written)")
    try:
        found = computed_values(low.template, site.path)
    except MissingExtra:
        method = sample.method if sample is not None else ""
        return f"values: `sample ... {method}` needs scipy: `pip install 'spearmint-lang[sampling]'`"
    if found.error is not None:
        return _failure_text(analysis, doc, site, found.error)
    cut = "" if found.complete else f" (first {found.configs:,} config{'s' if found.configs != 1 else ''})"
    if not found.values:
        if found.configs == 0:
            return f"values: not computed here (`where` keeps none of the first {found.tested:,} combinations)"
        return f"values: not set in {'any config' if found.complete else 'the first ' + f'{found.configs:,} configs'}"
    shown = ", ".join(_show(v) for v in found.values[:MAX_RESULTS])
    if len(found.values) > MAX_RESULTS:
        shown += f", … {len(found.values) - MAX_RESULTS:,} more"
    label = "value" if len(found.values) == 1 and found.complete else "values"
    return f"{label}{cut}: {md(shown)}"


def _site_in(low: Lowered, path: Sequence[str]) -> Site | None:
    """The entry of a lowered document (or, failing that, of the files it
    extends, the last first) that sets the key at `path`."""
    found = next((site for site in low.sites if site.path == tuple(path)), None)
    if found is not None:
        return found
    for _, base in reversed(low.bases):
        found = _site_in(base, path)
        if found is not None:
            return found
    return None


def _deleted_text(analysis: Analysis, doc: nodes.Document, site: Site) -> str:
    """What a `key: delete` removes: the value of the extended file that
    sets the key (the last of them that does)."""
    low = analysis.lowered(doc)
    for extends, base in reversed(low.bases if low is not None else ()):
        if _value_at(base.template, site.path) is _ABSENT:
            continue
        text = f"deleted: removes the value `{md(extends.path.value)}` sets"
        origin = _site_in(base, site.path)
        return text if origin is None else f"{text} ({describe(analysis, origin)})"
    return "deleted: removes the value an extended file sets"


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
    if value is DELETED:
        return "deleted"
    if isinstance(value, DynamicValue):
        return md(values_text(choices(value), axis_count(value)))
    if isinstance(value, dict) and _has_axes(value):
        n = count(value)
        return f"object with sweeps: {n:,} combination{'s' if n != 1 else ''}"
    return "static: " + md(_show(value))


def hover_text(analysis: Analysis, doc: nodes.Document, site: Site) -> str:
    """The hover of a key: its path and values, then its document's config count."""
    what = _deleted_text(analysis, doc, site) if site.lowered is DELETED else describe(analysis, site)
    lines = [f"**{md('.'.join(site.path))}** — {what}"]
    if isinstance(site.lowered, Computed):
        lines.append(_results_text(analysis, doc, site) or "")
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


def _file_name(analysis: Analysis, path: str) -> str:
    """A file as the document names it: relative to the document's folder."""
    if analysis.source.path.startswith("<"):
        return path
    return os.path.relpath(path, os.path.dirname(os.path.abspath(analysis.source.path)))


def let_text(analysis: Analysis, ref: nodes.Ref, let: nodes.Let) -> str:
    """The hover of a name: its `let`; for an imported name, the file it comes from."""
    text = let.span.text
    if len(text) > _MAX_LET_CHARS:
        text = text[: _MAX_LET_CHARS - 1] + "…"
    out = f"```mint\n{text}\n```"
    if analysis.owns(let.span.source):
        return out
    alias = ref.name.split(".", 1)[0]
    return f"{out}\n\nfrom {_code(_file_name(analysis, let.span.source.path))}, imported as `{alias}`"


def import_text(analysis: Analysis, item: nodes.Import) -> str:
    """The hover of an `import`: its file and the names it gives."""
    target = analysis.extends_target(item)
    shown = _code(item.path.value if target is None else _file_name(analysis, target))
    names = analysis.imported_names(item.name.name)
    more = ", …" if len(names) > MAX_SHOWN_VALUES else ""
    listed = ", ".join(_code(name) for name in names[:MAX_SHOWN_VALUES]) + more
    given = f"its `let` names: {listed}" if names else "no `let` names"
    return f"**{md(item.name.name)}** — the file {shown}\n\n{given}"


def _path_hover(analysis: Analysis, doc: nodes.Document, line: int, column: int) -> lsp.Hover | None:
    """A `${path}` (or a `where` path) under the cursor: the hover of the key it names."""
    low = analysis.lowered(doc)
    for item in doc.items:
        if not (isinstance(item, (nodes.Where, nodes.Entry, nodes.Zip, nodes.Variants))
                and item.span.contains(line, column)):
            continue
        for path in nodes.walk(item):
            if isinstance(path, nodes.Path) and path.span.contains(line, column):
                sites = analysis.sites(doc)
                site = next((s for s in sites if s.path == path.parts), None)
                if site is None and low is not None:
                    site = _site_in(low, path.parts)
                return None if site is None else _markdown(analysis, hover_text(analysis, doc, site), path.span)
    return None


def hover(analysis: Analysis, pos: lsp.Position) -> lsp.Hover | None:
    """Hover on a key (values and counts; a sampled key's distribution and
    first draws; a computed value's results), on a `let` name (its
    definition; an imported one's file), on a `${path}` or `where` path (its
    key's hover), on `delete`, on an `import` or on a `sample` line."""
    line, column = analysis.index.location(pos)
    doc = analysis.document_at(line)
    if doc is None:
        return None
    for site in analysis.sites(doc):
        if site.entry.key.span.contains(line, column):
            return _markdown(analysis, hover_text(analysis, doc, site), site.entry.key.span)
        if isinstance(site.entry.value, nodes.Delete) and site.entry.value.span.contains(line, column):
            return _markdown(analysis, hover_text(analysis, doc, site), site.entry.value.span)
    ref = analysis.ref_at(line, column)
    if ref is not None:
        let = analysis.let_for(ref)
        if let is not None:
            return _markdown(analysis, let_text(analysis, ref, let), ref.span)
    found = _path_hover(analysis, doc, line, column)
    if found is not None:
        return found
    for item in doc.items:
        if isinstance(item, nodes.SampleItem) and item.span.contains(line, column):
            return _markdown(analysis, sample_hover_text(analysis, doc), item.span)
        if isinstance(item, nodes.Import) and item.span.contains(line, column):
            return _markdown(analysis, import_text(analysis, item), item.span)
    return None
