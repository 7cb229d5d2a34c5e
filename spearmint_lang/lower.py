"""AST to the seed's data model: plain dicts holding `DynamicValue`s (and
`Zip`, `Variants`, `Where` for the constructs beyond the seed).

This is where meaning is checked: duplicate keys, names, ranges, where a
sweep may stand, zip lengths, variant conflicts and `where` paths and types.
The result is what a user would write in Python, so `expand` serves both.

Lowering also records where each value came from (`Site`: the entry, its
key path, its lowered value), so editors look values up instead of walking
the AST beside the result.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from decimal import Decimal

import attrs

from . import nodes as n
from .codes import Code
from .compose import (DELETED, Deletion, deletions, imported_lets, needed_by_schema, needed_by_where,
                      unknown_imported, unset, without_deleted)
from .dynamic import DynamicValue, Json, Slot, Template, Variants, Where, Zip
from .errors import Collector, Edit, Fix, Hint, Related, did_you_mean
from .expand import Combos, ListCombos, Rows, canonical, size_of
from .ranges import exact, from_texts
from .sampling import (METHODS, Choice, Distribution, LogNormal, LogUniform, Normal, RandInt, Sample, Uniform,
                       quasi_random_available)
from .source import Span

_RANGE_ERRORS = {
    "zero-step": (Code.E030, "the step of a range cannot be 0", "use a positive step to count up or a negative one to count down"),
    "step-away": (Code.E031, "the step points away from the end of the range, so the range is empty", None),
    "float-without-step": (Code.E032, "a float range needs a step", "add one, e.g. `0.0..1.0 step 0.1`, or `count n`"),
    "empty": (Code.E022, "this range has no values", "with `..<` the end is excluded: `0..<1` is just 0, `0..<0` is nothing"),
    "bad-count": (Code.E033, "`count` takes a whole number of at least 1", None),
    "count-one": (Code.E033, "`count 1` needs the start and the end to be equal", "use `count 2` or more for both ends"),
    "bad-factor": (Code.E033, "a geometric step `step *k` needs k > 0 and k != 1", "e.g. `1e-5..1e-1 step *10`"),
    "bad-geometric-start": (Code.E033, "a geometric range needs a nonzero start and an end of the same sign", "e.g. `1..1024 step *2`"),
    "too-many": (Code.E033, "this geometric range has more than 10,000 values", "use a larger factor, or a linear range"),
    "too-fine": (Code.E034, "this range's values are closer together than a 64-bit float can tell apart, so some would be equal",
                 "use a larger step, or fewer values with `count n`"),
}

MAX_VALUE_NODES = 100_000  # the elements of one value once `let` names are replaced
MAX_DEPTH = 100  # as E017 for brackets: nesting however it is built


def _close(word: str, candidates: Sequence[str], cutoff: float) -> list[str]:
    """The candidate nearest `word`, if any is near enough (for hints: only
    a file with a mistake imports difflib)."""
    import difflib

    return difflib.get_close_matches(word, candidates, n=1, cutoff=cutoff)
_MAX_COMPARED = 10_000  # axes up to this size are checked for repeated values (W003)

# Constants as other languages spell them.
_CONSTANTS = {"true": "true", "false": "false", "null": "null", "none": "null", "nil": "null", "yes": "true", "no": "false"}

Path = tuple[str, ...]


UNKNOWN: Json = object()
"""The lowered value of a site that could not be lowered (a mistake in it)."""


@attrs.frozen
class Site:
    """Provenance: an entry of the AST, its key path and what it lowered to."""

    entry: n.Entry
    path: Path
    lowered: Json
    zipped: tuple[str, ...] | None = None  # the keys of its `zip` block, when in one
    alternative: int | None = None  # its `variants` alternative (1-based), when in one


@attrs.define
class _Scope:
    """An object being lowered: what a later dotted key of it adds to."""

    out: Template = attrs.Factory(dict)
    seen: dict[str, Span] = attrs.Factory(dict)  # where each key is set
    entries: dict[str, tuple[n.Entry, _Scope | None]] = attrs.Factory(dict)  # each key's entry, and its object's scope


@attrs.define
class Lowered:
    """One document with content, lowered, with what files extending it need."""

    node: n.Document
    template: Template
    keys: set[str]  # top-level keys set by entries (its bases' included)
    schema: n.Schema | None  # its own, or its base's
    resolve: Callable[[n.Ref], n.Value | None]  # the `let` names of its schema's file (for the schema's bounds)
    wheres: list[n.Where]  # its own, then its base's
    sites: list[Site]
    extends: n.Extends | None = None  # the (last) `extends` it was built from
    bases: tuple[tuple[n.Extends, Lowered], ...] = ()  # each `extends` with what it loaded, in order
    where_lets: dict[str, Json] = attrs.field(factory=dict)  # the `let` values its `where`s name (its bases' too)


# Loads the lowered document of `extends "path"` (the Str node locates errors).
LoadBase = Callable[[n.Str], "Lowered | None"]
# A document rewritten once its base is loaded (the overrides of `overrides.Applier`).
Rewrite = Callable[[n.Document, "Lowered | None"], n.Document]


def _no_extends(path: n.Str) -> Lowered | None:
    return None


def has_content(doc: n.Document) -> bool:
    """Whether a document gives configs (entries, blocks or an `extends`)."""
    return any(isinstance(it, (n.Entry, n.Zip, n.Variants, n.Extends)) for it in doc.items)


class Lowerer:
    """Lowers one file's documents, recording every error it finds."""

    def __init__(self, errors: Collector, load_base: LoadBase = _no_extends) -> None:
        self.errors = errors
        self.lets: dict[str, n.Let] = {}
        self.load_base = load_base
        self.all_lets: dict[str, n.Key] = {}  # every `let` of the file, for hints
        self.sites: list[Site] = []
        self.shapes: dict[str, tuple[int, int]] = {}  # a name's value: elements and nesting, names replaced
        self.shared: dict[tuple[str, bool, bool], Json] = {}  # a name's value, lowered once and shared
        self.in_list = 0  # how many lists (not swept) the value being lowered stands in
        self.oversized: set[str] = set()  # names whose value broke a limit (reported once)
        self.drawn: dict[int, Distribution] = {}  # each distribution node lowered, by id: for `schema`
        self.sampled_names: dict[str, bool] = {}  # whether a name's value holds a distribution
        self.first_sampled: Span | None = None  # where the document's first distribution stands
        self.drawing = False  # whether the document has a distribution (one whose name is unknown included)
        self.rewrite: Rewrite | None = None  # the overrides of the command line, applied once `extends` is loaded
        self.imports: dict[str, tuple[n.Import, list[str]]] = {}  # `import ... as name`: the node, the file's names
        self.broken_imports: set[str] = set()  # import names whose file has mistakes (reported there)
        self.deletions: dict[int, Deletion] = {}  # the document's `delete`s that may stand, by node id
        self.computed: list[tuple[Path, n.Derived, bool]] = []  # the document's computed values: key path, node,
        # whether in a `variants` alternative
        self.in_alternative = 0

    def documents(self, ast: n.File) -> list[Lowered]:
        """Each document with content, lowered, in file order."""
        self.names(ast)
        out = []
        for doc in ast.documents:
            lowered = self.document(doc)
            if has_content(doc):
                out.append(lowered)
        return out

    def names(self, ast: n.File) -> None:
        """Know every `let` name of the file (for hints), before lowering."""
        for doc in ast.documents:
            for item in doc.items:
                if isinstance(item, n.Let):
                    self.all_lets.setdefault(item.name.name, item.name)

    def import_all(self, ast: n.File, load: Callable[[n.Import], dict[str, n.Let] | None]) -> None:
        """Every `import "file" as name` of the file, wherever it stands (its
        names are file-scoped, as `let`s are, and usable in the whole file):
        the file's `let`s become `name.x` (E109 for a name imported twice)."""
        for doc in ast.documents:
            for item in doc.items:
                if not isinstance(item, n.Import):
                    continue
                alias = item.name.name
                if alias in self.imports or alias in self.broken_imports:
                    first = self.imports[alias][0] if alias in self.imports else None
                    self.errors.error(Code.E109, f"`{alias}` is already the name of an import", item.name.span,
                                      related=(Related(first.name.span, f"`{alias}` is first imported here"),)
                                      if first is not None else (),
                                      hint=f"import each file once, under a name of its own: `import \"{item.path.value}\" "
                                           f"as {alias}2`")
                    continue
                lets = load(item)
                if lets is None:
                    self.broken_imports.add(alias)
                    continue
                self.imports[alias] = (item, list(lets))
                for name, let in imported_lets(alias, lets).items():
                    self.lets[name] = let
                    self.shapes[name] = self.shape(let.value)

    def unused_imports(self, ast: n.File) -> None:
        """W009: an `import` none of whose names the file uses."""
        if not self.imports:
            return
        used = {ref.name.partition(".")[0] for doc in ast.documents for item in doc.items
                if not isinstance(item, n.Import) for ref in n.walk(item) if isinstance(ref, n.Ref)}
        for alias, (node, _) in self.imports.items():
            if alias not in used:
                self.errors.warn(Code.W009, f"nothing of `{node.path.value}` is used: no value names `{alias}.`",
                                 node.span, hint=f"use its `let` names as `{alias}.name`, or remove the `import`")

    def adopt(self, doc: n.Document) -> None:
        """Define the `let` names of a document lowered by an earlier compile
        (whose lowered form and mistakes are reused, so none is reported)."""
        errors, self.errors = self.errors, Collector()
        try:
            for item in doc.items:
                if isinstance(item, n.Let):
                    self.define(item)
        finally:
            self.errors = errors

    def document(self, doc: n.Document) -> Lowered:
        """A document: `extends`, its items, its schema, then `where` filters."""
        self.sites = []
        self.first_sampled = None
        self.drawing = False
        self.computed = []
        loaded: list[tuple[n.Extends, Lowered]] = []  # each `extends` (in order) and what it loaded
        broken_base = False  # an `extends` whose file has mistakes: what it would set is unknown
        header = True  # `extends` (and `import`) lines come first
        for item in doc.items:
            if isinstance(item, n.Extends):
                if not header:
                    self.errors.error(Code.E070, "`extends` must come before the other items of its document",
                                      item.span, hint="move it to the top of the document, with the other `extends` lines")
                elif (found := self.load_base(item.path)) is not None:
                    loaded.append((item, found))
                else:
                    broken_base = True
            elif not isinstance(item, n.Import):
                header = False
        base = self.combine(loaded) if loaded else None
        extends = loaded[-1][0] if loaded else None
        if self.rewrite is not None:
            doc = self.rewrite(doc, base)
        schemas = [it for it in doc.items if isinstance(it, n.Schema)]
        self.deletions = deletions(doc, bool(loaded) or broken_base, self.errors)
        sample_from = next((ext for ext, b in reversed(loaded) if _has_sample(b.template)), extends)
        out, seen = self.items(doc.items, sweep_ok=True, path=())
        kept: list[Deletion] = []
        if base is not None and extends is not None:
            self.dotted_over(doc.items, base.template, extends)
            if not broken_base:
                kept = unset(self.deletions.values(), base.template, _splice_keys(base.template), self.errors)
            out = self.merge(base, out, seen, doc.span)
        out = without_deleted(out)
        base_sample = _take_sample(out)  # the base's `sample`: put back last, unless this document has its own
        samples = [it for it in doc.items if isinstance(it, n.SampleItem)]
        for again in samples[1:]:
            self.errors.error(Code.E091, "a document has at most one `sample`", again.span,
                              related=(Related(samples[0].span, "the first `sample` is here"),),
                              hint="keep one: it says how many configs each grid point gets")
        sample = self.sample(samples[0]) if samples else base_sample
        for extra in schemas[1:]:
            self.errors.error(Code.E081, "a document has at most one `schema`", extra.span,
                              related=(Related(schemas[0].span, "the first schema is here"),))
        schema = schemas[0] if schemas else (base.schema if base else None)
        own_wheres = [it for it in doc.items if isinstance(it, n.Where)]
        if schema is not None or own_wheres or (base is not None and base.wheres):
            from .predicate import Predicate  # only files that use them pay for them
            from .schema import Checker, check_types
            from .where import Kinds, check_where, compile_where, path_kinds, required_paths
        if schemas:
            check_types(schemas[0], self.errors)
        bounds = self.resolve_quiet if schemas or base is None else base.resolve  # (names in the schema's file)
        if schema is not None:
            checker = Checker(schema, self.errors, self.resolve_quiet, base.template if base else None, bounds,
                              drawn=lambda node: self.drawn.get(id(node)))
            checker.items(schema, doc.items, "")
            if not broken_base:
                base_keys = base.keys | {p[0] for p in required_paths(base.template)} if base else set()
                checker.required(schema.fields, doc.items, doc.span, base_keys)
        if self.computed:
            from .derive import check_computed
            from .where import path_kinds, required_paths

            check_computed(self.computed, path_kinds(out), required_paths(out), self.errors, self.let_json)
        where_lets = dict(base.where_lets) if base is not None else {}
        needed = self.needed(kept, loaded, schema)  # the inherited `where`s a `delete` breaks (reported)
        for ext, loaded_base in loaded:
            for inherited in loaded_base.wheres:
                if id(inherited) not in needed:
                    needed.add(id(inherited))  # (once, when two bases bring in the same one)
                    self.recheck(inherited, out, seen, ext, where_lets)
        kinds: Kinds | None = None  # the document's paths (a `where` slot adds none)
        for item in own_wheres:
            where_lets.update((p.parts[0], self.let_json(n.Ref(p.parts[0], p.span))) for p in n.walk(item.expr)
                              if isinstance(p, n.Path) and len(p.parts) == 1 and p.parts[0] in self.lets)
            if broken_base:
                continue  # its paths may come from the base: checked once the base compiles
            kinds = path_kinds(out) if kinds is None else kinds
            if check_where(item, out, self.errors, self.let_json, self.lets.__contains__, kinds):
                out[Slot("where")] = Where(Predicate(compile_where(item.expr, out, self.let_json, self.lets.__contains__,
                                                                   kinds)), "where")
        self.sampling(doc, out, samples, base_sample is not None, sample_from)
        if sample is not None:
            out[Slot("sample")] = sample  # last: the innermost axis
        gone = {d.path[0] for d in kept if len(d.path) == 1}
        keys = {it.key.name for it in doc.items if isinstance(it, n.Entry) and not isinstance(it.value, n.Delete)} | \
            (base.keys - gone if base else set())
        wheres = own_wheres + (base.wheres if base else [])
        sites = sorted(self.sites, key=lambda s: (s.entry.span.line, s.entry.span.column))
        return Lowered(doc, out, keys, schema, bounds, wheres, sites, extends, tuple(loaded), where_lets)

    def combine(self, loaded: list[tuple[n.Extends, Lowered]]) -> Lowered:
        """Several bases as one, applied in order, later ones winning (objects
        merge deeply, other values are replaced); their `where`s all hold, the
        last `sample` and the last schema win. A key one sets through `zip` or
        `variants` and another sets too is E072, at the later `extends`."""
        if len(loaded) == 1:
            return loaded[0][1]
        template: Template = {}
        keys: set[str] = set()
        sample: Sample | None = None
        spliced_by: dict[str, n.Extends] = {}  # keys set by a `zip` or `variants`, and the `extends` that brought them
        set_by: dict[str, n.Extends] = {}  # keys set by entries, likewise
        for ext, found in loaded:
            own = dict(found.template)
            sample = _take_sample(own) or sample
            # (a block an earlier base brought in too, as when both extend one file, is the same block)
            blocks = _splice_keys({k: v for k, v in own.items() if not (isinstance(k, Slot) and template.get(k) is v)})
            for key in sorted(found.keys & set(spliced_by)):
                first = spliced_by[key]
                self.errors.error(Code.E072, f"`{key}` is set by a `zip` or `variants` of `{first.path.value}`, so "
                                  f"`{ext.path.value}` cannot override it", ext.path.span,
                                  related=(Related(first.path.span, f"`{first.path.value}` is extended here"),),
                                  hint="extend only one of them, or move the key into the same block")
            for key in sorted(blocks & (set(set_by) | set(spliced_by))):
                first = set_by.get(key) or spliced_by[key]
                self.errors.error(Code.E072, f"`{key}` is set by `{first.path.value}` and by a `zip` or `variants` "
                                  f"of `{ext.path.value}`", ext.path.span,
                                  related=(Related(first.path.span, f"`{first.path.value}` is extended here"),),
                                  hint="extend only one of them, or move the key into the same block")
            template = _deep_merge(template, own)
            spliced_by.update({key: ext for key in blocks})
            set_by.update({key: ext for key in found.keys - blocks})
            keys |= found.keys
        if sample is not None:
            template[Slot("sample")] = sample
        schema_from = next((b for _, b in reversed(loaded) if b.schema is not None), loaded[-1][1])
        wheres = list({id(w): w for _, b in loaded for w in b.wheres}.values())  # (once each, as their filters)
        where_lets = {name: value for _, b in loaded for name, value in b.where_lets.items()}
        return Lowered(loaded[-1][1].node, template, keys, schema_from.schema, schema_from.resolve,
                       wheres, [], loaded[-1][0], tuple(loaded), where_lets)

    def needed(self, kept: list[Deletion], loaded: list[tuple[n.Extends, Lowered]], schema: n.Schema | None) -> set[int]:
        """E107 for each `delete` of a key an inherited `where` tests or the
        schema requires; the ids of the `where`s so reported."""
        reported: set[int] = set()
        for deletion in kept:
            hit = next(((ext, w) for ext, b in loaded for w in b.wheres if id(w) not in reported
                        and needed_by_where(deletion, w, ext.path.value, self.errors)), None)
            if hit is not None:
                reported.add(id(hit[1]))
            elif schema is not None:
                needed_by_schema(deletion, schema, self.errors)
        return reported

    def recheck(self, where: n.Where, template: Template, seen: dict[str, Span], extends: n.Extends,
                lets: dict[str, Json]) -> None:
        """A base's `where` against the document after this file's overrides
        (a key it tests may now hold another type): reported at the override.
        `lets`: the values of the base's `let` names its `where`s name."""
        from .derive import NOT_FIXED
        from .where import check_where

        scratch = Collector()
        if check_where(where, template, scratch, lambda ref: lets.get(ref.name, NOT_FIXED), lets.__contains__):
            return
        tested = {p.parts[0] for p in n.walk(where) if isinstance(p, n.Path)}
        overrides = [span for key, span in seen.items() if key in tested]
        at = overrides[0] if overrides else extends.path.span
        for diag in scratch.diagnostics:
            if diag.severity != "error":
                continue  # its warnings are the base file's own
            hint = Hint(diag.hint, diag.fixes) if diag.hint is not None else None
            self.errors.error(Code[diag.code], f"the `where` of `{extends.path.value}`: {diag.message}", at, hint,
                              (Related(diag.span, "in this comparison"),) + diag.related)

    def merge(self, base: Lowered, derived: Template, seen: dict[str, Span], where: Span) -> Template:
        """The base document with the derived entries laid over it: objects
        merge deeply, anything else is replaced in place."""
        spliced = _splice_keys(base.template)
        for name, span in seen.items():
            if name in spliced:
                self.errors.error(Code.E072, f"`{name}` is set by a `zip` or `variants` of the extended file and cannot be overridden",
                                  span, hint="override the whole block in a copy of the base, or drop the key here")
        for key in _splice_keys(derived):
            if key in base.keys:
                self.errors.error(Code.E072, f"`{key}` is set by the extended file and by a `zip` or `variants` here",
                                  seen.get(key, where))
        return _deep_merge(base.template, derived)

    def dotted_over(self, items: tuple[n.Node, ...], base: Template, extends: n.Extends) -> None:
        """E115: a dotted key overrides one key of an object of the base, not
        a key inside a value of the base that is not an object."""
        for item in items:
            if not isinstance(item, n.Entry) or not _opens(item):
                continue
            entry, current, names = item, base.get(item.key.name), [item.key.name]
            while _opens(entry) and isinstance(current, dict):
                value = entry.value
                assert isinstance(value, n.ObjectValue) and isinstance(value.items[0], n.Entry)
                entry = value.items[0]
                current, names = current.get(entry.key.name), names + [entry.key.name]
            if not _opens(entry) or current is None:
                continue
            innermost = entry
            while isinstance(innermost.value, n.ObjectValue) and len(innermost.value.items) == 1 and \
                    isinstance(innermost.value.items[0], n.Entry) and innermost.value.items[0].dotted:
                innermost = innermost.value.items[0]
            if isinstance(innermost.value, n.Delete):
                continue  # `a.b: delete` of a key the base cannot hold: E106 says there is nothing to delete
            where = ".".join(names)
            what = "a sweep" if isinstance(current, (DynamicValue, Distribution)) else _kind(current)
            self.errors.error(Code.E115, f"`{_dotted_text(item)}` sets a key inside `{where}`, but `{where}` is {what} "
                              f"in `{extends.path.value}`", _dotted_span(item),
                              hint=f"set `{where}` itself to replace it, as `{where}: {{ ... }}`")

    def resolve_quiet(self, ref: n.Ref) -> n.Value | None:
        """A name's value without reporting (errors were reported once already)."""
        let = self.lets.get(ref.name)
        return let.value if let is not None else None

    def items(self, items: tuple[n.Node, ...], sweep_ok: bool, path: Path,
              alternative: int | None = None, scope: _Scope | None = None) -> tuple[Template, dict[str, Span]]:
        """An object's items in source order, and where each key is set
        (`scope`: an object's, whose entries these continue)."""
        fresh = scope is None
        scope = scope or _Scope()
        out, seen = scope.out, scope.seen
        variants: list[tuple[n.Variants, list[dict[str, Span]]]] = []
        for item in items:
            if not path and isinstance(item, (n.Entry, n.Zip, n.Variants)) and not self.bounded(item):
                continue
            if isinstance(item, n.Entry):
                name = item.key.name
                here = path + (name,)
                earlier = scope.entries.get(name)
                if earlier is not None and self.dotted(item, earlier, sweep_ok, here):
                    self.sites.append(Site(item, here, out.get(name), alternative=alternative))
                elif self._claim(name, item.key.span, seen):
                    inner: _Scope | None = None
                    if isinstance(item.value, n.ObjectValue):
                        inner = _Scope()
                        value = self.items(item.value.items, sweep_ok, here, scope=inner)[0]
                    else:
                        value = self.value(item.value, sweep_ok, here)
                    out[name] = value
                    scope.entries[name] = (item, inner)
                    self.sites.append(Site(item, here, value, alternative=alternative))
            elif isinstance(item, n.Let):
                self.define(item)
            elif isinstance(item, (n.Where, n.Extends, n.Schema, n.SampleItem, n.Import)):
                continue  # handled by `document` once all keys are known
            elif not sweep_ok:
                self.errors.error(Code.E023, _FIXED_LIST, item.span, hint=_FIXED_LIST_HINT)
            elif isinstance(item, n.Zip):
                out[Slot("zip")] = self.zip(item, seen, path, alternative)
            elif isinstance(item, n.Variants):
                alts, keysets = self.variants(item, path)
                variants.append((item, keysets))
                out[Slot("variants")] = alts
        if fresh:
            self.quoted_dots(scope)
        for block, keysets in variants:
            for keys in keysets:
                for name, span in keys.items():
                    if name in seen:
                        self.errors.error(
                            Code.E064, f"key `{name}` is set both here and by a `variants` alternative",
                            seen[name], related=(Related(span, f"the alternative sets `{name}` here"),),
                            hint="set it in every alternative instead, or only outside `variants`",
                        )
        return out, seen

    def quoted_dots(self, scope: _Scope) -> None:
        """W011: a quoted key with a dot (`"optimizer.lr": 0.1`) beside an
        object of its first part is one flat key, most likely meant as the
        dotted key that sets a key inside that object."""
        for name, (entry, _) in scope.entries.items():
            head = name.split(".")[0]
            if "." not in name or not entry.key.span.text.startswith('"') or head not in scope.entries \
                    or not isinstance(scope.out.get(head), dict):
                continue
            first = scope.entries[head][0]
            text = f"is one key named `{name}`, beside the object `{head}`: it is not set inside `{head}`"
            hint: str | Hint = f"to set `{name[len(head) + 1:]}` inside `{head}`, write it in `{head}: {{ ... }}`"
            if all(_KEY_WORD.fullmatch(part) for part in name.split(".")):
                hint = Hint.edit(f"to set it inside `{head}`, write the dotted key `{name}` without quotes",
                                 f"Change to `{name}`", Edit(entry.key.span, name))
            self.errors.warn(Code.W011, f"the quoted key `\"{name}\"` {text}", entry.key.span, hint=hint,
                             related=(Related(first.key.span, f"`{head}` is set here"),))

    def dotted(self, item: n.Entry, earlier: tuple[n.Entry, _Scope | None], sweep_ok: bool, here: Path) -> bool:
        """A second entry of a key where one of the two is a dotted key
        (`optimizer.lr: 0.1`): two objects merge, in source order (a key set
        by both is E020 at its second place); a dotted key into a value that
        is not an object is E115. False: neither is dotted (E020 follows)."""
        prior, inner = earlier
        if not (_opens(item) or _opens(prior)):
            return False
        if isinstance(item.value, n.ObjectValue) and inner is not None:
            self.items(item.value.items, sweep_ok, here, scope=inner)
            return True
        dotted, plain = (item, prior) if _opens(item) else (prior, item)
        name = item.key.name
        if isinstance(plain.value, (n.ListSweep, n.RangeSweep)):
            what = "a sweep"
            hint = f"a dotted key cannot reach into each value of a sweep: write `{_dotted_text(dotted)[len(name) + 1:]}` " \
                   "inside each object of the sweep"
        else:
            what = _what(plain.value)
            hint = f"make `{name}` an object, `{name}: {{ ... }}`, to set keys inside it with `{name}.key`; or remove one of them"
        self.errors.error(Code.E115, f"`{_dotted_text(dotted)}` sets a key inside `{name}`, but `{name}` is {what} here",
                          _dotted_span(dotted) if dotted is item else plain.key.span,
                          related=(Related(_dotted_span(dotted) if dotted is prior else plain.key.span,
                                           f"`{name}` is also set here"),),
                          hint=hint)
        return True

    def _claim(self, name: str, span: Span, seen: dict[str, Span]) -> bool:
        """Record that `name` is set at `span`; a second time is E020."""
        if name in seen:
            self.errors.error(
                Code.E020, f"key `{name}` is defined twice", span,
                related=(Related(seen[name], f"`{name}` is first defined here"),),
                hint=f"remove one of them, or sweep both values: `{name}: [first, second]*`",
            )
            return False
        seen[name] = span
        return True

    # --- values ------------------------------------------------------------------
    def value(self, value: n.Value, sweep_ok: bool, path: Path) -> Json:
        """A value at key path `path`; `sweep_ok` says whether a sweep may stand here."""
        if isinstance(value, (n.Str, n.Number, n.Bool)):
            return value.value
        if isinstance(value, n.Null):
            return None
        if isinstance(value, n.ObjectValue):
            return self.items(value.items, sweep_ok, path)[0]
        if isinstance(value, n.Delete):  # (reported by `deletions` where it may not stand)
            return DELETED if id(value) in self.deletions else None
        if isinstance(value, n.Derived):
            return self.derived(value, sweep_ok, path)
        if isinstance(value, n.ListValue):
            return self.list_value(value, sweep_ok, path)
        if isinstance(value, n.Ref):
            drawn_ok = sweep_ok and not self.in_list
            if drawn_ok and self.first_sampled is None and self.holds_distribution(value.name):
                self.first_sampled = value.span  # (before lowering its value, which may hold it deeper)
                self.drawing = True
            key = (value.name, sweep_ok, bool(self.in_list))
            if key not in self.shared:  # lowered once: a name used twice is not copied
                target = self.resolve(value)
                if target is None:
                    return None
                if not drawn_ok and isinstance(target, n.Distribution):
                    self.drawing = True
                    self.errors.error(Code.E088, f"`{value.name}` is a distribution, which can only stand as the value "
                                      "of a key, not inside a list", value.span, hint=_IN_LIST_HINT)
                    return None
                self.shared[key] = self.value(target, sweep_ok, path)
            return self.shared[key]
        if isinstance(value, n.Distribution):
            self.drawing = True
            if not sweep_ok or self.in_list:
                self.errors.error(Code.E088, "a distribution can only stand as the value of a key, not inside a list",
                                  value.span, hint=_IN_LIST_HINT)
                return None
            if value.name in _PARAMETERS:  # (an unknown name, reported by the builder, asks for nothing more)
                self.first_sampled = self.first_sampled or value.span
            return self.distribution(value, path)
        if not sweep_ok:
            self.errors.error(Code.E023, _FIXED_LIST, value.span, hint=_FIXED_LIST_HINT)
            return None
        if isinstance(value, n.ListSweep):
            return self.list_sweep(value, path)
        return self.range(value)

    def list_value(self, value: n.ListValue, sweep_ok: bool, path: Path) -> Json:
        """A list; one holding sweeps (`[[64, 128]*, 32]`) is ONE axis whose
        values are the lists of their product, the last element fastest."""
        self.in_list += 1
        try:
            items = [self.value(item, sweep_ok, path) for item in value.items]
        finally:
            self.in_list -= 1
        if sweep_ok and any(_has_axes(item) for item in items):
            return DynamicValue(ListCombos(items))
        return items

    def derived(self, value: n.Derived, sweep_ok: bool, path: Path) -> Json:
        """A computed value: computed now when it reads no path of the config,
        else a `Computed`, checked with its document (`derive.check_computed`)."""
        from .compute import Computed
        from .derive import Compiler, derived

        result = derived(value, Compiler(self.errors, self.let_json))
        if isinstance(result, Computed):
            if not sweep_ok or self.in_list:
                self.errors.error(Code.E101, "a value computed from the config can only stand as the value of a key, "
                                  "not inside a list", value.span,
                                  hint="compute the key's whole value, or give the list's element a key of its own")
                return None
            self.computed.append((path, value, self.in_alternative > 0))
        return result

    def let_json(self, ref: n.Ref) -> Json:
        """The value of a `let` name in an expression: its JSON (a computed one
        computed), `NOT_FIXED` for a sweep or a distribution, None for an
        unknown name (reported)."""
        from .derive import NOT_FIXED, UNKNOWN_NAME, Inline

        if ref.name not in self.lets and ref.name not in self.all_lets and "." not in ref.name \
                and not _close(ref.name, list(self.lets), 0.6):
            from .syntax_errors import unknown_name_habit

            habit = unknown_name_habit(ref.span)  # `x: 0.1 // note`, `key: - a`
            if habit is not None:
                self.errors.error(habit.code, habit.message, habit.span, hint=habit.hint)
                return UNKNOWN_NAME
            written = "${" + ref.name + "}"
            self.errors.error(Code.E040, f"unknown name `{ref.name}`", ref.span,
                              hint=Hint.edit(f"to read the config's `{ref.name}`, write `{written}` (a bare name is a "
                                             "`let` name)", f"Change to `{written}`", Edit(ref.span, written)))
            return UNKNOWN_NAME
        target = self.resolve(ref)
        if target is None:
            return UNKNOWN_NAME
        if isinstance(target, (n.ListSweep, n.RangeSweep, n.Distribution)):
            return NOT_FIXED
        if isinstance(target, n.Derived) and any(isinstance(p, n.Path) for p in n.walk(target.expr)):
            return Inline(target.expr)  # (read in place of the name, per config)
        errors, computed, self.errors = self.errors, list(self.computed), Collector()
        try:
            value = self.value(target, False, ())
        finally:
            self.errors, self.computed = errors, computed
        return NOT_FIXED if _has_axes(value) or _holds_distribution(value) or _is_computed(value) else value

    def folded(self, ref: n.Ref | None, target: n.Value) -> n.Value:
        """A value computed from literals (`2 * 8`, or `let n = 2 * 8` used as
        `n`) as the number it gives, where a number literal is needed; other
        values as they are."""
        if not isinstance(target, n.Derived):
            return target
        if ref is None:
            from .derive import Compiler, derived

            value = derived(target, Compiler(self.errors, self.let_json))
        else:
            value = self.let_json(ref)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return n.Number(repr(value), value, target.span)
        return target

    def list_sweep(self, sweep: n.ListSweep, path: Path) -> DynamicValue[Json]:
        """`[...]*` or `name*`; objects inside may hold sweeps of their own."""
        items = sweep.items
        if isinstance(items, n.Ref):
            target = self.resolve(items)
            if target is None:
                return DynamicValue([None])
            if not isinstance(target, n.ListValue):
                self.errors.error(Code.E021, f"`*` sweeps a list, but `{items.name}` is not a list", items.span,
                                  hint=f"`{items.name}*` needs `{items.name}` to name a list, e.g. `let {items.name} = [1, 2]`")
                return DynamicValue([None])
            items = target
        values = [self.value(item, isinstance(item, n.ObjectValue), path) for item in items.items]
        if not values:
            self.errors.error(
                Code.E022, "this sweep has no values, so the document would expand to nothing", sweep.span,
                hint="give at least one value, or use `[]` (no `*`) for an empty list",
            )
        self._repeats(values, sweep.span, "this sweep")
        return DynamicValue(values)

    def range(self, rng: n.RangeSweep) -> DynamicValue[Json]:
        """Every range form, with every rule of the design checked."""
        texts: list[str] = []
        for bound in (rng.start, rng.end, rng.step if rng.step is not None else rng.count):
            if bound is None:
                continue
            number = self.number(bound)
            if number is None:
                return DynamicValue([0])
            texts.append(number.text)
        try:
            values = from_texts(texts, rng.count is not None, rng.geometric, rng.exclusive)
        except ValueError as exc:
            code, message, text = _RANGE_ERRORS[str(exc)]
            hint: str | Hint | None = _away_hint(rng, texts) if str(exc) == "step-away" else text
            third = rng.step if rng.step is not None else rng.count
            on_step = code in (Code.E030, Code.E031, Code.E033, Code.E034) and str(exc) != "bad-geometric-start"
            where = third.span if (third is not None and on_step) else rng.span
            self.errors.error(code, message, where, hint=hint)
            return DynamicValue([] if str(exc) == "empty" else [0])  # (a stand-in after other mistakes)
        if len(texts) == 3 and not rng.geometric and rng.count is None and size_of(values) == 1 \
                and exact(texts[0]) != exact(texts[1]) and rng.step is not None:
            self._one_value(rng.step, texts)
        return DynamicValue(values)

    def _one_value(self, step: n.Number | n.Ref, texts: list[str]) -> None:
        """W001: a stepped range from one bound to another that never gets
        past its first value, as `1e-5..1e-1 step 10` (meant `step *10`)."""
        start, end, by = (exact(t) for t in texts)
        hint: str | Hint
        if start != 0 and (start > 0) == (end > 0) and by > 1 and abs(end / start) >= by:
            written = step.text if isinstance(step, n.Number) else step.name
            hint = Hint.edit(f"did you mean `step *{written}`? (a geometric range multiplies by its step)",
                             f"Change to `step *{written}`", Edit.before(step.span, "*"))
        else:
            hint = "use a smaller step, or `count n` for n evenly spaced values"
        self.errors.warn(Code.W001, f"this range has one value, {texts[0]}: its step jumps past the end {texts[1]}",
                         step.span, hint=hint)

    def _repeats(self, values: Sequence[Json], span: Span, what: str, items: str = "values") -> None:
        """W003: an axis holding the same value twice gives the same config twice."""
        if size_of(values) > _MAX_COMPARED:
            return
        seen: dict[str, int] = {}
        for i, value in enumerate(values):
            if _has_axes(value):
                return  # a swept object: its configs are compared by `variants`-like checks
            first = seen.setdefault(canonical(value), i)
            if first != i:
                self.errors.warn(Code.W003, f"{what} holds {_shown(value)} twice ({items} {first + 1} and {i + 1}): "
                                 "the configs that differ only there are the same config", span,
                                 hint="remove one of them")
                return

    def number(self, bound: n.Number | n.Ref) -> n.Number | None:
        """A range bound: a number literal or a `let` name of one."""
        if isinstance(bound, n.Number):
            return bound
        let = self.lets.get(bound.name)
        if let is None:
            self.unknown_name(bound, bound=True)
            return None
        target = self.folded(bound, let.value)
        if isinstance(target, n.Distribution):
            self.errors.error(Code.E016, f"a range bound must be a number, but `{bound.name}` is a distribution",
                              bound.span, hint="a range's values are fixed: give its bounds as numbers")
            return None
        if not isinstance(target, n.Number):
            self.errors.error(Code.E016, f"a range bound must be a number, but `{bound.name}` is not", bound.span)
            return None
        return target

    # --- zip and variants ------------------------------------------------------------
    def zip(self, block: n.Zip, seen: dict[str, Span], path: Path, alternative: int | None) -> Zip:
        """Lists (or ranges) of equal length, paired position by position."""
        columns: dict[str, Json] = {}
        first: tuple[str, int, Span] | None = None
        keys = tuple(e.key.name for e in block.entries)
        for entry in block.entries:
            if _opens(entry):
                self.errors.error(Code.E116, f"a `zip` pairs keys of the object it stands in, so it cannot set "
                                  f"`{_dotted_text(entry)}`", _dotted_span(entry),
                                  hint=f"put the `zip` inside the object: `{entry.key.name}: {{ zip {{ "
                                  f"{_dotted_text(entry)[len(entry.key.name) + 1:]}: [...], ... }} }}`")
                continue
            if not self._claim(entry.key.name, entry.key.span, seen):
                continue
            val = entry.value
            if isinstance(val, n.Ref):
                val = self.resolve(val) or n.ListValue((), val.span)
            if isinstance(val, n.Distribution):
                self.errors.error(Code.E088, f"`{entry.key.name}` in a `zip` must be a list or a range, not a distribution",
                                  entry.value.span, hint=f"move `{entry.key.name}` out of the `zip`: a sampled key "
                                  "gets a value of its own in every config")
                continue
            if isinstance(val, n.ListSweep):
                val = val.items if isinstance(val.items, n.ListValue) else self.resolve(val.items) or n.ListValue((), val.span)
            if isinstance(val, n.ListValue):
                column: Json = [self.value(item, False, path + (entry.key.name,)) for item in val.items]
            elif isinstance(val, n.RangeSweep):
                column = self.range(val).values
            else:
                self.errors.error(Code.E061, f"`{entry.key.name}` in a `zip` must be a list or a range", entry.value.span,
                                  hint='e.g. `zip { provider: ["openai", "anthropic"], model: ["gpt-4", "claude"] }`')
                continue
            self.sites.append(Site(entry, path + (entry.key.name,), column, zipped=keys, alternative=alternative))
            size = size_of(column)
            if first is None:
                first = (entry.key.name, size, entry.value.span)
            elif size != first[1]:
                self.errors.error(
                    Code.E063, f"`zip` lists differ in length: `{entry.key.name}` has {size} values, `{first[0]}` has {first[1]}",
                    entry.value.span, related=(Related(first[2], f"`{first[0]}` has {first[1]} values"),),
                    hint="every list in a `zip` pairs position by position, so all need the same length",
                )
            columns[entry.key.name] = column
        if first is not None and first[1] == 0:
            self.errors.error(Code.E022, "this `zip` has no values, so the document would expand to nothing", block.span)
        elif not block.entries:
            self.errors.error(Code.E022, "this `zip` has no keys, so the document would expand to nothing", block.span,
                              hint="give it entries, e.g. `zip { provider: [...], model: [...] }`, or remove it")
        elif columns and len({size_of(c) for c in columns.values()}) == 1:
            self._repeats(Rows(columns), block.span, "this `zip`", "rows")
        return Zip(columns)

    def variants(self, block: n.Variants, path: Path) -> tuple[Variants, list[dict[str, Span]]]:
        """Each alternative lowered with its own sweeps; and its keys."""
        alts = []
        keysets = []
        before = self.errors.errors()
        for i, alt in enumerate(block.alternatives):
            self.in_alternative += 1  # (a computed value here reads its alternative's keys: no W007)
            try:
                lowered, keys = self.items(alt.items, True, path, alternative=i + 1)
            finally:
                self.in_alternative -= 1
            alts.append(lowered)
            keysets.append(keys)
        if self.errors.errors() == before:  # (an alternative with a mistake holds stand-ins)
            self._overlap(alts, block)
        return Variants(alts), keysets

    def _overlap(self, alts: list[Template], block: n.Variants) -> None:
        """W003: two alternatives that give the same config."""
        if any(_holds_distribution(alt) for alt in alts):
            return  # alternatives with the same distribution give different draws
        spaces = [Combos(alt) for alt in alts]
        if sum(space.size for space in spaces) > _MAX_COMPARED:
            return
        owner: dict[str, int] = {}
        for i, space in enumerate(spaces):
            for config in space:
                first = owner.setdefault(canonical(config), i)
                if first != i:
                    self.errors.warn(Code.W003, f"`variants` alternatives {first + 1} and {i + 1} both give the config "
                                     f"{_shown(config)}", block.alternatives[i].span,
                                     hint="drop it from one of them")
                    return

    # --- distributions and `sample` ------------------------------------------------------
    def distribution(self, node: n.Distribution, path: Path) -> Json:
        """The run-time distribution of `name(args) [step q]`: every argument
        checked, each mistake located at its argument; None after a mistake."""
        params = _PARAMETERS.get(node.name)
        if params is None:
            return None  # reported by the builder
        if not self.arguments(node, params):
            return None
        ok, step = self.dist_step(node)
        if not ok:
            return None
        if node.name == "choice":
            return self.choice(node, path)
        numbers = [self.dist_number(node, arg, integer=node.name == "randint") for arg in node.args]
        if any(num is None for num in numbers) or not self.parameters(node, [num for num in numbers if num is not None]):
            return None
        a, b = (num.value for num in numbers if num is not None)
        if step is not None and not self.multiples(node, step, numbers):
            return None
        try:
            made: Distribution = _CLASSES[node.name](a, b, None if step is None else step.text)
        except (ValueError, OverflowError) as exc:  # what the run time refuses beyond the checks above
            self.errors.error(Code.E087, f"`{node.name}({', '.join(a.span.text for a in node.args)})`: {exc}",
                              node.args_span)
            return None
        self.drawn[id(node)] = made
        return made

    def arguments(self, node: n.Distribution, params: tuple[str, ...]) -> bool:
        """E086: the count and order of the arguments, and their keywords."""
        ok = True
        usage = f"`{node.name}({', '.join(params)})`"
        first_keyword = node.keywords[0] if node.keywords else None
        for arg in node.args:
            if first_keyword is not None and _before(first_keyword.span, arg.span):
                self.errors.error(Code.E086, "a value without a name cannot follow a named argument", arg.span,
                                  hint=f"put it before `{first_keyword.name.name}:`")
                ok = False
        allowed = ("weights",) if node.name == "choice" else ()
        seen: dict[str, Span] = {}
        for keyword in node.keywords:
            name = keyword.name.name
            if name == "step" and node.name != "choice" and node.step is None:
                text = f"{node.name}({', '.join(a.span.text for a in node.args)}) step {keyword.value.span.text}"
                self.errors.error(Code.E086, "`step` is written after the parentheses", keyword.span,
                                  hint=Hint.edit(f"write `{text}`", f"Change to `{text}`", Edit(node.span, text))
                                  if len(node.args) == len(params) and len(node.keywords) == 1 else
                                  f"write `{node.name}({', '.join(params)}) step {keyword.value.span.text}`")
            elif name not in allowed:
                close = _close(name, allowed, 0.5)
                hint: str | Hint = did_you_mean(keyword.name.span, close[0]) if close else \
                    f"write {usage}" + (" with `weights: [...]`" if allowed else "")
                self.errors.error(Code.E086, f"`{node.name}` has no argument `{name}`", keyword.name.span, hint=hint)
            elif name in seen:
                self.errors.error(Code.E086, f"`{name}` is given twice", keyword.span,
                                  related=(Related(seen[name], f"`{name}` is first given here"),),
                                  hint="remove one of them")
            else:
                seen[name] = keyword.span
                continue
            ok = False
        args = node.args
        if len(args) == len(params):
            return ok
        if node.name == "choice":
            self.errors.error(Code.E086, *_choice_arity(node))
        elif len(args) > len(params):
            extra = args[len(params)].span.to(args[-1].span)
            self.errors.error(Code.E086, f"`{node.name}` takes {len(params)} arguments, {usage}, but this gives {len(args)}",
                              extra, hint=_extra_hint(node))
        else:
            self.errors.error(Code.E086, f"`{node.name}` takes {len(params)} arguments, {usage}, but this gives {len(args)}",
                              node.args_span, hint=_missing_hint(node, usage))
        return False

    def dist_number(self, node: n.Distribution, arg: n.Value, what: str = "", integer: bool = False) -> n.Number | None:
        """A numeric argument: a number, or the `let` name of one (E086 else);
        `integer`: an int literal (the bounds of `randint`)."""
        what = what or f"the arguments of `{node.name}` are numbers"
        target = arg
        if isinstance(arg, n.Ref):
            let = self.lets.get(arg.name)
            if let is None:
                self.unknown_name(arg)
                return None
            target = self.folded(arg, let.value)
            if not isinstance(target, n.Number):
                self.errors.error(Code.E086, f"{what}, but `{arg.name}` is {_what(target)}", arg.span)
                return None
        target = self.folded(None, target) if isinstance(arg, n.Derived) else target
        if not isinstance(target, n.Number):
            hint: str | Hint | None = None
            if isinstance(arg, n.Str) and _NUMBER.fullmatch(arg.value):
                hint = Hint.edit(f"write the number without quotes: `{arg.value}`", f"Change to `{arg.value}`",
                                 Edit(arg.span, arg.value))
            self.errors.error(Code.E086, f"{what}, not {_what(arg)}", arg.span, hint=hint)
            return None
        if integer and target.is_float:
            whole = float(target.value).is_integer() and isinstance(arg, n.Number)
            self.errors.error(Code.E086, f"`randint` draws integers: its bounds are integers, not {target.text}", arg.span,
                              hint=Hint.edit(f"write `{int(target.value)}`", f"Change to `{int(target.value)}`",
                                             Edit(arg.span, str(int(target.value)))) if whole else None)
            return None
        try:
            float(target.value)
        except OverflowError:
            self.errors.error(Code.E087, f"`{target.text[:20]}...` is too large for a 64-bit float", arg.span)
            return None
        return target

    def parameters(self, node: n.Distribution, numbers: list[n.Number]) -> bool:
        """E087: a < b (and 0 < a for `loguniform`), sigma > 0."""
        (first, second), (a, b) = node.args, numbers
        if node.name == "loguniform" and not a.value > 0:
            self.errors.error(Code.E087, f"`loguniform(a, b)` needs a > 0, but a is {a.text}: it is uniform in the "
                              "logarithm of the value", first.span,
                              hint=f"start above 0, as `loguniform(1e-5, {b.text})`, or use `uniform` to include 0")
            return False
        if node.name in ("uniform", "loguniform", "randint") and not a.value < b.value:
            name = node.name
            if a.value > b.value:
                text = f"{name}({second.span.text}, {first.span.text})"
                hint: str | Hint = Hint.edit(f"swap them: `{text}`", "Swap the bounds",
                                             Edit(first.span, second.span.text), Edit(second.span, first.span.text))
            elif name == "randint":
                hint = Hint.edit(f"`randint` excludes its end, so `randint({a.text}, {a.value + 1})` would always give "
                                 f"{a.text}: write the value itself", f"Change to `{first.span.text}`",
                                 Edit(node.span, first.span.text))
            else:
                hint = Hint.edit(f"`{name}({a.text}, {a.text})` would always give {a.text}: write the value itself",
                                 f"Change to `{first.span.text}`", Edit(node.span, first.span.text))
            self.errors.error(Code.E087, f"`{name}(a, b)` needs a < b, but a is {a.text} and b is {b.text}",
                              node.args_span, hint=hint)
            return False
        if node.name in ("normal", "lognormal") and not b.value > 0:
            if b.value < 0 and isinstance(second, n.Number):
                hint = Hint.edit(f"the spread is positive: write `{b.text[1:]}`", f"Change to `{b.text[1:]}`",
                                 Edit(second.span, b.text[1:]))
            elif node.name == "normal":
                hint = Hint.edit(f"with sigma 0 every draw is mu: write `{first.span.text}` itself",
                                 f"Change to `{first.span.text}`", Edit(node.span, first.span.text))
            else:
                hint = "with sigma 0 every draw is exp(mu): write that value itself"
            self.errors.error(Code.E087, f"`{node.name}(mu, sigma)` needs sigma > 0, but sigma is {b.text}",
                              second.span, hint=hint)
            return False
        return True

    def dist_step(self, node: n.Distribution) -> tuple[bool, n.Number | None]:
        """The step `q` of `... step q`, if it has one; False after a mistake."""
        if node.step is None:
            return True, None
        if node.name == "choice":
            after = Span(node.span.source, node.args_span.end_line, node.args_span.end_column, node.span.end_line,
                         node.span.end_column)
            self.errors.error(Code.E086, "`choice` draws one of its values as they are: it takes no `step`", node.step.span,
                              hint=Hint.edit("remove the step", "Remove the step", Edit(after, "")))
            return False, None
        step = self.dist_number(node, node.step, "the step of a distribution is a number")
        if step is None:
            return False, None
        if not step.value > 0:
            hint: str | Hint | None = None
            if step.value < 0 and isinstance(node.step, n.Number):
                hint = Hint.edit(f"write `step {step.text[1:]}`", f"Change to `{step.text[1:]}`",
                                 Edit(node.step.span, step.text[1:]))
            self.errors.error(Code.E087, f"the step of a distribution must be above 0, not {step.text}", node.step.span,
                              hint=hint or "values are rounded to the nearest multiple of the step, e.g. `step 0.05`")
            return False, None
        return True, step

    def multiples(self, node: n.Distribution, step: n.Number, numbers: list[n.Number | None]) -> bool:
        """A quantised distribution over [a, b] must hold two multiples of its
        step at least: none is E087, one is W005."""
        if node.name in ("normal", "lognormal"):
            return True
        low, high = (exact(num.text) for num in numbers if num is not None)
        if node.name == "randint":
            high -= 1
        q = exact(step.text)
        first, last = math.ceil(low / q), math.floor(high / q)
        assert node.step is not None
        if last < first:
            self.errors.error(Code.E087, f"no multiple of the step {step.text} lies within the values of "
                              f"`{node.name}`, so nothing could be drawn", node.step.span,
                              hint="use a smaller step, or wider bounds")
            return False
        if last == first:
            value = _decimal_text(first * Decimal(step.text), step.text)
            self.errors.warn(Code.W005, f"`step {step.text}` leaves one value: {value} is the only multiple of "
                             f"{step.text} within the values of `{node.name}`", node.step.span,
                             hint=f"use a smaller step, or write `{value}` itself")
        return True

    def choice(self, node: n.Distribution, path: Path) -> Json:
        """`choice([values], weights: [numbers])`."""
        arg = node.args[0]
        target = self.resolve(arg) if isinstance(arg, n.Ref) else arg
        if target is None:
            return None
        if not isinstance(target, n.ListValue):
            shown = arg.span.text
            self.errors.error(Code.E086, f"`choice` takes a list of values, not {_what(target)}", arg.span,
                              hint=Hint.edit(f"write `choice([{shown}])`", f"Change to `[{shown}]`", Edit(arg.span, f"[{shown}]"))
                              if isinstance(arg, (n.Str, n.Number, n.Bool, n.Null)) else None)
            return None
        if not target.items:
            self.errors.error(Code.E087, "`choice` needs at least one value", arg.span,
                              hint='give its values, e.g. `choice(["a", "b"])`')
            return None
        before = self.errors.errors()
        values = [self.value(item, False, path) for item in target.items]
        ok, weights = self.weights(node, arg, len(values))
        if not ok or self.errors.errors() != before:
            return None
        made = Choice(values, weights)
        self.drawn[id(node)] = made
        return made

    def weights(self, node: n.Distribution, values: n.Value, count: int) -> tuple[bool, list[float] | None]:
        """The `weights:` of a choice (numbers >= 0, one per value, not all 0), if
        it has them; False after a mistake."""
        keyword = next((k for k in node.keywords if k.name.name == "weights"), None)
        if keyword is None:
            return True, None
        arg = keyword.value
        target = self.resolve(arg) if isinstance(arg, n.Ref) else arg
        if target is None:
            return False, None
        if not isinstance(target, n.ListValue):
            self.errors.error(Code.E086, f"`weights` is a list of numbers, one per value, not {_what(target)}", arg.span)
            return False, None
        numbers = [self.dist_number(node, item, "a weight is a number") for item in target.items]
        if any(num is None for num in numbers):
            return False, None
        if len(numbers) != count:
            self.errors.error(Code.E086, f"`weights` has {len(numbers)} number{'s' if len(numbers) != 1 else ''} for "
                              f"{count} value{'s' if count != 1 else ''}", arg.span,
                              related=(Related(values.span, f"the {count} values are here"),),
                              hint="give one weight per value, in the same order")
            return False, None
        out: list[float] = []
        for item, num in zip(target.items, numbers):
            assert num is not None
            if num.value < 0:
                self.errors.error(Code.E087, f"a weight cannot be negative, but this is {num.text}", item.span,
                                  hint="a weight says how likely its value is, relative to the others: 0 or more")
                return False, None
            out.append(num.value)
        if not any(w > 0 for w in out):
            self.errors.error(Code.E087, "the weights are all 0, so no value could be drawn", arg.span,
                              hint="give at least one value a weight above 0")
            return False, None
        return True, out

    def sample(self, item: n.SampleItem) -> Sample | None:
        """`sample N [seed S] [method]`, checked (E092)."""
        count = self.whole(item.n, "`sample` takes a whole number of configs per grid point", 1)
        seed = 0 if item.seed is None else self.whole(item.seed, "the seed of `sample` is a whole number", 0)
        method = item.method or "random"
        if item.method is not None and item.method not in METHODS:
            assert item.method_span is not None
            close = _close(item.method.lower(), METHODS, 0.5)
            self.errors.error(Code.E092, f"unknown sampling method `{item.method}`", item.method_span,
                              hint=did_you_mean(item.method_span, close[0]) if close else
                              "the methods are `random` (the default), `sobol`, `halton` and `lhs`")
            return None
        if count is None or seed is None:
            return None
        if method != "random" and not quasi_random_available():
            assert item.method_span is not None
            self.errors.error(Code.E094, f"`{method}` points come from scipy, which is not installed",
                              item.method_span, hint="install the extra: pip install 'spearmint-lang[sampling]' "
                              "(the default method, `random`, needs nothing)")
            return None
        if method == "sobol" and count & (count - 1):
            power = 1 << count.bit_length()
            self.errors.warn(Code.W006, f"Sobol points are balanced only in runs of a power of 2, and {count} is not one",
                             item.n.span, hint=Hint.edit(f"draw `sample {power}` (or {power // 2}), or use `halton` "
                                                         "or `lhs`, which take any count", f"Change to `{power}`",
                                                         Edit(item.n.span, str(power)))
                             if isinstance(item.n, n.Number) else "use a power of 2, or `halton` or `lhs`")
        return Sample(count, seed, method)

    def whole(self, bound: n.Number | n.Ref, what: str, least: int) -> int | None:
        """A whole number >= `least` of `sample` (E092 else)."""
        number = bound
        if isinstance(bound, n.Ref):
            let = self.lets.get(bound.name)
            if let is None:
                self.unknown_name(bound)
                return None
            folded = self.folded(bound, let.value)
            if not isinstance(folded, n.Number):
                self.errors.error(Code.E092, f"{what}, but `{bound.name}` is {_what(let.value)}", bound.span)
                return None
            number = folded
        assert isinstance(number, n.Number)
        if number.is_float:
            whole = float(number.value).is_integer() and isinstance(bound, n.Number)
            self.errors.error(Code.E092, f"{what}, not {number.text}", bound.span,
                              hint=Hint.edit(f"write `{int(number.value)}`", f"Change to `{int(number.value)}`",
                                             Edit(bound.span, str(int(number.value)))) if whole else None)
            return None
        value = int(number.value)
        if value < least:
            self.errors.error(Code.E092, f"{what} ({least} or more), not {number.text}", bound.span,
                              hint="e.g. `sample 20 seed 0`")
            return None
        return value

    def sampling(self, doc: n.Document, template: Template, samples: list[n.SampleItem], inherited: bool,
                 extends: n.Extends | None) -> None:
        """A distribution needs a `sample` (E089); a `sample` needs a distribution (E090)."""
        sampled = self.drawing or _holds_distribution(template)
        if self.first_sampled is not None and not samples and not inherited:
            self.errors.error(Code.E089, "a distribution needs `sample N` in its document, the number of configs to "
                              "draw per grid point", self.first_sampled,
                              hint=Hint.edit("add `sample 20` to draw 20 configs per grid point", "Add `sample 20`",
                                             _after_document(doc, "sample 20")))
        elif not sampled and samples:
            self.errors.error(Code.E090, "`sample` draws nothing here: no key of this document has a distribution",
                              samples[0].span,
                              hint="give a key a distribution, as `lr: loguniform(1e-5, 1e-1)`; to repeat each "
                                   f"config, sweep a seed instead: `seed: 0..<{samples[0].n.span.text}`")
        elif not sampled and inherited and extends is not None:
            self.errors.error(Code.E090, f"the `sample` of `{extends.path.value}` draws nothing here: this document "
                              "sets every key it samples", extends.path.span,
                              hint="keep one of its distributions, or extend a file without `sample`")

    def holds_distribution(self, name: str) -> bool:
        """Whether the value of `let name` holds a distribution (at any depth; one
        of an unknown name, reported by the builder, does not count)."""
        known = self.sampled_names.get(name)
        if known is None:
            let = self.lets.get(name)
            known = let is not None and any(
                isinstance(node, n.Distribution) and node.name in _PARAMETERS or isinstance(node, n.Ref) and node.name != name
                and self.holds_distribution(node.name) for node in n.walk(let.value))
            self.sampled_names[name] = known
        return known

    # --- names ------------------------------------------------------------------------
    def define(self, let: n.Let) -> None:
        """`let NAME = value`; a name is defined once per file, and its value
        may only use names defined before it (so names never loop)."""
        name = let.name.name
        for ref in n.walk(let.value):
            if not isinstance(ref, n.Ref):
                continue
            if ref.name == name:
                self.errors.error(Code.E040, f"`{name}` cannot be defined in terms of itself", ref.span,
                                  hint="a `let` may only use names defined before it")
                self.lets[name] = n.Let(let.name, n.Null(let.value.span), let.span)
                return
            if ref.name not in self.lets:
                self.unknown_name(ref)
                self.lets[name] = n.Let(let.name, n.Null(let.value.span), let.span)
                return
        if name in self.lets:
            self.errors.error(
                Code.E041, f"`{name}` is already defined", let.name.span,
                related=(Related(self.lets[name].name.span, f"`{name}` is first defined here"),),
                hint="pick another name: a name is defined once per file",
            )
            return
        if not self.bounded(let.value):
            self.lets[name] = n.Let(let.name, n.Null(let.value.span), let.span)
            self.oversized.add(name)
            return
        self.lets[name] = let
        self.shapes[name] = self.shape(let.value)

    def shape(self, node: n.Node) -> tuple[int, int]:
        """How many elements a value has and how deep it nests once names are
        replaced by their values (each name's shape is known: names are
        defined before use)."""
        if isinstance(node, n.Ref):
            return self.shapes.get(node.name, (1, 0))
        size, depth = 1, 0
        for child in node.children():
            child_size, child_depth = self.shape(child)
            size += child_size
            depth = max(depth, child_depth)
        return size, depth + (1 if isinstance(node, (n.ListValue, n.ObjectValue)) else 0)

    def bounded(self, node: n.Node) -> bool:
        """A value that uses names may not grow past the limits through them
        (E017 nesting, E018 size); False after reporting."""
        names = {ref.name for ref in n.walk(node) if isinstance(ref, n.Ref)}
        if not names:
            return True
        if names & self.oversized:
            return False  # reported where that name is defined
        size, depth = self.shape(node)
        span = node.value.span if isinstance(node, n.Entry) else node.span
        if depth > MAX_DEPTH:
            self.errors.error(Code.E017, f"this value nests {depth} levels deep once names are replaced by their values; "
                              f"at most {MAX_DEPTH} levels are allowed", span,
                              hint="flatten the structure: nesting through `let` names counts like brackets")
            return False
        if size > MAX_VALUE_NODES:
            self.errors.error(Code.E018, f"this value holds {size:,} elements once names are replaced by their values; "
                              f"at most {MAX_VALUE_NODES:,} are allowed", span,
                              hint="a name used twice doubles what it stands for: use it less, or sweep the parts instead")
            return False
        return True

    def resolve(self, ref: n.Ref) -> n.Value | None:
        """The value a name stands for, or None after reporting E040."""
        let = self.lets.get(ref.name)
        if let is not None:
            return let.value
        self.unknown_name(ref)
        return None

    def unknown_name(self, ref: n.Ref, bound: bool = False) -> None:
        """A bare word in value position: a typo of a name, a name used
        before its `let`, or a string missing its quotes; `file.name`: a name
        of an imported file (E108)."""
        if "." in ref.name or ref.name in self.imports or ref.name in self.broken_imports:
            if ref.name.partition(".")[0] not in self.broken_imports:  # (else reported in that file)
                unknown_imported(ref, ref.span, self.imports, self.errors)
            return
        from .syntax_errors import unknown_name_habit

        habit = unknown_name_habit(ref.span)  # `x: 0.1 // note`, `key: - a`
        if habit is not None:
            self.errors.error(habit.code, habit.message, habit.span, hint=habit.hint)
            return
        constant = _CONSTANTS.get(ref.name.lower())
        close = _close(ref.name, list(self.lets), 0.6)
        later = self.all_lets.get(ref.name)
        hint: str | Hint
        if later is not None and (later.span.line, later.span.column) > (ref.span.line, ref.span.column):
            hint = f"`{ref.name}` is defined later, on line {later.span.line}: a name must be defined before it is used"
        elif constant:
            hint = did_you_mean(ref.span, constant)
        elif close:
            hint = did_you_mean(ref.span, close[0])
        elif bound:
            hint = "a range bound is a number, or the name of one defined with `let`"
        else:
            quoted = f'"{ref.name}"'  # a name is an identifier: nothing to escape
            hint = Hint.edit(f"strings need quotes: {quoted}", f"Write the string {quoted}", Edit(ref.span, quoted))
        self.errors.error(Code.E040, f"unknown name `{ref.name}`", ref.span, hint=hint)


_PARAMETERS = {"uniform": ("a", "b"), "loguniform": ("a", "b"), "randint": ("a", "b"), "normal": ("mu", "sigma"),
               "lognormal": ("mu", "sigma"), "choice": ("values",)}
_CLASSES: dict[str, Callable[[Json, Json, str | None], Distribution]] = {
    "uniform": Uniform, "loguniform": LogUniform, "randint": RandInt, "normal": Normal, "lognormal": LogNormal,
}
_FIXED_LIST = "a sweep cannot stand here: the values of a swept list, a `zip` column and a `choice` are fixed"
_FIXED_LIST_HINT = "write each value out, as `[[1, 2], [1, 3]]*`, or sweep a key of its own"
_IN_LIST_HINT = "give the key its own distribution, or draw one of several values with `choice([...])`"
_KEY_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?")


def _what(value: n.Value) -> str:
    """How a value is named in messages about arguments."""
    if isinstance(value, n.Str):
        return "a string"
    if isinstance(value, n.Number):
        return f"the number {value.text}"
    if isinstance(value, n.Bool):
        return "true" if value.value else "false"
    if isinstance(value, n.Null):
        return "null"
    if isinstance(value, n.ListValue):
        return "a list"
    if isinstance(value, n.ObjectValue):
        return "an object"
    if isinstance(value, n.Distribution):
        return "a distribution"
    if isinstance(value, (n.ListSweep, n.RangeSweep)):
        return "a sweep"
    if isinstance(value, n.Derived):
        return "a computed value"
    if isinstance(value, n.Delete):
        return "`delete`"
    return f"`{value.name}`"


def _kind(value: Json) -> str:
    """How a lowered plain value is named in messages."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "null" if value is None else "an object"


_opens = n.opens_dotted


def _dotted_chain(entry: n.Entry) -> list[n.Entry]:
    """The entries of the dotted key an entry heads (`optimizer.lr`: the
    entry of `optimizer`, then the one of `lr`)."""
    chain = [entry]
    while _opens(chain[-1]):
        value = chain[-1].value
        assert isinstance(value, n.ObjectValue) and isinstance(value.items[0], n.Entry)
        chain.append(value.items[0])
    return chain


def _dotted_text(entry: n.Entry) -> str:
    """The dotted key an entry heads, as written: `optimizer.lr`."""
    return ".".join(e.key.name for e in _dotted_chain(entry))


def _dotted_span(entry: n.Entry) -> Span:
    """Where the dotted key an entry heads is written."""
    return entry.key.span.to(_dotted_chain(entry)[-1].key.span)


def _before(a: Span, b: Span) -> bool:
    return (a.line, a.column) < (b.line, b.column)


def _extra_hint(node: n.Distribution) -> str | Hint:
    """What to do with a third argument: a base (`loguniform`) goes, a step moves."""
    a, b, *rest = node.args
    if node.name == "loguniform" and len(rest) == 1:
        cut = Span(b.span.source, b.span.end_line, b.span.end_column, rest[0].span.end_line, rest[0].span.end_column)
        return Hint.edit("remove it: a log-uniform law is the same in any base", "Remove the base", Edit(cut, ""))
    if len(rest) == 1 and node.step is None and not node.keywords:
        text = f"{node.name}({a.span.text}, {b.span.text}) step {rest[0].span.text}"
        return Hint.edit(f"to round to multiples of {rest[0].span.text}, write `{text}`", f"Change to `{text}`",
                         Edit(node.span, text))
    return f"write `{node.name}({', '.join(_PARAMETERS[node.name])})`"


def _missing_hint(node: n.Distribution, usage: str) -> str | Hint:
    """`randint(b)` (numpy's, Ray Tune's) is `randint(0, b)`; `normal()` is `normal(0, 1)`."""
    if node.name == "randint" and len(node.args) == 1:
        text = f"randint(0, {node.args[0].span.text})"
        return Hint.edit(f"write `{text}` for 0 to {node.args[0].span.text}, end excluded", f"Change to `{text}`",
                         Edit(node.name_span.to(node.args_span), text))
    if node.name in ("normal", "lognormal") and not node.args:
        text = f"{node.name}(0, 1)"
        return Hint.edit(f"write `{text}` for the standard one", f"Change to `{text}`",
                         Edit(node.name_span.to(node.args_span), text))
    return f"write {usage}"


def _choice_arity(node: n.Distribution) -> tuple[str, Span, str | Hint]:
    """E086 for a `choice` without exactly one list: message, place, hint."""
    args = node.args
    if not args:
        return "`choice` takes a list of values", node.args_span, 'write them in a list: `choice(["a", "b"])`'
    if any(isinstance(a, n.ListValue) for a in args):
        return (f"`choice` takes one list of values, but this gives {len(args)} arguments",
                args[1].span.to(args[-1].span), "put every value in one list")
    spread = args[0].span.to(args[-1].span)
    text = f"[{', '.join(a.span.text for a in args)}]"
    call = node.name_span.to(node.args_span)
    return ("`choice` takes its values in one list", spread,
            Hint(f"write `choice({text})` to draw one per config, or the grid `{text}*` for every value once",
                 (Fix("Put the values in a list", (Edit(spread, text),)),
                  Fix(f"Write the grid `{text}*`", (Edit(call, f"{text}*"),)))))


def _decimal_text(value: Decimal, step: str) -> str:
    """A multiple of a step as the run time writes it (an int for an integer step)."""
    if not any(c in step for c in ".eE"):
        return str(int(value))
    return repr(float(value))


def _holds_distribution(template: Json) -> bool:
    """Whether a lowered value holds a distribution at any depth (a range's
    values are numbers: they are not read)."""
    stack: list[Json] = [template]
    while stack:
        value = stack.pop()
        if isinstance(value, Distribution):
            return True
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, Variants):
            stack.extend(value.alternatives)
        elif isinstance(value, DynamicValue) and isinstance(value.values, list):
            stack.extend(v for v in value.values if isinstance(v, dict))
    return False


def _has_sample(template: Template) -> bool:
    return any(isinstance(key, Slot) and key.label == "sample" for key in template)


def _take_sample(template: Template) -> Sample | None:
    """Remove and return the `sample` of a template (a base's, after merging)."""
    for key in list(template):
        if isinstance(key, Slot) and key.label == "sample":
            found = template.pop(key)
            return found if isinstance(found, Sample) else None
    return None


def _after_document(doc: n.Document, line: str) -> Edit:
    """The edit adding `line` after the last line of a document's items."""
    last = doc.items[-1].span if doc.items else doc.span
    text = last.source.line(last.end_line)
    end = len(text) + 1
    return Edit(Span(last.source, last.end_line, end, last.end_line, end), "\n" + line)


def _shown(value: Json) -> str:
    """A value in a message, as JSON, shortened."""
    text = canonical(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _has_axes(value: Json) -> bool:
    """Whether a lowered value still stands for several values."""
    if isinstance(value, (DynamicValue, Zip, Variants, Where, Distribution)):
        return True
    if isinstance(value, dict):
        return any(_has_axes(v) for v in value.values())
    return False


def _is_computed(value: Json) -> bool:
    """Whether a lowered value holds a computed value at any depth."""
    from .compute import Computed

    if isinstance(value, Computed):
        return True
    if isinstance(value, dict):
        return any(_is_computed(v) for v in value.values())
    if isinstance(value, list):
        return any(_is_computed(v) for v in value)
    return False


def _splice_keys(template: Template) -> set[str]:
    """Keys that a document's `zip` and `variants` blocks set."""
    keys: set[str] = set()
    for value in template.values():
        if isinstance(value, Zip):
            keys.update(value.columns)
        elif isinstance(value, Variants):
            for alt in value.alternatives:
                keys.update(k for k in alt if isinstance(k, str))
    return keys


def _deep_merge(base: Template, over: Template) -> Template:
    out = dict(base)
    for key, value in over.items():
        current = out.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            out[key] = _deep_merge(current, value)
        else:
            out[key] = value
    return out


def _away_hint(rng: n.RangeSweep, texts: list[str]) -> str | Hint:
    """Suggest the step with the sign flipped (a fix writes it)."""
    if len(texts) < 3:
        return Hint.edit(f"to count down, give a negative step: `{texts[0]}..{texts[1]} step -1`",
                         "Add `step -1`", Edit.after(rng.span, " step -1"))
    step = texts[2]
    if rng.geometric:
        return f"to go from {texts[0]} to {texts[1]}, the factor must be {'above' if abs(float(texts[1])) > abs(float(texts[0])) else 'below'} 1"
    flipped = step[1:] if step.startswith("-") else "-" + step
    text = f"to go from {texts[0]} to {texts[1]}, use `step {flipped}`"
    if rng.step is None:  # (a third text is a step: `count` never points away)
        return text
    return Hint.edit(text, f"Change to `step {flipped}`", Edit(rng.step.span, flipped))

