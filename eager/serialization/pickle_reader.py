"""A strict reader of the pickle subset that PyTorch's checkpoints use: no code ever runs.

`read_pickle` interprets the opcodes itself (it is not `pickle.Unpickler`): dicts, lists,
tuples, strings, numbers, booleans and None are built directly; a ``GLOBAL`` may only name
one of the few functions of the caller's ``globals_table`` (``"torch._utils
_rebuild_tensor_v2"`` -> our own rebuild function, ``"collections OrderedDict"``...), looked up
in that table and never imported; ``REDUCE`` calls only what such a ``GLOBAL`` produced;
``BINPERSID`` hands the persistent id to the caller (the storage loader). Any other opcode,
global or call is an `UnsafePickleError` naming it, raised before anything is built from it.

Bounds: every length is checked against the bytes left, the stack and memo cannot grow past
the number of opcodes read, and nothing recurses.

    >>> read_pickle(b"\\x80\\x02]q\\x00(K\\x01X\\x01\\x00\\x00\\x00ae.", {}, None)
    [1, 'a']
"""

from __future__ import annotations

import struct
from collections import OrderedDict
from collections.abc import Callable

MAX_PICKLE_BYTES = 1 << 28  # 256 MiB of structure (the tensors' bytes are stored apart)


class UnsafePickleError(ValueError):
    """The pickle uses an opcode, global or call outside the allowed subset (nothing ran)."""


class Global:
    """What an allowed ``GLOBAL`` pushes: a name and the function it stands for."""

    __slots__ = ("name", "fn")

    def __init__(self, name: str, fn: Callable) -> None:
        self.name = name
        self.fn = fn


class _Mark:
    __slots__ = ()


_MARK = _Mark()


def read_pickle(data: bytes, globals_table: dict[str, Callable],
                persistent_load: Callable | None) -> object:
    """Run the allowed subset of pickle protocols 0-4 on ``data`` and return the object."""
    if len(data) > MAX_PICKLE_BYTES:
        raise UnsafePickleError(f"the pickle holds {len(data)} bytes, over the limit of "
                                f"{MAX_PICKLE_BYTES}")
    return _Reader(data, globals_table, persistent_load).run()


class _Reader:
    def __init__(self, data: bytes, globals_table: dict, persistent_load) -> None:
        self.data = memoryview(data)
        self.pos = 0
        self.globals_table = globals_table
        self.persistent_load = persistent_load
        self.stack: list = []
        self.marks: list[int] = []
        self.memo: dict[int, object] = {}

    # --- reading the byte stream ---------------------------------------------------------------
    def take(self, n: int) -> memoryview:
        end = self.pos + n
        if n < 0 or end > len(self.data):
            raise UnsafePickleError(f"the pickle ends inside an opcode's argument at byte "
                                    f"{self.pos} (wanted {n} bytes, {len(self.data) - self.pos} "
                                    "left)")
        chunk = self.data[self.pos:end]
        self.pos = end
        return chunk

    def unpack(self, fmt: str):
        return struct.unpack(fmt, self.take(struct.calcsize(fmt)))[0]

    def line(self) -> str:
        end = bytes(self.data[self.pos:self.pos + 512]).find(b"\n")
        if end < 0:
            raise UnsafePickleError("a GLOBAL name is not terminated within 512 bytes")
        text = bytes(self.take(end + 1)[:-1])
        try:
            return text.decode("ascii")
        except UnicodeDecodeError:
            raise UnsafePickleError(f"a GLOBAL name is not ASCII: {text[:60]!r}") from None

    # --- the stack -----------------------------------------------------------------------------
    def pop(self):
        if not self.stack or self.stack[-1] is _MARK:
            raise UnsafePickleError(f"stack underflow at byte {self.pos}")
        return self.stack.pop()

    def pop_mark(self) -> list:
        if not self.marks:
            raise UnsafePickleError(f"no MARK to pop to at byte {self.pos}")
        start = self.marks.pop()
        items = self.stack[start + 1:]
        del self.stack[start:]
        return items

    def top(self):
        if not self.stack or self.stack[-1] is _MARK:
            raise UnsafePickleError(f"stack underflow at byte {self.pos}")
        return self.stack[-1]

    def run(self) -> object:
        while True:
            at = self.pos
            code = bytes(self.take(1))
            handler = _HANDLERS.get(code)
            if handler is None:
                raise UnsafePickleError(f"opcode {code!r} at byte {at} is not allowed in a "
                                        "checkpoint (only data-building opcodes are read)")
            if handler is _stop:
                if len(self.stack) != 1 or self.marks:
                    raise UnsafePickleError("the pickle stops with an unbalanced stack")
                return self.stack[0]
            handler(self)


def _push(value):
    return lambda r: r.stack.append(value)


def _stop(r) -> None:  # handled in run()
    pass


def _mark(r) -> None:
    r.marks.append(len(r.stack))
    r.stack.append(_MARK)


def _target(r, kind: type, opcode: str, ok: bool = True, detail: str = ""):
    """The object on top of the stack that ``opcode`` fills, refused unless a ``kind``."""
    target = r.top()
    if not isinstance(target, kind) or not ok:
        raise UnsafePickleError(f"{opcode} on a {type(target).__name__}{detail}")
    return target


def _setitems(r) -> None:
    items = r.pop_mark()
    target = _target(r, dict, "SETITEMS", len(items) % 2 == 0, f" with {len(items)} items")
    for i in range(0, len(items), 2):
        target[_key(items[i])] = items[i + 1]


def _setitem(r) -> None:
    value, key = r.pop(), r.pop()
    _target(r, dict, "SETITEM")[_key(key)] = value


def _key(k):
    try:
        hash(k)
    except TypeError:
        raise UnsafePickleError(f"a dict key of type {type(k).__name__} is not hashable") \
            from None
    return k


def _appends(r) -> None:
    items = r.pop_mark()
    _target(r, list, "APPENDS").extend(items)


def _append(r) -> None:
    value = r.pop()
    _target(r, list, "APPEND").append(value)


def _tuple_n(n: int):
    def handler(r) -> None:
        items = [r.pop() for _ in range(n)]
        r.stack.append(tuple(reversed(items)))
    return handler


def _global(r) -> None:
    module = r.line()
    name = r.line()
    _push_global(r, f"{module} {name}")


def _stack_global(r) -> None:
    name, module = r.pop(), r.pop()
    if not isinstance(module, str) or not isinstance(name, str):
        raise UnsafePickleError("STACK_GLOBAL with a non-string name")
    _push_global(r, f"{module} {name}")


def _push_global(r, full: str) -> None:
    fn = r.globals_table.get(full)
    if fn is None:
        raise UnsafePickleError(f"the pickle names the global {full.replace(' ', '.')!r}, "
                                "which is not one a checkpoint may use (nothing was imported "
                                "or run)")
    r.stack.append(Global(full, fn))


def _reduce(r) -> None:
    args, fn = r.pop(), r.pop()
    if not isinstance(fn, Global) or not callable(fn.fn) or not isinstance(args, tuple):
        raise UnsafePickleError(f"REDUCE calls a {type(fn).__name__}, not an allowed global")
    try:
        result = fn.fn(*args)
    except TypeError as e:  # a wrong argument count: the function never started
        raise UnsafePickleError(f"{fn.name.replace(' ', '.')} called with {len(args)} "
                                f"arguments ({e})") from None
    r.stack.append(result)


def _build(r) -> None:
    state = r.pop()
    target = r.top()
    # PyTorch's state dicts carry ``_metadata`` (per-module versions) this way; nothing else.
    if isinstance(target, OrderedDict) and isinstance(state, dict) and \
            set(state) <= {"_metadata"}:
        for k, v in state.items():
            setattr(target, k, v)
        return
    raise UnsafePickleError(f"BUILD of a {type(target).__name__} with state "
                            f"{type(state).__name__} is not allowed")


def _persid(r) -> None:
    pid = r.pop()
    if r.persistent_load is None:
        raise UnsafePickleError("a persistent id outside a checkpoint archive")
    r.stack.append(r.persistent_load(pid))


def _put(fmt: str | None):
    def handler(r) -> None:
        index = len(r.memo) if fmt is None else r.unpack(fmt)
        r.memo[index] = r.top()
    return handler


def _get(fmt: str):
    def handler(r) -> None:
        index = r.unpack(fmt)
        if index not in r.memo:
            raise UnsafePickleError(f"memo entry {index} read before it was written")
        r.stack.append(r.memo[index])
    return handler


def _unicode(fmt: str):
    def handler(r) -> None:
        n = r.unpack(fmt)
        try:
            r.stack.append(str(r.take(n), "utf-8"))
        except UnicodeDecodeError:
            raise UnsafePickleError("a string is not valid UTF-8") from None
    return handler


def _long1(r) -> None:
    n = r.unpack("<B")
    r.stack.append(int.from_bytes(r.take(n), "little", signed=True))


def _int_line(r) -> None:  # protocol 0 INT: also True/False as 01/00
    text = r.line()
    if text in ("00", "01"):
        r.stack.append(text == "01")
        return
    try:
        r.stack.append(int(text))
    except ValueError:
        raise UnsafePickleError(f"INT argument {text[:30]!r} is not an integer") from None


def _frame(r) -> None:
    r.unpack("<Q")  # a length hint only: the opcodes inside are read as usual


def _proto(r) -> None:
    version = r.unpack("<B")
    if version > 5:
        raise UnsafePickleError(f"pickle protocol {version} is not supported")


_HANDLERS: dict[bytes, Callable] = {
    b"\x80": _proto, b"\x95": _frame, b".": _stop, b"(": _mark,
    b"}": lambda r: r.stack.append({}), b"]": lambda r: r.stack.append([]),
    b")": _push(()), b"t": lambda r: r.stack.append(tuple(r.pop_mark())),
    b"\x85": _tuple_n(1), b"\x86": _tuple_n(2), b"\x87": _tuple_n(3),
    b"l": lambda r: r.stack.append(r.pop_mark()),
    b"d": lambda r: r.stack.append(_pairs(r.pop_mark())),
    b"u": _setitems, b"s": _setitem, b"e": _appends, b"a": _append,
    b"q": _put("<B"), b"r": _put("<I"), b"\x94": _put(None),
    b"h": _get("<B"), b"j": _get("<I"),
    b"c": _global, b"\x93": _stack_global, b"R": _reduce, b"b": _build, b"Q": _persid,
    b"N": _push(None), b"\x88": _push(True), b"\x89": _push(False),
    b"K": lambda r: r.stack.append(r.unpack("<B")),
    b"M": lambda r: r.stack.append(r.unpack("<H")),
    b"J": lambda r: r.stack.append(r.unpack("<i")),
    b"I": _int_line, b"\x8a": _long1,
    b"G": lambda r: r.stack.append(r.unpack(">d")),
    b"X": _unicode("<I"), b"\x8c": _unicode("<B"),
}


def _pairs(items: list) -> dict:
    if len(items) % 2:
        raise UnsafePickleError("DICT with an odd number of items")
    return {_key(items[i]): items[i + 1] for i in range(0, len(items), 2)}
