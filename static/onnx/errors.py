"""The error an export raises: an op (or graph feature) with no ONNX form, at the user's line."""

from __future__ import annotations

from ..errors import StaticError


class OnnxExportError(StaticError, NotImplementedError):
    """A node the ONNX exporter cannot write: the op has no mapping, or an attribute value
    has none (an ONNX op covers only part of what ours does). Prints as
    ``cumprod: no ONNX mapping for %cumprod ... at model.py:12 in forward``."""
