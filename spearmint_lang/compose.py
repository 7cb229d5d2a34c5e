"""Composition: what several `extends`, `import ... as` and `key: delete` mean.

`lower` asks this module three things: where a document may `delete` a key
and whether some base sets it (E105-E107); how the `let` names of an imported
file read in the file that imports it (`prompts.system`, E108); and what is
left of a template once its deleted keys are taken out. Reading the files is
the loader's job, merging templates `lower`'s.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

import attrs

from . import nodes as n
from .codes import Code
from .dynamic import Json, Template
from .errors import Collector, Hint, Related, did_you_mean
from .source import Span

Path = tuple[str, ...]

DELETED: Json = object()
"""The lowered value of `key: delete`: the key is taken out when the
document is laid over its bases (`without_deleted`)."""

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


@attrs.frozen(eq=False)
class Deletion:
    """A `delete` that stands where it may: the key path it removes."""

    path: Path
    key: n.Key  # the last key of the path, where errors about it point
    node: n.Delete

    @property
    def dotted(self) -> str:
        """The path as it reads in messages (`optimizer.momentum`)."""
        return ".".join(self.path)


def _close_matches(word: str, candidates: list[str], n: int, cutoff: float) -> list[str]:
    """`difflib.get_close_matches`, imported only for a hint."""
    import difflib

    return difflib.get_close_matches(word, candidates, n=n, cutoff=cutoff)


def deletions(doc: n.Document, extends: bool, errors: Collector) -> dict[int, Deletion]:
    """The `delete`s of a document that stand where one may (the value of an
    entry of the document, or of an object in such an entry), by node id;
    every other `delete` is E105: in a document that extends nothing, or
    inside a list, a sweep, a `let`, a `zip` or `variants`."""
    found: dict[int, Deletion] = {}
    stack: list[tuple[n.Node, Path | None, n.Key | None, str]] = []
    for item in reversed(doc.items):
        if isinstance(item, n.Entry):
            stack.append((item.value, (item.key.name,), item.key, ""))
        elif isinstance(item, n.Let):
            stack.append((item.value, None, None, "in a `let`"))
        elif isinstance(item, (n.Zip, n.Variants)):
            stack.append((item, None, None, _inside(item)))
    while stack:
        node, path, key, reason = stack.pop()
        if isinstance(node, n.Delete):
            if path is not None and key is not None and extends:
                found[id(node)] = Deletion(path, key, node)
            elif path is not None:
                errors.error(Code.E105, "`delete` removes a key that an extended file sets, but this document "
                             "extends no file", node.span,
                             hint='extend the file that sets the key (`extends "base.mint"` at the top of the '
                                  "document), or remove this entry")
            else:
                errors.error(Code.E105, f"`delete` cannot stand {reason}: it removes a key of an extended file",
                             node.span, hint="write it as the value of a key, `key: delete`, at the top of the "
                                             "document or in an object there")
            continue
        if path is not None and isinstance(node, n.ObjectValue):
            for it in reversed(node.items):
                if isinstance(it, n.Entry):
                    stack.append((it.value, path + (it.key.name,), it.key, ""))
                else:
                    stack.append((it, None, None, _inside(it)))
            continue
        inner = reason or _inside(node)
        stack.extend((child, None, None, inner) for child in reversed(list(node.children())))
    return found


def _inside(node: n.Node) -> str:
    """Where a `delete` below `node` stands, in words."""
    if isinstance(node, n.Zip):
        return "in a `zip`"
    if isinstance(node, n.Variants):
        return "in `variants`"
    if isinstance(node, (n.ListSweep, n.RangeSweep)):
        return "inside a sweep"
    if isinstance(node, n.Distribution):
        return "inside a distribution"
    if isinstance(node, n.ListValue):
        return "inside a list"
    return "inside an expression"


def unset(deletions: Iterable[Deletion], base: Template, spliced: set[str], errors: Collector) -> list[Deletion]:
    """The deletions of keys that the (merged) bases set; E106 for the others,
    with a "did you mean" over the keys the bases set at that level. A key a
    base sets through `zip` or `variants` (`spliced`) is E072, reported by the
    merge."""
    kept: list[Deletion] = []
    for deletion in deletions:
        if deletion.path[0] in spliced:
            continue
        current: Json = base
        missing = False
        for depth, part in enumerate(deletion.path):
            if not isinstance(current, dict) or part not in current:
                _not_set(deletion, depth, current, errors)
                missing = True
                break
            current = current[part]
        if not missing:
            kept.append(deletion)
    return kept


def _not_set(deletion: Deletion, depth: int, level: Json, errors: Collector) -> None:
    shown = deletion.dotted
    hint: str | Hint
    if not isinstance(level, dict):
        owner = ".".join(deletion.path[:depth])
        hint = f"the extended files set `{owner}` to a value that is not an object: delete `{owner}` itself"
    else:
        names = sorted(k for k in level if isinstance(k, str))
        close = _close_matches(deletion.path[depth], names, n=1, cutoff=0.6)
        if close and depth == len(deletion.path) - 1:
            word = close[0]
            hint = did_you_mean(deletion.key.span, word, word if _IDENTIFIER.fullmatch(word) else json.dumps(word))
        elif names:
            where = "" if depth == 0 else f" in `{'.'.join(deletion.path[:depth])}`"
            listed = ", ".join(f"`{k}`" for k in names[:8]) + (", ..." if len(names) > 8 else "")
            hint = f"the extended files set{where}: {listed}"
        else:
            hint = "remove this entry: there is nothing to delete"
    errors.error(Code.E106, f"no extended file sets `{shown}`, so there is nothing to delete", deletion.key.span,
                 hint=hint)


def tested_paths(where: n.Where) -> list[tuple[Path, n.Path]]:
    """The config paths a `where` tests."""
    return [(tuple(node.parts), node) for node in n.walk(where) if isinstance(node, n.Path)]


def needed_by_where(deletion: Deletion, where: n.Where, owner: str, errors: Collector) -> bool:
    """E107 when an inherited `where` tests the deleted key (or a key inside
    it): that `where` would have nothing to compare."""
    size = len(deletion.path)
    for parts, node in tested_paths(where):
        if parts[:size] == deletion.path:
            errors.error(Code.E107, f"`{deletion.dotted}` is tested by the `where` of `{owner}`, so it cannot be "
                         "deleted", deletion.key.span, related=(Related(node.span, "the `where` tests it here"),),
                         hint="give the key a value that `where` accepts instead, or extend a file without that `where`")
            return True
    return False


def needed_by_schema(deletion: Deletion, schema: n.Schema, errors: Collector) -> bool:
    """E107 when the document's schema (its own or an extended file's)
    requires the deleted key."""
    fields: tuple[n.Field, ...] = schema.fields
    field: n.Field | None = None
    for depth, part in enumerate(deletion.path):
        field = next((f for f in fields if f.key.name == part), None)
        if field is None:
            return False
        if depth < len(deletion.path) - 1:
            objects = [t for t in field.types if isinstance(t, n.TypeObject)]
            if len(objects) != 1:
                return False
            fields = objects[0].fields
    if field is None or field.optional:
        return False
    errors.error(Code.E107, f"the schema requires `{deletion.dotted}`, so it cannot be deleted", deletion.key.span,
                 related=(Related(field.key.span, "the schema requires it here"),),
                 hint="mark it optional in the schema with `?`, or give the key a value instead")
    return True


def without_deleted(template: Template) -> Template:
    """`template` with every key whose value is `DELETED` taken out, at any
    depth of its objects (a copy where something is taken out)."""
    out: Template | None = None
    for key, value in template.items():
        if value is DELETED:
            out = dict(template) if out is None else out
            del out[key]
        elif isinstance(value, dict):
            inner = without_deleted(value)
            if inner is not value:
                out = dict(template) if out is None else out
                out[key] = inner
    return template if out is None else out


# --- imports --------------------------------------------------------------------------------

def renamed(value: n.Value, prefix: str, names: set[str]) -> n.Value:
    """An imported `let` value as it reads in the importing file: each name of
    the imported file it uses (`names`) is prefixed (`x` -> `prompts.x`);
    everything else, spans included, is kept."""
    if not any(isinstance(node, n.Ref) and node.name in names for node in n.walk(value)):
        return value
    done: dict[int, n.Node] = {}
    stack: list[tuple[n.Node, bool]] = [(value, False)]
    while stack:
        node, expanded = stack.pop()
        if isinstance(node, n.Ref):
            done[id(node)] = n.Ref(prefix + node.name, node.span) if node.name in names else node
        elif not expanded:
            stack.append((node, True))
            stack.extend((child, False) for child in node.children())
        else:
            changes: dict[str, object] = {}
            for field in node.child_fields:
                old = getattr(node, field)
                if isinstance(old, tuple):
                    new: object = tuple(done[id(child)] for child in old)
                    if any(a is not b for a, b in zip(old, new)):  # type: ignore[call-overload]
                        changes[field] = new
                elif isinstance(old, n.Node) and done[id(old)] is not old:
                    changes[field] = done[id(old)]
            done[id(node)] = attrs.evolve(node, **changes) if changes else node  # type: ignore[misc]
    result = done[id(value)]
    assert isinstance(result, n.VALUES)
    return result


def imported_lets(alias: str, lets: dict[str, n.Let]) -> dict[str, n.Let]:
    """The `let`s of an imported file (`lets`: its names, its own imports'
    included) under the names the importing file uses: `alias.name`."""
    names = set(lets)
    prefix = alias + "."
    return {prefix + name: n.Let(n.Key(prefix + name, let.name.span), renamed(let.value, prefix, names), let.span)
            for name, let in lets.items()}


def unknown_imported(ref: n.Ref, span: Span, imports: dict[str, tuple[n.Import, list[str]]],
                     errors: Collector) -> None:
    """E108: `name.x` where `name` is no import of this file, or `x` no `let`
    of the file imported as `name`; `name` alone, which is a file, not a value."""
    alias, dot, rest = ref.name.partition(".")
    if alias in imports and not dot:
        node, names = imports[alias]
        own = [name for name in names if "." not in name]
        listed = ", ".join(f"`{alias}.{name}`" for name in own[:8]) + (", ..." if len(own) > 8 else "")
        errors.error(Code.E108, f"`{alias}` is the file `{node.path.value}`, not a value: name one of its `let`s",
                     span, hint=f"write {listed}" if own else f"`{node.path.value}` defines no `let` name")
        return
    if alias in imports:
        node, names = imports[alias]
        own = [name for name in names if "." not in name]
        close = _close_matches(rest, own, n=1, cutoff=0.6)
        hint: str | Hint
        if close:
            hint = did_you_mean(span, f"{alias}.{close[0]}")
        elif own:
            listed = ", ".join(f"`{alias}.{name}`" for name in own[:8]) + (", ..." if len(own) > 8 else "")
            hint = f"`{node.path.value}` defines {listed}"
        else:
            hint = f"`{node.path.value}` defines no `let` name"
        errors.error(Code.E108, f"`{node.path.value}` (imported as `{alias}`) has no `let {rest}`", span, hint=hint)
        return
    close = _close_matches(alias, list(imports), n=1, cutoff=0.6)
    if close:
        hint = did_you_mean(span, f"{close[0]}.{rest}")
    elif imports:
        hint = "the files this file imports are " + ", ".join(f"`{name}`" for name in imports)
    else:
        hint = f'import the file that defines it: `import "{alias}.mint" as {alias}`'
    errors.error(Code.E108, f"unknown name `{ref.name}`: this file imports nothing as `{alias}`", span, hint=hint)
