"""JSON from outside (API request bodies, lines of files to ingest), its nesting bounded before it is parsed.

Python's json module descends one level of recursion per bracket and raises RecursionError,
not the ValueError its callers catch, at about a thousand levels: one body of "[[[…" was a
500, and one such line stopped a whole ingest. No document needs more than a few levels.
"""
import json
import re

MAX_DEPTH = 32

# A JSON string with its escapes: brackets inside strings are text, not nesting.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


class TooDeep(ValueError):
    """JSON nested deeper than MAX_DEPTH."""


def check_depth(text: str) -> None:
    """Raise TooDeep if ``text`` opens more than MAX_DEPTH arrays or objects inside one another."""
    depth = 0
    for bracket in _BRACKET.findall(_STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        if depth > MAX_DEPTH:
            raise TooDeep(f"JSON nested deeper than {MAX_DEPTH} levels")


def loads(text: str):
    """``json.loads`` for input from outside: TooDeep or json.JSONDecodeError (both ValueError) when refused."""
    check_depth(text)
    return json.loads(text)
