"""PyTorch's error for a value needed by backward that was modified in place since it was
saved, worded as PyTorch's: the tensor by its legacy type and sizes, and the op that produced
its current value.

    >>> import numpy as np
    >>> modified_message(np.zeros(3, np.float32), "ExpBackward0", 1, 0)[60:139]
    'inplace operation: [torch.FloatTensor [3]], which is output 0 of Exp, is at version 1'
"""

from __future__ import annotations

# PyTorch's legacy type names, used in its in-place error message ([torch.FloatTensor [3]]).
_TYPE_NAMES = {"float32": "FloatTensor", "float64": "DoubleTensor", "float16": "HalfTensor",
               "bfloat16": "BFloat16Tensor", "int64": "LongTensor", "int32": "IntTensor",
               "int16": "ShortTensor", "int8": "CharTensor", "uint8": "ByteTensor",
               "bool": "BoolTensor", "complex64": "ComplexFloatTensor",
               "complex128": "ComplexDoubleTensor"}


def modified_message(array, producer: str | None, now: int, expected: int) -> str:
    """The message for ``array`` (the saved value), produced by the node named ``producer``
    (None for a leaf), at version ``now`` where ``expected`` was saved."""
    kind = _TYPE_NAMES.get(str(array.dtype), "Tensor")
    dims = ", ".join(str(d) for d in array.shape)
    what = f"[torch.{kind} [{dims}]]"
    if producer is not None:
        # PyTorch names the producing op without its "Backward0" suffix here.
        short = producer[:-len("Backward0")] if producer.endswith("Backward0") else producer
        if short == "CopySlices":  # a node of PyTorch's C++ core, named with its namespace
            short = "torch::autograd::CopySlices"
        what += f", which is output 0 of {short},"
    return ("one of the variables needed for gradient computation has been modified by an "
            f"inplace operation: {what} is at version {now}; expected version {expected} "
            "instead. Hint: enable anomaly detection to find the operation that failed to "
            "compute its gradient, with torch.autograd.set_detect_anomaly(True, "
            "check_nan=False).")


def modified_error(array, producer: str | None, now: int, expected: int, needed_by: str,
                   which: str) -> RuntimeError:
    """PyTorch's RuntimeError (`modified_message`), with a note naming the node whose backward
    needed the value (``AddmmBackward0``) and which of its values it is (``input 0``): what
    PyTorch's text leaves out, shown with the traceback."""
    error = RuntimeError(modified_message(array, producer, now, expected))
    error.add_note(f"The value is {which} of {needed_by}, saved for its backward.")
    return error
