"""Configs matched by `config_id`: `mintc diff` and `mintc compile --exclude-ids`.

Ids are compared as text (a config's own `config_id`, else spearmint's,
`expand.config_id`) and counted as a multiset: a config that appears twice
is two configs. What is held in memory: the ids of one side (OLD for
`diff`, DONE for `--exclude-ids`) with their counts; the other side is
streamed. A JSON array file is read whole (JSONL streams line by line).
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator

import attrs

from .dynamic import Config
from .expand import config_id

SHOWN = 20  # configs listed per kind in the text output of `diff`
# A file of a `--split` folder: `<index>-<id>.yaml` or `.json`.
_SPLIT_FILE = re.compile(r"[0-9]+-.*\.(yaml|json)", re.DOTALL)


class InputError(Exception):
    """A file mintc reads that is not what it should be: `PATH: error: MESSAGE` (exit 1)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


def id_of(config: Config) -> str:
    """A config's `config_id` as text: its own, else spearmint's."""
    own = config.get("config_id")
    return config_id(config) if own is None else str(own)


# --- previous outputs ---------------------------------------------------------------


def is_output(path: str) -> bool:
    """Whether `path` is an output of `mintc compile` (a JSON array or JSONL)
    rather than a `.mint` file: by its extension, else by its first character."""
    ext = os.path.splitext(path)[1].lower()
    if ext in (".json", ".jsonl"):
        return True
    if ext == ".mint" or os.path.isdir(path):
        return False
    return _first_char(path) in ("[", "{")


def _first_char(path: str) -> str:
    """The first character of the file that is not white space ('' if none or unreadable)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            while chunk := fh.read(4096):
                stripped = chunk.lstrip()
                if stripped:
                    return stripped[0]
    except OSError:
        return ""
    return ""


def _lines(path: str) -> Iterator[tuple[int, str]]:
    """The lines of a text file (1-based numbers), streamed."""
    try:
        with open(path, encoding="utf-8") as fh:
            yield from enumerate(fh, 1)
    except UnicodeDecodeError:
        raise InputError(path, "cannot read: it is not UTF-8 text") from None
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None


def _array(path: str) -> list[object]:
    """A JSON array file, read whole."""
    try:
        with open(path, encoding="utf-8") as fh:
            value = json.load(fh)
    except UnicodeDecodeError:
        raise InputError(path, "cannot read: it is not UTF-8 text") from None
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise InputError(path, f"line {exc.lineno}: not valid JSON: {exc.msg}") from None
    if not isinstance(value, list):
        raise InputError(path, "expected a JSON array of configs, as `mintc compile` writes")
    return value


def _is_array(path: str) -> bool:
    """A JSON array (`.json`, or a file beginning with `[`) rather than JSONL."""
    ext = os.path.splitext(path)[1].lower()
    return ext == ".json" or (ext != ".jsonl" and _first_char(path) == "[")


def read_output(path: str) -> Iterator[Config]:
    """The configs of a JSON array or JSONL file, in order."""
    if _is_array(path):
        for i, item in enumerate(_array(path)):
            if not isinstance(item, dict):
                raise InputError(path, f"item {i} is not a config (a JSON object)")
            yield item
        return
    for number, line in _lines(path):
        if line.strip():
            yield _object(path, number, line)


def _object(path: str, number: int, line: str) -> Config:
    """One line of a JSONL file: a JSON object."""
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(path, f"line {number}: not valid JSON: {exc.msg}") from None
    if not isinstance(value, dict):
        raise InputError(path, f"line {number}: not a config (a JSON object)")
    return value


# --- the ids already done (`--exclude-ids DONE`) ------------------------------------


def read_done(path: str) -> Counter[str]:
    """The ids in DONE, counted: a `--split` folder (each file's `config_id`),
    a JSON array of configs or results, JSONL of them (each with a
    `config_id`), or else a text file of ids, one per line."""
    if os.path.isdir(path):
        return _split_ids(path)
    if _is_array(path):
        found: Counter[str] = Counter()
        for i, item in enumerate(_array(path)):
            if not isinstance(item, dict) or "config_id" not in item:
                raise InputError(path, f'item {i} has no "config_id"')
            found[str(item["config_id"])] += 1
        return found
    ext = os.path.splitext(path)[1].lower()
    if ext == ".jsonl" or _first_char(path) == "{":
        return _jsonl_ids(path)
    return Counter(line.strip() for _, line in _lines(path) if line.strip())


def _jsonl_ids(path: str) -> Counter[str]:
    found: Counter[str] = Counter()
    for number, line in _lines(path):
        if line.strip():
            record = _object(path, number, line)
            if "config_id" not in record:
                raise InputError(path, f'line {number} has no "config_id"')
            found[str(record["config_id"])] += 1
    return found


def _split_ids(folder: str) -> Counter[str]:
    """The `config_id` inside each `<index>-<id>.yaml` or `.json` file of a
    `--split` folder (file names cut and sanitise ids, so the files are read);
    other files are not looked at."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    found: Counter[str] = Counter()
    try:
        names = sorted(os.listdir(folder))
    except OSError as exc:
        raise InputError(folder, f"cannot read: {exc.strerror or exc}") from None
    for name in names:
        if not _SPLIT_FILE.fullmatch(name):
            continue
        path = os.path.join(folder, name)
        try:
            with open(path, encoding="utf-8") as fh:
                config = json.load(fh) if name.endswith(".json") else yaml.load(fh, Loader=loader)
        except (OSError, ValueError, yaml.YAMLError) as exc:
            raise InputError(path, f"cannot read this split file: {exc}") from None
        if not isinstance(config, dict) or "config_id" not in config:
            raise InputError(path, 'this split file has no "config_id"')
        found[str(config["config_id"])] += 1
    return found


class Excluder:
    """Keeps the configs whose id is not (or no more) in DONE: each id in
    DONE skips one config with that id."""

    def __init__(self, done: Counter[str]) -> None:
        self.left = done
        self.skipped = 0

    def keeps(self, config: Config) -> bool:
        cid = id_of(config)
        if self.left.get(cid, 0) > 0:
            self.left[cid] -= 1
            self.skipped += 1
            return False
        return True

    def filter(self, configs: Iterable[Config]) -> Iterator[Config]:
        return (c for c in configs if self.keeps(c))

    @property
    def unmatched(self) -> int:
        """The ids of DONE that matched no config written here."""
        return sum(self.left.values())

    def report(self, label: str, where: str) -> str:
        """`mintc: skipped 3 configs already done (in DONE); ...`, for stderr."""
        configs = "config" if self.skipped == 1 else "configs"
        text = f"mintc: skipped {self.skipped:,} {configs} already done (in {label})"
        if self.unmatched:
            ids = "id" if self.unmatched == 1 else "ids"
            text += f"; {self.unmatched:,} {ids} in {label} {'is' if self.unmatched == 1 else 'are'} not in {where}"
        return text + "\n"


# --- `mintc diff` --------------------------------------------------------------------


@attrs.frozen
class Side:
    """One input of `diff`: its name as printed, and its configs (a fresh
    iteration each call)."""

    label: str
    configs: Callable[[], Iterable[Config]]


@attrs.define
class Outcome:
    added: int = 0
    removed: int = 0
    kept: int = 0

    @property
    def equal(self) -> bool:
        return not self.added and not self.removed

    def summary(self) -> str:
        return f"+{self.added:,} added, -{self.removed:,} removed, {self.kept:,} kept"


def diff(old: Side, new: Side, fmt: str, write: Callable[[str], object]) -> Outcome:
    """Compare the configs of `old` and `new` by id (a multiset), writing the
    report in `fmt` ("text" or "json") as it goes. OLD is read twice (its
    ids, then, if any is removed, its removed configs), NEW once."""
    remaining: Counter[str] = Counter(id_of(c) for c in old.configs())
    repeated = {cid: n for cid, n in remaining.items() if n > 1}
    out = Outcome()
    lines = _TextLines(write, old.label, new.label) if fmt == "text" else _JsonLines(write, old.label, new.label)
    lines.begin("added")
    for index, config in enumerate(new.configs()):
        cid = id_of(config)
        if remaining.get(cid, 0) > 0:
            remaining[cid] -= 1
            out.kept += 1
        else:
            lines.item(index, config)
            out.added += 1
    lines.end()
    gone = +remaining  # the ids removed, with how many of each
    out.removed = sum(gone.values())
    lines.begin("removed")
    if gone:
        seen: Counter[str] = Counter()
        for index, config in enumerate(old.configs()):
            cid = id_of(config)
            if cid in gone:
                # The surplus of an id are its last occurrences (as in NEW).
                seen[cid] += 1
                if seen[cid] > repeated.get(cid, 1) - gone[cid]:
                    lines.item(index, config)
    lines.end()
    lines.finish(out)
    return out


def _compact(config: Config) -> str:
    return json.dumps(config, ensure_ascii=False)


class _TextLines:
    """`--- OLD`, `+++ NEW`, `+ [7] {...}` for the first SHOWN configs added,
    `- [3] {...}` for those removed, then the summary."""

    def __init__(self, write: Callable[[str], object], old: str, new: str) -> None:
        self.write = write
        write(f"--- {old}\n+++ {new}\n")
        self.mark = "+"
        self.count = 0
        self.kind = ""

    def begin(self, kind: str) -> None:
        self.kind, self.count = kind, 0
        self.mark = "+" if kind == "added" else "-"

    def item(self, index: int, config: Config) -> None:
        self.count += 1
        if self.count <= SHOWN:
            self.write(f"{self.mark} [{index}] {_compact(config)}\n")

    def end(self) -> None:
        if self.count > SHOWN:
            self.write(f"{self.mark} ... and {self.count - SHOWN:,} more {self.kind}\n")

    def finish(self, out: Outcome) -> None:
        self.write(out.summary() + "\n")


class _JsonLines:
    """The JSON report, streamed: one added or removed config per line."""

    def __init__(self, write: Callable[[str], object], old: str, new: str) -> None:
        self.write = write
        self.first = True
        write(f'{{\n  "old": {json.dumps(old, ensure_ascii=False)},\n  "new": {json.dumps(new, ensure_ascii=False)},\n')

    def begin(self, kind: str) -> None:
        self.write(f'  "{kind}": [')
        self.first = True

    def item(self, index: int, config: Config) -> None:
        entry = json.dumps({"index": index, "config": config}, ensure_ascii=False)
        self.write(("\n" if self.first else ",\n") + f"    {entry}")
        self.first = False

    def end(self) -> None:
        self.write("],\n" if self.first else "\n  ],\n")

    def finish(self, out: Outcome) -> None:
        self.write(f'  "kept": {out.kept},\n  "equal": {json.dumps(out.equal)}\n}}\n')
