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
from typing import Any

from .dynamic import DynamicValue, Variants, Where, Zip
from .expand import size_of
from .sweep import Space

_EAGER_LIMIT = 65_536  # axes up to this size are encoded up front
_BATCH = 2_048


def _dump_jsonl(value: Any) -> str:
    kind = type(value)
    if kind is int:
        return int.__repr__(value)
    if kind is float and value == value and value not in (float("inf"), float("-inf")):
        return float.__repr__(value)  # what json.dumps writes for a float
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _dump_canonical(value: Any) -> str:
    kind = type(value)
    if kind is int:
        return int.__repr__(value)
    if kind is float and value == value and value not in (float("inf"), float("-inf")):
        return float.__repr__(value)
    return json.dumps(value, sort_keys=True, default=str)


class _Lazy(Sequence[Any]):
    """Encodings of a large axis, computed when asked for."""

    def __init__(self, values: Sequence[Any], encode: Callable[[Any], Any]) -> None:
        self.values = values
        self.encode = encode

    def __len__(self) -> int:
        return size_of(self.values)

    def __getitem__(self, index: Any) -> Any:
        return self.encode(self.values[index])


def _encodings(values: Sequence[Any], encode: Callable[[Any], Any]) -> Sequence[Any]:
    if size_of(values) <= _EAGER_LIMIT:
        return [encode(v) for v in values]
    return _Lazy(values, encode)


def _with_placeholders(obj: dict[Any, Any], marks: list[str], nonce: str) -> dict[str, Any]:
    """The template with each sweep replaced by a unique marker string."""
    out: dict[str, Any] = {}
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

    def __init__(self, space: Space, fmt: str) -> None:
        self.space = space
        self.fmt = fmt
        self.ok = False
        template = space.template
        if any(isinstance(a, (Zip, Variants)) for a in space.axes) or _has(template, (Zip, Variants, Where)):
            return
        nonce = secrets.token_hex(8)
        marks: list[str] = []
        skeleton = _with_placeholders(template, marks, nonce)
        self.own_id = "config_id" in template
        id_mark = f"\x00{nonce}:id\x00"
        shown = skeleton if self.own_id else {**skeleton, "config_id": id_mark}
        text, quote, encode = self._format(shown)
        cut = _split(text, [quote(m) for m in marks] + ([] if self.own_id else [quote(id_mark)]))
        canon = _split(_dump_canonical(skeleton), [json.dumps(m) for m in marks])
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
            self.enc.append(_encodings(values, functools.partial(_encode_at, encode, line)))
        self.cenc = [_encodings(values, lambda v: _dump_canonical(v).encode("ascii")) for values in space.choices]
        self.ok = True

    def _format(self, shown: dict[str, Any]) -> tuple[str, Callable[[str], str], Callable[[Any, str], str]]:
        """The skeleton text, how a marker appears in it, and the value encoder."""
        if self.fmt == "jsonl":
            return _dump_jsonl(shown) + "\n", json.dumps, lambda v, _line: _dump_jsonl(v)
        if self.fmt == "json":
            body = ",\n  " + json.dumps(shown, indent=2, ensure_ascii=False).replace("\n", "\n  ")

            def encode(v: Any, line: str) -> str:
                lead = line[: len(line) - len(line.lstrip(" "))]
                return json.dumps(v, indent=2, ensure_ascii=False).replace("\n", "\n" + lead)

            return body, lambda m: json.dumps(m, ensure_ascii=False), encode
        from .emit import py_literal

        return "\n    " + py_literal(shown) + ",", repr, lambda v, _line: py_literal(v)

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
                parts[id_slot] = '"' + sha(cjoin(cparts)).hexdigest()[:16] + '"' if self.fmt != "py" else repr(sha(cjoin(cparts)).hexdigest()[:16])
            yield join(parts) * remaining, remaining
            return
        last = m - 1
        ls, lcs, le, lce, size = slots[last], cslots[last], enc[last], cenc[last], sizes[last]
        quote = repr if self.fmt == "py" else None
        k = digits[last]
        while remaining > 0:
            hi = min(size, k + remaining)
            for j in range(k, hi):
                parts[ls] = le[j]
                cparts[lcs] = lce[j]
                if id_slot is not None:
                    digest = sha(cjoin(cparts)).hexdigest()[:16]
                    parts[id_slot] = quote(digest) if quote else '"' + digest + '"'
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


def _encode_at(encode: Callable[[Any, str], str], line: str, value: Any) -> str:
    return encode(value, line)


def _has(obj: dict[Any, Any], kinds: tuple[type, ...]) -> bool:
    for value in obj.values():
        if isinstance(value, kinds):
            return True
        if isinstance(value, dict) and _has(value, kinds):
            return True
    return False
