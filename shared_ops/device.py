"""Devices, as PyTorch names them (``torch.device``), on a machine with only a CPU.

Values live in NumPy arrays, so the CPU is the one device. Every other device is refused with
the exception type and text that PyTorch built without CUDA raises, so a program that catches
it (``except AssertionError``) behaves the same under both.

    >>> device("cuda:0")
    device(type='cuda', index=0)
    >>> str(device("cuda", 1)), device("cpu") == device("cpu"), device("cpu") == "cpu"
    ('cuda:1', True, False)
"""

from __future__ import annotations

import re
from typing import Any

TYPES = ("cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve", "fpga",
         "maia", "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia", "privateuseone")
NO_CUDA = "Torch not compiled with CUDA enabled"
NO_ACCELERATOR = "Cannot access accelerator device when none is available."
NO_MPS = "PyTorch is not linked with support for mps devices"
_PATTERN = re.compile(r"([a-zA-Z_]+)(?::(\d+))?")


class device:  # noqa: N801  (PyTorch's name)
    """``device("cpu")``, ``device("cuda:0")``, ``device("cuda", 1)``, ``device(type="cpu")``.

    Equal to devices of the same type and index (not to strings, as in PyTorch); hashable.
    """

    __slots__ = ("_type", "_index")

    def __init__(self, type: Any = None, index: Any = None) -> None:  # noqa: A002
        if isinstance(type, device):
            if index is not None:
                raise TypeError("device(): 'index' cannot be given with a device object")
            self._type, self._index = type._type, type._index
            return
        if isinstance(type, int) and not isinstance(type, bool):
            raise RuntimeError(NO_ACCELERATOR)
        if not isinstance(type, str):
            raise TypeError(f"device() received an invalid combination of arguments - got "
                            f"({type.__class__.__name__})")
        if index is not None and (not isinstance(index, int) or isinstance(index, bool)):
            raise TypeError(f"device(): argument 'index' (position 2) must be int, not "
                            f"{index.__class__.__name__}")
        self._type, parsed = _parse(type)
        if parsed is not None and index is not None:
            raise RuntimeError(f"type (string) must not include an index because index was "
                               f"passed explicitly: {type}")
        if index is not None and index < 0:
            raise RuntimeError("Device index must not be negative")
        self._index = parsed if index is None else index

    @property
    def type(self) -> str:
        return self._type

    @property
    def index(self) -> int | None:
        return self._index

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, device):
            return False
        return (self._type, self._index) == (other._type, other._index)

    def __hash__(self) -> int:
        return hash((self._type, self._index))

    def __str__(self) -> str:
        return self._type if self._index is None else f"{self._type}:{self._index}"

    def __repr__(self) -> str:
        if self._index is None:
            return f"device(type='{self._type}')"
        return f"device(type='{self._type}', index={self._index})"

    def __reduce__(self) -> tuple:
        return (device, (self._type, self._index))

    def __enter__(self) -> device:
        """``with torch.device("cpu"):`` around model building: the CPU is every factory's
        device already; another device raises here what its first factory call would raise
        in PyTorch (which defers the error to that call)."""
        check_device(self, creating=True)
        ENTERED.append(self)
        return self

    def __exit__(self, *exc_info: object) -> None:
        ENTERED.pop()


def _parse(text: str) -> tuple[str, int | None]:
    if not text:
        raise RuntimeError("Device string must not be empty")
    match = _PATTERN.fullmatch(text)
    name = text.split(":")[0]
    if name not in TYPES:
        raise RuntimeError(f"Expected one of {', '.join(TYPES)} device type at start of device "
                           f"string: {text}")
    if match is None:
        raise RuntimeError(f"Invalid device string: '{text}'")
    return name, None if match.group(2) is None else int(match.group(2))


CPU = device("cpu")
# The devices of the ``with device(...)`` blocks open now, innermost last: what
# ``get_default_device`` reports inside them (process-wide, as PyTorch's).
ENTERED: list[device] = []


def check_device(spec: Any, *, creating: bool = False) -> device | None:
    """``spec`` (a string, a ``device``, an index, or None) as a device, which must be the CPU;
    any other raises what PyTorch without CUDA raises (``creating``: a factory's ``device=``).

        >>> check_device("cpu:0")
        device(type='cpu', index=0)
        >>> check_device("cuda")
        Traceback (most recent call last):
        AssertionError: Torch not compiled with CUDA enabled
    """
    if spec is None:
        return None
    where = spec if isinstance(spec, device) else device(spec)
    if where.type == "cpu":
        return where
    if where.type == "cuda":
        raise AssertionError(NO_CUDA)
    if where.type == "mps" and not creating:
        raise RuntimeError(NO_MPS)
    if where.type == "mps":
        raise NotImplementedError("Could not run 'aten::empty.memory_format' with arguments "
                                  "from the 'MPS' backend.")
    # 'meta' and the rest: PyTorch has them (meta tensors hold no values); eager does not.
    raise NotImplementedError(f"eager: device {str(where)!r} is not supported; values live in "
                              f"NumPy arrays on the CPU (use device='cpu')")
