"""Fast text output: a document compiled once into text fragments and
slots, so that each config costs a few string joins and one SHA-256.

A sweep's structure is fixed: only the swept values change from config to
config. So the JSON (or Python) text of a config is the same skeleton with
different value encodings in its slots, and so is the canonical JSON that
`config_id` hashes (keys sorted, ASCII). Each value is encoded once per
axis, not once per config. Documents whose structure varies (`zip`,
`variants`) or that filter (`where`) take the general path in `emit`.
"""

from __future__ import annotations

import functools
import hashlib
import json
import secrets
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from ..dynamic import DynamicValue, Json, Template, Variants, Where, Zip
from ..expand import canonical, size_of
from ..sweep import Space
from .formats import BY_NAME, Format

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


def _with_placeholders(obj: Template, marks: list[str], nonce: str) -> Template:
    """The template with each sweep replaced by a unique marker string."""
    out: Template = {}
    for key, value in obj.items():
        if isinstance(value, DynamicValue):
            mark = f"\x00{nonce}:{len(marks)}\x00"
            marks.append(mark)
            out[key] = mark
        elif isinstance(value, dict):
            out[key] = _with_placeholders(value, marks, nonce)
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
        template = space.template
        value = self.format.value
        if value is None or any(isinstance(a, (Zip, Variants)) for a in space.axes) or _has(template, (Zip, Variants, Where)):
            return
        nonce = secrets.token_hex(8)
        marks: list[str] = []
        skeleton = _with_placeholders(template, marks, nonce)
        self.own_id = "config_id" in template
        id_mark = f"\x00{nonce}:id\x00"
        shown = skeleton if self.own_id else {**skeleton, "config_id": id_mark}
        text = self.format.item(shown)
        quote = self.format.quote
        cut = _split(text, [quote(m) for m in marks] + ([] if self.own_id else [quote(id_mark)]))
        canon = _split(canonical(skeleton), [json.dumps(m) for m in marks])
        if cut is None or canon is None:
            return
        self.parts, slots = cut
        self.id_slot = None if self.own_id else slots[-1]
        self.slots = slots[: len(marks)]
        cparts, self.cslots = canon
        self.cparts: list[bytes] = [p.encode("ascii") for p in cparts]
        self.enc: list[Sequence[str]] = []
        for axis_index, values in enumerate(space.choices):
            line = self._line_of(text, quote(marks[axis_index]))
            self.enc.append(_encodings(values, functools.partial(_encode_at, value, line)))
        self.cenc: list[Sequence[bytes]] = [_encodings(values, _canonical_bytes) for values in space.choices]
        self.ok = True

    @staticmethod
    def _line_of(text: str, quoted: str) -> str:
        at = text.find(quoted)
        return text[text.rfind("\n", 0, at) + 1 : at]

    def items(self, start: int, stop: int) -> Iterator[tuple[str, int]]:
        """The text of configs `start..stop-1`, in batches with their sizes."""
        if start >= stop:
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
        if m == 0:
            if id_slot is not None:
                parts[id_slot] = self.format.quote(sha(cjoin(cparts)).hexdigest()[:16])
            yield join(parts) * remaining, remaining
            return
        last = m - 1
        ls, lcs, le, lce, size = slots[last], cslots[last], enc[last], cenc[last], sizes[last]
        quote = self.format.quote
        k = digits[last]
        while remaining > 0:
            hi = min(size, k + remaining)
            for j in range(k, hi):
                parts[ls] = le[j]
                cparts[lcs] = lce[j]
                if id_slot is not None:
                    digest = sha(cjoin(cparts)).hexdigest()[:16]
                    parts[id_slot] = quote(digest)
                batch.append(join(parts))
                if len(batch) >= _BATCH:
                    yield join(batch), len(batch)
                    batch.clear()
            remaining -= hi - k
            k = 0
            # carry into the slower axes
            pos = last - 1
            while pos >= 0 and remaining > 0:
                digits[pos] += 1
                if digits[pos] < sizes[pos]:
                    parts[slots[pos]] = enc[pos][digits[pos]]
                    cparts[cslots[pos]] = cenc[pos][digits[pos]]
                    break
                digits[pos] = 0
                parts[slots[pos]] = enc[pos][0]
                cparts[cslots[pos]] = cenc[pos][0]
                pos -= 1
        if batch:
            yield join(batch), len(batch)


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
