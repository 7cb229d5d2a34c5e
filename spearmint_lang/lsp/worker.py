"""Analysis of open documents on a thread of its own, newest text first.

The server's thread only records what changed (`submit`) and answers
requests from the latest analysis of each document (`latest`); this one
thread compiles. Changes that arrive while a document is being analysed are
coalesced: only the newest text waits, and it is analysed as soon as the
analysis under way ends (there is no fixed delay). An analysis finished for
a text that has changed since is still kept as the latest one for requests,
but its diagnostics are not published.

Each analysis reuses the previous one of its document (`compile_unit`'s
`previous`: the documents whose text did not change are neither parsed nor
lowered again) and the `Loader`'s cache of compiled bases. Only this thread
touches the loader (its overlay of unsaved texts included), so compiles
never run concurrently.

When a document's text changes, the open documents whose compile read it
(they extend it, directly or not) are analysed again after it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future

import attrs

from ..loader import Loader, identity
from .analysis import Analysis, source_path

log = logging.getLogger("mintc.lsp")


@attrs.frozen
class Job:
    """The newest state of one open document to analyse."""

    uri: str
    text: str | None  # None: the document was closed
    version: int
    encoding: str
    because: str | None = None  # the URI whose change makes this one be analysed again


# Called on the worker thread with each finished analysis (and the URI whose
# change caused it, if another's), and with (uri, None) for a closed document.
Done = Callable[[str, "Analysis | None", "str | None"], None]


class Worker:
    """One thread that analyses the open documents; see the module's docstring."""

    def __init__(self, loader: Loader, done: Done) -> None:
        self.loader = loader
        self._done = done
        self._cond = threading.Condition()
        self._pending: dict[str, Job] = {}  # by URI, in the order they became due
        self._latest: dict[str, Analysis] = {}
        self._waiters: dict[str, list[tuple[int, Future[Analysis | None]]]] = {}
        self._busy: str | None = None
        self._thread: threading.Thread | None = None

    # --- the server's side ----------------------------------------------------------
    def submit(self, job: Job) -> None:
        """Analyse `job.uri` at its newest text as soon as the thread is free."""
        with self._cond:
            self._pending.pop(job.uri, None)
            self._pending[job.uri] = job
            self._cond.notify()
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="mintc-analysis", daemon=True)
                self._thread.start()

    def latest(self, uri: str) -> Analysis | None:
        """The newest finished analysis of an open document (its text may be older than the document's)."""
        with self._cond:
            return self._latest.get(uri)

    def open_uris(self) -> list[str]:
        """The documents analysed or waiting to be."""
        with self._cond:
            return list(dict.fromkeys([*self._latest, *(u for u, j in self._pending.items() if j.text is not None)]))

    def wait(self, uri: str, version: int) -> Future[Analysis | None]:
        """A future of the analysis of `uri` at `version` or newer (None once the document is closed)."""
        future: Future[Analysis | None] = Future()
        with self._cond:
            found = self._latest.get(uri)
            if found is not None and (found.version or 0) >= version:
                future.set_result(found)
            elif uri not in self._pending and self._busy != uri:
                future.set_result(found)  # nothing on its way: the newest there is
            else:
                self._waiters.setdefault(uri, []).append((version, future))
        return future

    def idle(self) -> bool:
        """Whether nothing is being analysed or waiting (for tests and benchmarks)."""
        with self._cond:
            return not self._pending and self._busy is None

    # --- the thread ------------------------------------------------------------------
    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._pending:
                    self._cond.wait()
                uri = next(iter(self._pending))
                job = self._pending.pop(uri)
                self._busy = uri
            try:
                self._analyse(job)
            except Exception:  # noqa: BLE001 - the thread must go on for the other documents
                log.exception("mintc lsp: analysing %s failed", job.uri)
                self._settle(job, None)
            finally:
                with self._cond:
                    self._busy = None

    def _analyse(self, job: Job) -> None:
        path = source_path(job.uri)
        on_disk = not path.startswith("<")
        if job.text is None:
            if on_disk:
                self.loader.drop_overlay(path)
            with self._cond:
                self._latest.pop(job.uri, None)
            self._settle(job, None)
            self._done(job.uri, None, None)
            self._dependents(job.uri, path)
            return
        before = self.latest(job.uri)
        changed = before is None or before.text != job.text
        if on_disk and changed:
            self.loader.set_overlay(path, job.text)
        previous = before.unit if before is not None and before.encoding == job.encoding else None
        analysis = Analysis(job.uri, job.text, job.version, job.encoding, self.loader, previous=previous)
        self._settle(job, analysis)
        self._done(job.uri, analysis, job.because)
        if changed and on_disk:
            self._dependents(job.uri, path)

    def _settle(self, job: Job, analysis: Analysis | None) -> None:
        """Record the analysis of `job` (None: it failed, or the document was
        closed) and hand it to whoever waits for that version; those who wait
        for a newer one that is on its way go on waiting."""
        with self._cond:
            if analysis is not None:
                self._latest[job.uri] = analysis
            waiting = self._waiters.pop(job.uri, [])
            pending = self._pending.get(job.uri)
            newer = pending is not None and pending.text is not None
            left = [(v, f) for v, f in waiting if newer and v > job.version]
            if left:
                self._waiters[job.uri] = left
        for v, future in waiting:
            if (v, future) not in left:
                future.set_result(analysis)

    def _dependents(self, uri: str, path: str) -> None:
        """Analyse again the open documents whose compile read `path`."""
        ident = identity(path)
        with self._cond:
            others = [a for u, a in self._latest.items() if u != uri and ident in a.unit.dependencies]
        for other in others:
            with self._cond:
                if other.uri in self._pending:
                    continue
            self.submit(Job(other.uri, other.text, other.version or 0, other.encoding, because=uri))
