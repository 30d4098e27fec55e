"""Forward-mode tangents through in-place writes (``add_``, ``copy_``, ``fill_``, ``x[i] = v``):
the written tensor's tangent becomes the tangent of what was written, as in PyTorch.

The in-place methods (`eager.tensor_inplace`) call these only when a tensor involved carries a
tangent (``_extra["tangent"]``, see `forward_ad`), so ordinary writes pay an attribute read.

    >>> import eager
    >>> from eager.autograd import forward_ad as fw
    >>> with fw.dual_level():
    ...     d = fw.make_dual(eager.tensor([1.0, 2.0]), eager.tensor([1.0, 1.0]))
    ...     e = d * 1
    ...     _ = e.mul_(3)
    ...     fw.unpack_dual(e).tangent
    tensor([3., 3.])
"""

from __future__ import annotations

import numpy as np

from ..tensor_base import TensorBase, wrap_array

# What `forward_ad` lends the modules below eager.Tensor (which it subclasses, so they cannot
# import it): filled when it is imported, as every tangent exists only after that.
# "give": make a tensor carry a tangent; "split_duals" and "function_jvp": a custom
# Function's forward mode (`custom_function`).
FORWARD_AD: dict = {}


def tangent_of(t):
    """``t``'s tangent at the open forward-AD level (None: none, or not a tensor)."""
    return t._extra.get("tangent") if isinstance(t, TensorBase) and t._extra else None


def _set(t, tangent) -> None:
    FORWARD_AD["give"](t, tangent)


def carry_tangent(dst, written) -> None:
    """``dst`` was overwritten by ``written`` (a value computed from it or not): its tangent
    is ``written``'s, zeros if ``written`` has none but ``dst`` had one."""
    new = tangent_of(written)
    if new is None:
        if tangent_of(dst) is None:
            return
        new = wrap_array(np.zeros_like(dst._data))
    _set(dst, new)


def overwritten(dst) -> None:
    """Every element of ``dst`` was set to a constant (``fill_``, ``zero_``, random draws)."""
    if tangent_of(dst) is not None:
        _set(dst, wrap_array(np.zeros_like(dst._data)))


def assigned(dst, key, value) -> None:
    """``dst[key] = value`` was written: those elements take ``value``'s tangent (zeros for a
    constant), the others keep ``dst``'s."""
    old, new = tangent_of(dst), tangent_of(value)
    if old is None and new is None:
        return
    tangent = np.zeros_like(dst._data) if old is None else np.array(old._data)
    tangent[key] = 0 if new is None else new._data
    _set(dst, wrap_array(tangent))


def carry_to_base(view, root, where) -> None:
    """``view`` (elements ``where`` of ``root``, flat) was written: ``root``'s tangent takes
    ``view``'s there, as its memory took the values (PyTorch's tangent of a view is a view of
    its base's)."""
    new, old = tangent_of(view), tangent_of(root)
    if old is None and new is None:
        return
    tangent = np.zeros_like(root._data) if old is None else np.array(old._data)
    tangent.reshape(-1)[where.reshape(-1)] = 0 if new is None else new._data.reshape(-1)
    _set(root, wrap_array(tangent))
