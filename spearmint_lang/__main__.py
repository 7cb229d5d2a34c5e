"""`python -m spearmint_lang` runs mintc."""

from .cli import entry_point

entry_point()
