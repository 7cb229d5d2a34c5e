"""Code lens: `N configs` at the first line of each document (when the file compiles).

A lens title is plain text: `7 configs (9 before where)`.

Each lens runs `mintc.count` (`COUNT_COMMAND`), which the server executes:
it shows the count as a message, so clients that run lenses (Neovim's
`vim.lsp.codelens.run()`) have something to run.
"""

from __future__ import annotations

from lsprotocol import types as lsp

from .analysis import Analysis, count_text

COUNT_COMMAND = "mintc.count"


def code_lenses(analysis: Analysis) -> list[lsp.CodeLens]:
    """One lens per document with configs, counted as `mintc count` counts."""
    out = []
    for number, doc in enumerate(analysis.documents(), start=1):
        found = analysis.count_of(doc)
        if found is None:
            continue
        first = analysis.index.position(doc.items[0].span.line, 1)
        out.append(lsp.CodeLens(
            range=lsp.Range(start=first, end=first),
            command=lsp.Command(title=count_text(found[1]).replace("`", ""), command=COUNT_COMMAND,
                                arguments=[analysis.uri, number]),
        ))
    return out


def count_message(analysis: Analysis, number: int) -> str | None:
    """What `mintc.count` shows for document `number` (1-based, among those that hold something)."""
    docs = analysis.documents()
    if not 1 <= number <= len(docs):
        return None
    found = analysis.count_of(docs[number - 1])
    if found is None:
        return None
    name = analysis.source.path.rsplit("/", 1)[-1]
    where = f"document {number} of {name}" if len(docs) > 1 else name
    return f"{where}: {count_text(found[1])}".replace("`", "")  # a message is plain text
