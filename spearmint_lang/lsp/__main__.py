"""`python -m spearmint_lang.lsp`: the language server on stdio (as `mintc lsp`)."""

from .server import main

main()
