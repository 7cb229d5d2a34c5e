"""The language server (`mintc lsp`): a thin pygls server (`server`) and one
module per feature, each a plain function of (analysis, position) that
tests call without a server.

| module | answers |
|---|---|
| `analysis` | one compiled version of an open document |
| `positions` | our spans <-> LSP positions: the client's lines (a lone CR ends one) and encoding |
| `diagnostics` | publishDiagnostics |
| `hover`, `completion`, `definition`, `symbols`, `code_lens`, `formatting` | the requests of the same names |
| `server` | handlers, the open documents, the loader's overlay |
| `protocol` | JSON-RPC: an error answer (InvalidParams) to a request whose params do not fit |
"""
