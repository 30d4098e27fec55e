"""The rules for text that goes into generated source, in one place.

The code generator writes Python source and ``exec``s it, so it is the one place where text
could become code. Names of nodes, variables and modules, file and function names of the
user's lines, provenance carried in a node's ``meta``, attribute values and dtype strings all
come from the user or from a loaded graph file; a newline in any of them, spliced into a
comment, would start a statement of the attacker's choosing. Every piece of generated source
is therefore built from exactly three kinds of text:

* code the compiler writes itself (operators, calls of bound helpers, ``out=`` keywords);
* `identifier`-checked names: ASCII ``[A-Za-z_][A-Za-z0-9_]*``, never a keyword, a builtin
  or a name the generated module defines (`Names` makes them from node names);
* `literal` values (ints, bools, None, floats, strings and tuples of them), written with
  ``repr`` and checked to read back as the same value; anything else is bound as a constant.

Comments (which node a statement computes, the user's line, the nodes it stands for) are
made by `comment`, which escapes every character outside printable ASCII, so a comment is
always one line. `check_line` is the last guard: the generator refuses to ``exec`` a line
holding anything but printable ASCII.
"""

from __future__ import annotations

import ast
import builtins
import keyword
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# Names the generated source reads without binding them: a generated name must never shadow
# one (a variable named ``range`` would break every compiled ``scan``).
RESERVED = frozenset(dir(builtins)) | frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) \
    | {"np", "step", "_make"}

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_NOT_IDENTIFIER_CHAR = re.compile(r"[^A-Za-z0-9_]")
_PRINTABLE_ASCII = re.compile(r"[ -~]*\Z")
# Set while the readable source is written (`spelling_sizes`): an int standing for unknown
# feed dims (`size_symbols.PlannedDim`) -> its expression (``N * 5``); None for a plain int.
_SPELL_SIZE: ContextVar[Callable[[int], str | None] | None] = ContextVar("spell_size",
                                                                         default=None)


class UnsafeSourceError(AssertionError):
    """Generated source would hold text it must not (a compiler bug, never user input)."""


def comment(text: str) -> str:
    """``text`` as the inside of a ``#`` comment: printable ASCII only (``ascii`` escapes
    newlines, carriage returns, U+2028, U+0085 and every other non-ASCII character)."""
    escaped = ascii(str(text))[1:-1]
    return escaped.replace("\\'", "'")  # the quote needs no escape in a comment


def identifier(name: str) -> str:
    """``name`` itself when it is a plain ASCII identifier that shadows nothing; raises
    `UnsafeSourceError` otherwise (names come from `Names`, which only makes such ones)."""
    if not _IDENTIFIER.match(name) or name in RESERVED:
        raise UnsafeSourceError(f"generated code: {name!r} is not a safe identifier")
    return name


@contextmanager
def spelling_sizes(spell: Callable[[int], str | None]) -> Iterator[None]:
    """Inside the block, `literal` writes an int that ``spell`` spells (a planned size of
    unknown feed dims) as that expression: the readable source's ``(N, 32)``. ``spell``
    builds its text from `identifier`-checked names, ints and arithmetic only."""
    token = _SPELL_SIZE.set(spell)
    try:
        yield
    finally:
        _SPELL_SIZE.reset(token)


def literal(value: object) -> str:
    """``repr(value)`` for a plain literal that reads back as itself (ints, floats, bools,
    None, strings and tuples or lists of them); raises `UnsafeSourceError` for anything else.
    (Within `spelling_sizes`, planned sizes are written as their expressions.)"""
    spell = _SPELL_SIZE.get()
    if spell is not None:
        text = _spelled(value, spell)
        if text is not None:
            return text
    if not _plain(value):
        raise UnsafeSourceError(f"generated code: {type(value).__name__} value {value!r:.60} "
                                "is not a plain literal")
    text = repr(value)
    try:
        same = ast.literal_eval(text) == value
    except (ValueError, SyntaxError):
        same = False
    if not same or not _PRINTABLE_ASCII.match(text):
        raise UnsafeSourceError(f"generated code: {text!r:.60} does not read back as itself")
    return text


def _spelled(value: object, spell: Callable[[int], str | None]) -> str | None:
    """``value`` with its planned sizes spelled, or None when it holds none."""
    if isinstance(value, int) and not isinstance(value, bool):
        return spell(value)
    if not isinstance(value, tuple | list) or not value:
        return None
    parts = [_spelled(v, spell) for v in value]
    if all(p is None for p in parts):
        return None
    text = ", ".join(literal(v) if p is None else p for p, v in zip(parts, value, strict=True))
    return f"({text},)" if isinstance(value, tuple) and len(value) == 1 else \
        f"({text})" if isinstance(value, tuple) else f"[{text}]"


def _plain(value: object) -> bool:
    if value is None or isinstance(value, bool | int | str):
        return True
    if isinstance(value, float):
        return value == value and value not in (float("inf"), float("-inf"))  # repr is code
    if isinstance(value, tuple | list):
        return all(_plain(v) for v in value)
    return False


def check_line(line: str) -> str:
    """``line`` itself when it is one line of printable ASCII; raises `UnsafeSourceError`
    otherwise. The generator passes every line through this before it ``exec``s them."""
    if not _PRINTABLE_ASCII.match(line):
        raise UnsafeSourceError(f"generated code: refusing a line with characters outside "
                                f"printable ASCII: {line!r:.120}")
    return line


class Names:
    """Valid, unique Python names from node names (``fc1.weight`` -> ``fc1_weight``).

    A name is plain ASCII (``é`` and other non-ASCII letters become ``_``: Python would
    NFKC-normalize them, so ``ﬁ`` and ``fi`` would be one name), never a keyword, a builtin or
    a name the generated module defines (those get a suffix: ``range_1``), and never starts
    with ``_`` (reserved for the bound helpers, ``_add``, ``_b0``...)."""

    def __init__(self, taken: set[str] | frozenset[str] = frozenset()) -> None:
        self.used: set[str] = set(RESERVED) | set(taken)
        # Last suffix handed out per base: the k-th ``k_erf`` or ``numel`` of a big graph is
        # found in one probe, not k (that search made code generation quadratic).
        self._last: dict[str, int] = {}

    def fresh(self, base: str) -> str:
        """A new name like ``base``, unused so far in this source."""
        name = _NOT_IDENTIFIER_CHAR.sub("_", base)
        if not name or name[0].isdigit() or name.startswith("_"):
            name = "v_" + name.lstrip("_")
        candidate, k = name, self._last.get(name, 0)
        if k:
            candidate = f"{name}_{k}"
        while candidate in self.used:
            k += 1
            candidate = f"{name}_{k}"
        self.used.add(candidate)
        self._last[name] = k
        return identifier(candidate)
