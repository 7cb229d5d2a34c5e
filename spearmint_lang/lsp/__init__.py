"""The language server (`mintc lsp`): a thin pygls server (`server`) and one
module per feature, each a plain function of (analysis, position) that
tests call without a server.

| module | answers |
|---|---|
| `worker` | the thread that analyses open documents: newest text first, changes coalesced, unchanged documents reused |
| `analysis` | one compiled version of an open document |
| `positions` | our spans <-> LSP positions: the client's lines (a lone CR ends one) and encoding |
| `diagnostics` | publishDiagnostics |
| `hover`, `completion`, `definition`, `symbols`, `code_lens`, `formatting`, `code_actions`, `inlay_hints` | the requests of the same names |
| `references` | references, document highlight, prepare rename and rename |
| `structure` | folding and selection ranges |
| `semantic_tokens` | semantic tokens: full, delta and range, and their legend |
| `server` | handlers, the open documents, file watchers, refresh requests |
| `protocol` | JSON-RPC: an error answer (InvalidParams) to a request whose params do not fit |
"""
