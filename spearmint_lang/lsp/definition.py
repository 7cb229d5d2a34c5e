"""Go to definition: a name to its `let` (an imported `prompts.system` to the
`let` of the imported file), an `extends` or `import` path (or an import's
name) to that file, a `where` path or a `${path}` (in a computed value or a
string) to the key it names."""

from __future__ import annotations

import os

from lsprotocol import types as lsp

from .. import nodes
from .analysis import Analysis, file_uri


def definition(analysis: Analysis, pos: lsp.Position) -> lsp.Location | None:
    """Where the thing under the cursor is defined."""
    line, column = analysis.index.location(pos)
    ref = analysis.ref_at(line, column)
    if ref is not None:
        let = analysis.let_for(ref)
        if let is None:
            return None
        source = let.span.source
        if analysis.owns(source):
            return lsp.Location(uri=analysis.uri, range=analysis.index.range(let.name.span))
        uri = file_uri(source.path)  # an imported name: the `let` of the imported file
        if uri is None:
            return None
        return lsp.Location(uri=uri, range=analysis.index_of(source).range(let.name.span))
    for doc in analysis.documents():
        for item in doc.items:
            if isinstance(item, (nodes.Extends, nodes.Import)) and (
                    item.path.span.contains(line, column)
                    or isinstance(item, nodes.Import) and item.name.span.contains(line, column)):
                target = analysis.extends_target(item)
                uri = file_uri(target) if target is not None else None
                if target is None or uri is None or not os.path.isfile(target):
                    return None
                start = lsp.Position(line=0, character=0)
                return lsp.Location(uri=uri, range=lsp.Range(start=start, end=start))
            if isinstance(item, (nodes.Where, nodes.Entry, nodes.Zip, nodes.Variants)) and item.span.contains(line, column):
                for path in nodes.walk(item):
                    if isinstance(path, nodes.Path) and path.span.contains(line, column):
                        return _key_of(analysis, doc, path)
    return None


def _key_of(analysis: Analysis, doc: nodes.Document, path: nodes.Path) -> lsp.Location | None:
    """The entry of this file that sets the key a path names."""
    for site in analysis.sites(doc):
        if site.path == path.parts and analysis.owns(site.entry.span.source):
            return lsp.Location(uri=analysis.uri, range=analysis.index.range(site.entry.key.span))
    return None
