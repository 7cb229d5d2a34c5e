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

from collections.abc import Callable, Sequence

import attrs

from . import nodes as n
from .codes import Code
from .dynamic import DynamicValue, Json, Slot, Template, Variants, Where, Zip
from .errors import Collector, Edit, Hint, Related, did_you_mean
from .expand import Combos, Rows, canonical, size_of
from .ranges import exact, from_texts
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
class Lowered:
    """One document with content, lowered, with what files extending it need."""

    node: n.Document
    template: Template
    keys: set[str]  # top-level keys set by entries (its bases' included)
    schema: n.Schema | None  # its own, or its base's
    resolve: Callable[[n.Ref], n.Value | None]  # its file's `let` names
    wheres: list[n.Where]  # its own, then its base's
    sites: list[Site]
    extends: n.Extends | None = None  # the `extends` it was built from


# Loads the lowered document of `extends "path"` (the Str node locates errors).
LoadBase = Callable[[n.Str], "Lowered | None"]


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
        self.shared: dict[tuple[str, bool], Json] = {}  # a name's value, lowered once and shared
        self.oversized: set[str] = set()  # names whose value broke a limit (reported once)

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
        base: Lowered | None = None
        extends: n.Extends | None = None
        broken_base = False  # an `extends` whose file has mistakes: what it would set is unknown
        schemas = [it for it in doc.items if isinstance(it, n.Schema)]
        for index, item in enumerate(doc.items):
            if isinstance(item, n.Extends):
                if index != 0:
                    self.errors.error(Code.E070, "`extends` must be the first line of its document", item.span,
                                      hint="move it to the top of the document")
                elif (base := self.load_base(item.path)) is not None:
                    extends = item
                else:
                    broken_base = True
        out, seen = self.items(doc.items, sweep_ok=True, path=())
        if base is not None:
            out = self.merge(base, out, seen, doc.span)
        for extra in schemas[1:]:
            self.errors.error(Code.E081, "a document has at most one `schema`", extra.span,
                              related=(Related(schemas[0].span, "the first schema is here"),))
        schema = schemas[0] if schemas else (base.schema if base else None)
        own_wheres = [it for it in doc.items if isinstance(it, n.Where)]
        if schema is not None or own_wheres or (base is not None and base.wheres):
            from .predicate import Predicate  # only files that use them pay for them
            from .schema import Checker, check_types
            from .where import check_where, compile_where, required_paths
        if schemas:
            check_types(schemas[0], self.errors)
        if schema is not None:
            bounds = self.resolve_quiet if schemas or base is None else base.resolve
            checker = Checker(schema, self.errors, self.resolve_quiet, base.template if base else None, bounds)
            checker.items(schema, doc.items, "")
            if not broken_base:
                base_keys = base.keys | {p[0] for p in required_paths(base.template)} if base else set()
                checker.required(schema.fields, doc.items, doc.span, base_keys)
        if base is not None and extends is not None:
            for inherited in base.wheres:
                self.recheck(inherited, out, seen, extends)
        for item in own_wheres:
            if broken_base:
                continue  # its paths may come from the base: checked once the base compiles
            if check_where(item, out, self.errors):
                out[Slot("where")] = Where(Predicate(compile_where(item.expr)), "where")
        keys = {it.key.name for it in doc.items if isinstance(it, n.Entry)} | (base.keys if base else set())
        wheres = own_wheres + (base.wheres if base else [])
        sites = sorted(self.sites, key=lambda s: (s.entry.span.line, s.entry.span.column))
        return Lowered(doc, out, keys, schema, self.resolve_quiet, wheres, sites, extends)

    def recheck(self, where: n.Where, template: Template, seen: dict[str, Span], extends: n.Extends) -> None:
        """A base's `where` against the document after this file's overrides
        (a key it tests may now hold another type): reported at the override."""
        from .where import check_where

        scratch = Collector()
        if check_where(where, template, scratch):
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

    def resolve_quiet(self, ref: n.Ref) -> n.Value | None:
        """A name's value without reporting (errors were reported once already)."""
        let = self.lets.get(ref.name)
        return let.value if let is not None else None

    def items(self, items: tuple[n.Node, ...], sweep_ok: bool, path: Path,
              alternative: int | None = None) -> tuple[Template, dict[str, Span]]:
        """An object's items in source order, and where each key is set."""
        out: Template = {}
        seen: dict[str, Span] = {}
        variants: list[tuple[n.Variants, list[dict[str, Span]]]] = []
        for item in items:
            if not path and isinstance(item, (n.Entry, n.Zip, n.Variants)) and not self.bounded(item):
                continue
            if isinstance(item, n.Entry):
                if self._claim(item.key.name, item.key.span, seen):
                    here = path + (item.key.name,)
                    out[item.key.name] = value = self.value(item.value, sweep_ok, here)
                    self.sites.append(Site(item, here, value, alternative=alternative))
            elif isinstance(item, n.Let):
                self.define(item)
            elif isinstance(item, (n.Where, n.Extends, n.Schema)):
                continue  # handled by `document` once all keys are known
            elif not sweep_ok:
                self.errors.error(Code.E023, "a sweep can only stand as the value of a key, not inside a list",
                                  item.span, hint="sweep the whole list instead")
            elif isinstance(item, n.Zip):
                out[Slot("zip")] = self.zip(item, seen, path, alternative)
            elif isinstance(item, n.Variants):
                alts, keysets = self.variants(item, path)
                variants.append((item, keysets))
                out[Slot("variants")] = alts
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
        if isinstance(value, n.ListValue):
            return [self.value(item, False, path) for item in value.items]
        if isinstance(value, n.Ref):
            key = (value.name, sweep_ok)
            if key not in self.shared:  # lowered once: a name used twice is not copied
                target = self.resolve(value)
                if target is None:
                    return None
                self.shared[key] = self.value(target, sweep_ok, path)
            return self.shared[key]
        if not sweep_ok:
            self.errors.error(
                Code.E023, "a sweep can only stand as the value of a key, not inside a list", value.span,
                hint="sweep the whole list instead: `[[1, 2], [1, 3]]*`",
            )
            return None
        if isinstance(value, n.ListSweep):
            return self.list_sweep(value, path)
        return self.range(value)

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
        target = let.value
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
            if not self._claim(entry.key.name, entry.key.span, seen):
                continue
            val = entry.value
            if isinstance(val, n.Ref):
                val = self.resolve(val) or n.ListValue((), val.span)
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
            lowered, keys = self.items(alt.items, True, path, alternative=i + 1)
            alts.append(lowered)
            keysets.append(keys)
        if self.errors.errors() == before:  # (an alternative with a mistake holds stand-ins)
            self._overlap(alts, block)
        return Variants(alts), keysets

    def _overlap(self, alts: list[Template], block: n.Variants) -> None:
        """W003: two alternatives that give the same config."""
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
        before its `let`, or a string missing its quotes."""
        import difflib

        constant = _CONSTANTS.get(ref.name.lower())
        close = difflib.get_close_matches(ref.name, list(self.lets), n=1, cutoff=0.6)
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


def _shown(value: Json) -> str:
    """A value in a message, as JSON, shortened."""
    text = canonical(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _has_axes(value: Json) -> bool:
    """Whether a lowered value still stands for several values."""
    if isinstance(value, (DynamicValue, Zip, Variants, Where)):
        return True
    if isinstance(value, dict):
        return any(_has_axes(v) for v in value.values())
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

