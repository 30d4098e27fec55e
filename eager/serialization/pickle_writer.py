"""Writing PyTorch's checkpoint pickle (protocol 2) by hand: only data-building opcodes.

`PickleWriter` emits dicts, OrderedDicts, lists, tuples, strings, numbers, booleans and None
directly, and lets the caller emit a call of a named global (``torch._utils
_rebuild_tensor_v2``) with a persistent id (a storage of the archive). The output is the
subset `pickle_reader` reads, and what ``torch.load(weights_only=True)`` accepts for tensors.

    >>> w = PickleWriter()
    >>> w.value([1, "a"], None)
    >>> w.finish()
    b'\\x80\\x02](K\\x01X\\x01\\x00\\x00\\x00ae.'
"""

from __future__ import annotations

import struct
from collections import OrderedDict
from collections.abc import Callable

import numpy as np


class UnsupportedValue(TypeError):
    """A value the checkpoint format cannot hold (names its type)."""


class PickleWriter:
    """Accumulates opcodes; `finish` returns the pickle's bytes."""

    def __init__(self) -> None:
        self.out = bytearray(b"\x80\x02")

    def finish(self) -> bytes:
        self.out += b"."
        return bytes(self.out)

    # --- primitives ----------------------------------------------------------------------------
    def mark(self) -> None:
        self.out += b"("

    def tuple_end(self) -> None:
        self.out += b"t"

    def reduce(self) -> None:
        self.out += b"R"

    def global_(self, module: str, name: str) -> None:
        self.out += b"c" + module.encode("ascii") + b"\n" + name.encode("ascii") + b"\n"

    def persistent_id(self, pid: tuple, emit: Callable) -> None:
        self.value(pid, emit)
        self.out += b"Q"

    def string(self, s: str) -> None:
        raw = s.encode("utf-8")
        self.out += b"X" + struct.pack("<I", len(raw)) + raw

    def integer(self, n: int) -> None:
        if 0 <= n < 256:
            self.out += b"K" + bytes([n])
        elif 0 <= n < 65536:
            self.out += b"M" + struct.pack("<H", n)
        elif -(2**31) <= n < 2**31:
            self.out += b"J" + struct.pack("<i", n)
        else:
            raw = n.to_bytes((n.bit_length() + 8) // 8, "little", signed=True)
            if len(raw) > 255:
                raise UnsupportedValue(f"an integer of {n.bit_length()} bits is too large")
            self.out += b"\x8a" + bytes([len(raw)]) + raw

    def empty_ordered_dict(self) -> None:
        self.global_("collections", "OrderedDict")
        self.out += b")R"

    # --- values --------------------------------------------------------------------------------
    def value(self, v, emit: Callable | None) -> None:
        """Write ``v``; ``emit(writer, v)`` writes what is not plain data (tensors, modules)
        and returns False for a value it does not handle either."""
        if v is None:
            self.out += b"N"
        elif v is True or v is False:
            self.out += b"\x88" if v else b"\x89"
        elif isinstance(v, np.generic) and v.dtype.kind in "biuf":
            self.value(v.item(), emit)
        elif isinstance(v, int):
            self.integer(int(v))
        elif isinstance(v, float):
            self.out += b"G" + struct.pack(">d", v)
        elif isinstance(v, str):
            self.string(v)
        elif isinstance(v, dict) and type(v) in (dict, OrderedDict):
            if isinstance(v, OrderedDict):
                self.empty_ordered_dict()
            else:
                self.out += b"}"
            if v:
                self.mark()
                for k, item in v.items():
                    if not (k is None or isinstance(k, bool | int | float | str)):
                        raise UnsupportedValue(f"cannot store a dict key of type "
                                               f"{type(k).__name__} ({k!r:.40})")
                    self.value(k, emit)
                    self.value(item, emit)
                self.out += b"u"
        elif type(v) is list:
            self.out += b"]"
            if v:
                self.mark()
                for item in v:
                    self.value(item, emit)
                self.out += b"e"
        elif isinstance(v, tuple):  # eager.Size and named tuples are stored as plain tuples
            self.mark()
            for item in v:
                self.value(item, emit)
            self.tuple_end()
        elif emit is None or emit(self, v) is False:
            raise UnsupportedValue(f"cannot store a {type(v).__name__}")
