"""Fast text output: a document compiled once into text fragments and
slots, so that each config costs a few string joins and one SHA-256.

A sweep's structure is fixed: only the swept values change from config to
config. So the text of a config (JSON, JSON in a Python literal, YAML) is
the same skeleton with different value encodings in its slots, and so is
the canonical JSON that `config_id` hashes (keys sorted, ASCII). Each value is encoded once per
axis, not once per config. Sampled values (`sample`) are drawn and encoded
per config into slots of their own. Documents whose structure varies (`zip`,
`variants`), that filter (`where`) or that compute values take the
general path in `emit`. A YAML value's text depends on its place in the
document: the format's `slot` finds it there (`yamltext.SlotEncoder`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import secrets
import weakref
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, TypeVar

from ..dynamic import Config, DynamicValue, Json, Template, Variants, Where, Zip
from ..gcpause import paused
from ..expand import canonical, size_of
from ..ranges import Indexed
from ..sampling import Choice, Distribution, Sample
from .formats import BY_NAME, Format
from .yamltext import Unplannable, fresh, only_scalars

if TYPE_CHECKING:
    from ..sweep import Space

_EAGER_LIMIT = 65_536  # axes up to this size are encoded up front
_BATCH = 2_048


T = TypeVar("T", str, bytes)


class _Lazy(Sequence[T]):
    """Encodings of a large axis, computed when asked for."""

    def __init__(self, values: Sequence[Json], encode: Callable[[Json], T]) -> None:
        self.values = values
        self.encode: Callable[[Json], T] = encode

    def __len__(self) -> int:
        return size_of(self.values)

    def __getitem__(self, index: int) -> T:  # type: ignore[override]  # integer indices only
        return self.encode(self.values[index])


def _encodings(values: Sequence[Json], encode: Callable[[Json], T]) -> Sequence[T]:
    if size_of(values) <= _EAGER_LIMIT:
        return [encode(v) for v in values]
    return _Lazy(values, encode)


def _with_placeholders(obj: Template, marks: list[str], nonce: str,
                       drawn: list[tuple[str, Distribution, str]] | None = None, prefix: str = "") -> Template:
    """The template with each sweep replaced by a unique marker string, and
    each distribution by another (recorded in `drawn` with its key path);
    a `Sample` is left out (it writes nothing)."""
    out: Template = {}
    for key, value in obj.items():
        if isinstance(value, DynamicValue):
            mark = f"\x00{nonce}:{len(marks)}\x00"
            marks.append(mark)
            out[key] = mark
        elif isinstance(value, Distribution) and drawn is not None:
            mark = f"\x00{nonce}:d{len(drawn)}\x00"
            drawn.append((mark, value, prefix + key))
            out[key] = mark
        elif isinstance(value, Sample):
            continue
        elif isinstance(value, dict):
            out[key] = _with_placeholders(value, marks, nonce, drawn, prefix + key + ".")
        else:
            out[key] = value
    return out


def _split(text: str, quoted: list[str]) -> tuple[list[str], list[int]] | None:
    """Cut `text` at each quoted marker: fragments with slots, or None if a
    marker is not found exactly once (then the general path is used)."""
    parts: list[str] = []
    slots: list[int] = [0] * len(quoted)
    located = sorted((text.find(q), i) for i, q in enumerate(quoted))
    pos = 0
    for at, i in located:
        if at < pos or text.count(quoted[i]) != 1:
            return None
        parts.append(text[pos:at])
        slots[i] = len(parts)
        parts.append("")
        pos = at + len(quoted[i])
    parts.append(text[pos:])
    return parts, slots


class Plan:
    """One document compiled for one output format."""

    def __init__(self, space: Space, fmt: Format | str) -> None:
        self.space = space
        self.format = BY_NAME[fmt] if isinstance(fmt, str) else fmt
        self.ok = False
        self.sample: Sample | None = None
        template = space.template
        if self.format.value is None and self.format.slot is None:
            return
        if any(isinstance(a, (Zip, Variants)) for a in space.axes) or _has(template, (Zip, Variants, Where)):
            return
        if space.draws.derive:
            return  # computed values: the general path computes them per config
        nonce = secrets.token_hex(8)
        marks: list[str] = []
        drawn: list[tuple[str, Distribution, str]] = []
        skeleton = _with_placeholders(template, marks, nonce, drawn)
        self.sample = space.draws.sample
        if sorted(path for _, _, path in drawn) != space.draws.paths:
            return  # a distribution inside a swept object: the general path draws it
        self.own_id = "config_id" in template
        id_mark = f"\x00{nonce}:id\x00"
        shown = skeleton if self.own_id else {**skeleton, "config_id": id_mark}
        text = self.format.item(fresh(shown))  # (a YAML dumper writes anchors for shared containers)
        quote = self.format.quote
        every = marks + [m for m, _, _ in drawn]
        cut = _split(text, [quote(m) for m in every] + ([] if self.own_id else [quote(id_mark)]))
        canon = _split(canonical(skeleton), [json.dumps(m) for m in every])
        if cut is None or canon is None:
            return
        self.parts, slots = cut
        self.id_slot = None if self.own_id else slots[-1]
        # Whether the id's slot takes `quote(digest)`; else the bare digest,
        # its quotes moved into the text around the slot (one call less per config).
        self.id_quoted = True
        wrap = _wrapping(self.format.quote) if self.id_slot is not None else None
        if wrap is not None and self.id_slot is not None:
            self.parts[self.id_slot - 1] += wrap[0]
            self.parts[self.id_slot + 1] = wrap[1] + self.parts[self.id_slot + 1]
            self.id_quoted = False
        self.slots = slots[: len(marks)]
        cparts, cslots = canon
        self.cslots = cslots[: len(marks)]
        self.cparts: list[bytes] = [p.encode("ascii") for p in cparts]
        grid = space.choices[:-1] if self.sample is not None else space.choices
        try:
            self.enc: list[Sequence[str]] = []
            for axis_index, values in enumerate(grid):
                encode = self._encoder(shown, text, marks[axis_index])
                if self.format.slot is not None and size_of(values) > _EAGER_LIMIT and not only_scalars(values):
                    return  # (a large axis is encoded as it is used: no dump may fail then)
                self.enc.append(_encodings(values, encode))
            # Sampled values: (distribution, path, text slot, canonical slot, encoder), drawn per config.
            self.drawn = [(dist, path, slots[len(marks) + k], cslots[len(marks) + k], self._encoder(shown, text, mark))
                          for k, (mark, dist, path) in enumerate(drawn)]
            for dist, *_, encode in self.drawn:
                for choice in getattr(dist, "values", ()):  # (`choice`: its values, dumped now if need be)
                    encode(choice)
        except Unplannable:
            return
        self.cenc: list[Sequence[bytes]] = [_encodings(values, _canonical_bytes) for values in grid]
        # Whether this format writes a number as `repr` does (then a drawn number's text serves twice).
        self.plain_numbers = all(encode(x) == repr(x) for *_, encode in self.drawn for x in (0.1, 1e-05, -3, 10**20))
        self.ok = True

    def _encoder(self, shown: Template, text: str, mark: str) -> Callable[[Json], str]:
        """The encoder of the values of the slot where `mark` stands in `text`."""
        if self.format.slot is not None:
            return self.format.slot(shown, text, mark)
        assert self.format.value is not None
        return functools.partial(_encode_at, self.format.value, self._line_of(text, self.format.quote(mark)))

    @staticmethod
    def _line_of(text: str, quoted: str) -> str:
        at = text.find(quoted)
        return text[text.rfind("\n", 0, at) + 1 : at]

    def items(self, start: int, stop: int) -> Iterator[tuple[str, int]]:
        """The text of configs `start..stop-1`, in batches with their sizes."""
        if start >= stop:
            return
        if self.sample is not None:
            yield from self._sampled(start, stop)
            return
        sizes = self.space.sizes
        m = len(sizes)
        digits = self.space.digits(start)
        parts = list(self.parts)
        cparts = list(self.cparts)
        slots, cslots, enc, cenc = self.slots, self.cslots, self.enc, self.cenc
        for a in range(m - 1):
            parts[slots[a]] = enc[a][digits[a]]
            cparts[cslots[a]] = cenc[a][digits[a]]
        join, cjoin = "".join, b"".join
        sha = hashlib.sha256
        id_slot = self.id_slot
        batch: list[str] = []
        remaining = stop - start
        quote = self.format.quote if self.id_quoted else str
        if m == 0:
            if id_slot is not None:
                parts[id_slot] = quote(sha(cjoin(cparts)).hexdigest()[:16])
            yield join(parts) * remaining, remaining
            return
        last = m - 1
        ls, lcs, le, lce, size = slots[last], cslots[last], enc[last], cenc[last], sizes[last]
        k = digits[last]
        append = batch.append
        while remaining > 0:
            hi = min(size, k + remaining, k + _BATCH - len(batch))
            if id_slot is None:
                for j in range(k, hi):
                    parts[ls] = le[j]
                    append(join(parts))
            elif not self.id_quoted:  # (the most common: JSON and JSONL)
                for j in range(k, hi):
                    parts[ls] = le[j]
                    cparts[lcs] = lce[j]
                    parts[id_slot] = sha(cjoin(cparts)).hexdigest()[:16]
                    append(join(parts))
            else:
                for j in range(k, hi):
                    parts[ls] = le[j]
                    cparts[lcs] = lce[j]
                    parts[id_slot] = quote(sha(cjoin(cparts)).hexdigest()[:16])
                    append(join(parts))
            if len(batch) >= _BATCH:
                yield join(batch), len(batch)
                batch.clear()
            remaining -= hi - k
            k = hi
            if k == size:
                k = 0
                if remaining > 0:
                    self._carry(digits, last - 1, parts, cparts)
        if batch:
            yield join(batch), len(batch)

    @property
    def alone(self) -> bool:
        """Whether `documents` can write this document's configs."""
        return self.ok and self.sample is None and self.id_slot is not None

    def documents(self, start: int, stop: int) -> Iterator[tuple[str, str]]:
        """Each of configs `start..stop-1` on its own, with its `config_id`
        (for files of their own; see `alone`)."""
        assert self.alone and self.id_slot is not None
        sizes, slots, cslots, enc, cenc = self.space.sizes, self.slots, self.cslots, self.enc, self.cenc
        digits = self.space.digits(start)
        parts = list(self.parts)
        cparts = list(self.cparts)
        for a, d in enumerate(digits):
            parts[slots[a]] = enc[a][d]
            cparts[cslots[a]] = cenc[a][d]
        join, cjoin, sha, id_slot = "".join, b"".join, hashlib.sha256, self.id_slot
        quote = self.format.quote if self.id_quoted else str
        last, carry = len(sizes) - 1, self._carry
        for _ in range(stop - start):
            digest = sha(cjoin(cparts)).hexdigest()[:16]
            parts[id_slot] = quote(digest)
            yield join(parts), digest
            carry(digits, last, parts, cparts)  # the next config

    def _carry(self, digits: list[int], pos: int, parts: list[str], cparts: list[bytes]) -> None:
        """Step the odometer at axis `pos`, carrying into the slower axes,
        and put the new values' encodings in their slots."""
        sizes, slots, cslots, enc, cenc = self.space.sizes, self.slots, self.cslots, self.enc, self.cenc
        while pos >= 0:
            digits[pos] += 1
            if digits[pos] < sizes[pos]:
                parts[slots[pos]] = enc[pos][digits[pos]]
                cparts[cslots[pos]] = cenc[pos][digits[pos]]
                return
            digits[pos] = 0
            parts[slots[pos]] = enc[pos][0]
            cparts[cslots[pos]] = cenc[pos][0]
            pos -= 1

    def _sampled(self, start: int, stop: int) -> Iterator[tuple[str, int]]:
        """`items` of a document with `sample`: the sample index is the last
        axis and writes nothing; each distribution is drawn per config."""
        sample = self.sample
        assert sample is not None
        paths = self.space.draws.paths
        sizes = self.space.sizes
        grid = len(sizes) - 1
        digits = self.space.digits(start)
        parts = list(self.parts)
        cparts = [p.decode("ascii") for p in self.cparts]  # canonical text as str: one encode per config
        slots, cslots, enc, cenc = self.slots, self.cslots, self.enc, self.cenc
        for a in range(grid):
            parts[slots[a]] = enc[a][digits[a]]
            cparts[cslots[a]] = cenc[a][digits[a]].decode("ascii")
        join, sha, quote = "".join, hashlib.sha256, self.format.quote if self.id_quoted else str
        drawn, id_slot, n, plain = self.drawn, self.id_slot, sample.n, self.plain_numbers
        s = digits[-1]
        for lo in range(start, stop, _BATCH):
            hi = min(stop, lo + _BATCH)
            columns: list[tuple[int, int, list[str], list[str]]] = []
            for dist, path, slot, cslot, encode in drawn:  # one key at a time, a batch of configs at once
                units = sample.units(path, lo, hi, paths)
                texts = dist.texts(units) if plain else None  # JSON writes a number as repr does, canonical JSON too
                if texts is not None:
                    columns.append((slot, cslot, texts, texts))
                else:
                    values = dist.draws(units)
                    columns.append((slot, cslot, list(map(encode, values)), [canonical(v) for v in values]))
            batch: list[str] = []
            for j in range(hi - lo):
                for slot, cslot, texts, ctexts in columns:
                    parts[slot] = texts[j]
                    cparts[cslot] = ctexts[j]
                if id_slot is not None:
                    parts[id_slot] = quote(sha(join(cparts).encode("ascii")).hexdigest()[:16])
                batch.append(join(parts))
                s += 1
                if s == n:  # carry into the grid
                    s = 0
                    pos = grid - 1
                    while pos >= 0:
                        digits[pos] += 1
                        if digits[pos] < sizes[pos]:
                            parts[slots[pos]] = enc[pos][digits[pos]]
                            cparts[cslots[pos]] = cenc[pos][digits[pos]].decode("ascii")
                            break
                        digits[pos] = 0
                        parts[slots[pos]] = enc[pos][0]
                        cparts[cslots[pos]] = cenc[pos][0].decode("ascii")
                        pos -= 1
            yield join(batch), len(batch)


# 16 hex digits that formats may write differently (YAML quotes some of them:
# those that read as numbers).
_PROBES = ("0123456789abcdef", "deadbeefdeadbeef", "0000000000000000", "1234567890123456", "0123456701234567",
           "1e10000000000000", "0e12345678901234", "12345678901234e5", "inf0000000000000", "7fffffffffffffff")


def _wrapping(quote: Callable[[str], str]) -> tuple[str, str] | None:
    """The text a format writes before and after every id (`"` and `"` for
    JSON), when it writes each the same way; None when it does not (YAML
    quotes only ids that would read as numbers)."""
    first = quote(_PROBES[0])
    at = first.find(_PROBES[0])
    if at < 0:
        return None
    before, after = first[:at], first[at + len(_PROBES[0]):]
    if all(quote(p) == before + p + after for p in _PROBES):
        return before, after
    return None


def _encode_at(encode: Callable[[Json, str], str], line: str, value: Json) -> str:
    return encode(value, line)


def _canonical_bytes(value: Json) -> bytes:
    return canonical(value).encode("ascii")


def _has(obj: Template, kinds: tuple[type, ...]) -> bool:
    for value in obj.values():
        if isinstance(value, kinds):
            return True
        if isinstance(value, dict) and _has(value, kinds):
            return True
    return False


def in_memory(space: Space, start: int, stop: int) -> Iterator[list[Config]] | None:
    """Configs `start..stop-1` of `space` as dicts, in lists of a batch each:
    the JSON text of its plan read back by `json.loads` (built in C, each config a
    fresh object, `config_id` hashed from fragments). None where the general
    path must build them: a document the plan does not take, or one holding a
    value that JSON would not give back as it is (a tuple, a huge int, NaN,
    a non-string key: possible in templates written in Python)."""
    try:
        plan = _IN_MEMORY[space]
    except KeyError:
        plan = _IN_MEMORY[space] = _json_plan(space)
    return None if plan is None else _decoded(plan, start, stop)


# Each document's plan for `in_memory`, made once (a sweep read slice by
# slice, as Ray Data's tasks do, does not make it again), and never pickled
# with the document.
_IN_MEMORY: weakref.WeakKeyDictionary[Space, Plan | None] = weakref.WeakKeyDictionary()


def _json_plan(space: Space) -> Plan | None:
    if not _json_exact_template(space.template) or not all(_json_exact_axis(values) for values in space.choices):
        return None
    plan = Plan(space, "jsonl")
    return plan if plan.ok else None


def _decoded(plan: Plan, start: int, stop: int) -> Iterator[list[Config]]:
    """Each batch of configs, decoded without Python's cyclic collector, and
    counted as old once decoded (see `_decode`)."""
    for text, _ in plan.items(start, stop):  # lines, each ending with a newline
        yield _decode("[" + text[:-1].replace("\n", ",") + "]")


def _decode(text: str) -> list[Config]:
    """`json.loads(text)`, which makes thousands of new dicts and lists, with
    the cyclic collector paused (`gcpause`): else, while the caller keeps
    them (`list(Sweep(...))`), it scans every young config again and again
    (~40% of the time). Configs hold no cycles."""
    with paused():
        decoded: list[Config] = json.loads(text)
    return decoded


_HUGE = 10 ** 4000  # ints past this do not print (Python's digit limit): the general path keeps them


def _json_exact(value: Json) -> bool:
    """Whether `json.loads(json.dumps(value))` gives `value` back, same types."""
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return True
    if kind is int:
        return bool(-_HUGE < value < _HUGE)
    if kind is float:
        return math.isfinite(value)
    if kind is list:
        return all(_json_exact(v) for v in value)
    if kind is dict:
        return all(type(k) is str and _json_exact(v) for k, v in value.items())
    return False


def _json_exact_template(obj: Template) -> bool:
    for key, value in obj.items():
        if isinstance(value, Sample):
            continue  # (under a key of its own, writes nothing)
        if type(key) is not str:
            return False
        if isinstance(value, DynamicValue):
            continue  # (an axis's values are checked with the axes)
        if isinstance(value, Distribution):
            if isinstance(value, Choice) and not all(_json_exact(v) for v in value.values):
                return False
            continue
        if isinstance(value, dict):
            if not _json_exact_template(value):
                return False
        elif not _json_exact(value):
            return False
    return True


def _json_exact_axis(values: Sequence[Json]) -> bool:
    if isinstance(values, (range, Indexed)):
        return True  # numbers of a range
    return all(_json_exact(v) for v in values)
