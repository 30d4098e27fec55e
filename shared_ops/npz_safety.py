"""Checking an untrusted ``.npz`` file's member headers before ``np.load`` reads it.

NumPy allocates the array a ``.npy`` header announces before reading its bytes, so a forged
header claiming 10**12 elements is a MemoryError (or a lazily committed buffer that swaps
later) rather than an error about the file. `check_npz_headers` reads every member's header
first and refuses the file unless each announces no more than `limits.MAX_ELEMENTS` elements,
no object dtype (a pickle) and exactly the bytes the member holds. Both modes' loaders
(``static.load``, ``eager.load``) call it.
"""

from __future__ import annotations

import io
import math
import zipfile
from typing import IO

import numpy as np

from . import limits


def check_npz_headers(source: bytes | IO[bytes]) -> None:
    """Raise ``ValueError`` when a member of the ``.npz`` in ``source`` is not a sane ``.npy``
    array (``zipfile.BadZipFile`` when ``source`` is no zip at all). A file object is read
    from its current position and left there, ready for ``np.load``."""
    if isinstance(source, bytes | bytearray | memoryview):
        _check(io.BytesIO(source))
        return
    start = source.tell()
    try:
        _check(source)
    finally:
        source.seek(start)


def _check(f: IO[bytes]) -> None:
    fmt = np.lib.format
    with zipfile.ZipFile(f) as zf:
        for info in zf.infolist():
            with zf.open(info) as member:
                version = fmt.read_magic(member)
                read = fmt.read_array_header_1_0 if version == (1, 0) else \
                    fmt.read_array_header_2_0
                shape, _, dtype = read(member)
                header = member.tell()
            if dtype.hasobject:
                raise ValueError("Object arrays cannot be loaded when allow_pickle=False "
                                 f"(member {info.filename!r} is a pickle; not unpickled)")
            count = math.prod(shape)
            if count > limits.MAX_ELEMENTS:
                raise ValueError(f"member {info.filename!r} announces {count} elements, over "
                                 f"the limit of {limits.MAX_ELEMENTS}")
            if count * dtype.itemsize != info.file_size - header:
                raise ValueError(f"member {info.filename!r} announces {dtype}{shape} but "
                                 f"holds {info.file_size - header} bytes of data")
