"""Brackets of a text, found before parsing: which are left open, and
where nesting goes deeper than the compiler allows. Kept apart from
`syntax_errors` (which explains syntax errors), so that parsing a file
without a mistake never loads that module."""

from __future__ import annotations

import re

MAX_DEPTH = 100

_SCANNED = re.compile(r'[#"\[\]{}()]')


def scan_brackets(text: str) -> tuple[list[tuple[str, int]], int | None]:
    """Unclosed openers (char, offset) and the offset where nesting first
    exceeds MAX_DEPTH, skipping strings and comments.

    Used to point at the `{` a user forgot to close, and to refuse absurd
    nesting before a recursive stage could run out of stack.
    """
    stack: list[tuple[str, int]] = []
    too_deep: int | None = None
    i, n = 0, len(text)
    pairs = {"]": "[", "}": "{", ")": "("}
    while i < n:
        found = _SCANNED.search(text, i)  # skip what holds no bracket, string or comment at C speed
        if found is None:
            break
        i = found.start()
        ch = text[i]
        if ch == "#":
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        if ch == '"':
            if text.startswith('"""', i):
                j = text.find('"""', i + 3)
                if j < 0:
                    stack.append(('"""', i))
                    return stack, too_deep
                i = j + 3
                continue
            j = i + 1
            while j < n and text[j] not in '"\n':
                j += 2 if text[j] == "\\" else 1
            i = j + 1
            continue
        if ch in "[{(":
            stack.append((ch, i))
            if len(stack) > MAX_DEPTH and too_deep is None:
                too_deep = i
        elif ch in "]})":
            if stack and stack[-1][0] == pairs[ch]:
                stack.pop()
        i += 1
    return stack, too_deep
