"""``torch.stft`` and ``torch.istft``: short-time Fourier transforms as ATen computes them.

``stft`` pads a centred signal (``pad_mode``), cuts it into frames of ``n_fft`` samples every
``hop_length`` (``unfold``), weighs each by the window (a shorter window centred in zeros) and
transforms the frames with `eager.fft`'s primitives (one-sided for a real signal). ``istft``
inverts each frame, overlap-adds the windowed frames (``index_add``) and divides by the
overlap-added squared window. Both are compositions of recorded ops: gradients flow as
torch's. Eager only, like every complex value.

    >>> import eager
    >>> spec = eager.stft(eager.ones(8), 4, window=eager.hann_window(4), return_complex=True)
    >>> tuple(spec.shape), spec.dtype
    ((3, 3), torch.complex64)
"""

from __future__ import annotations

from typing import Any

import numpy as np

import shared_ops

from .fft.arguments import checked_input
from .nn import functional as F
from .tensor_base import TensorBase, wrap_array

__all__ = ["stft", "istft"]


_LEGACY = {"float32": "Float", "float64": "Double", "complex64": "ComplexFloat",
           "complex128": "ComplexDouble", "float16": "Half"}


def _flag(value) -> str:
    return "None" if value is None else str(int(value))


def _described(t, istft: bool = False) -> str:
    """A tensor as ATen's messages name it: ``torch.FloatTensor[48]``."""
    name = _LEGACY.get(t._data.dtype.name, t._data.dtype.name)
    return f"CPU{name}Type{list(t.shape)}" if istft else f"torch.{name}Tensor{list(t.shape)}"


def _window_text(window) -> str:
    return "None" if window is None else \
        f"torch.{_LEGACY.get(window._data.dtype.name)}Tensor{{{list(window.shape)}}}"


def _full_window(fail, window, win_length: int, n_fft: int, dtype) -> TensorBase:
    """The window as ``n_fft`` weights: ones by default, a shorter one centred in zeros."""
    if window is None:
        window = wrap_array(np.ones(win_length, dtype))
    elif window.ndim != 1 or window.shape[0] != win_length:
        fail(f"expected a 1D window tensor of size equal to win_length={win_length}, but got "
             f"window with size {list(window.shape)}")
    if win_length < n_fft:
        left = (n_fft - win_length) // 2
        window = F.pad(window, (left, n_fft - win_length - left))
    return window


def stft(input: Any, n_fft: int, hop_length: int | None = None,  # noqa: A002
         win_length: int | None = None, window: Any = None, center: bool = True,
         pad_mode: str = "reflect", normalized: bool = False, onesided: bool | None = None,
         return_complex: bool | None = None, align_to_window: bool | None = None) -> Any:
    """The short-time Fourier transform of a 1-D signal or a batch of them: ``(n_fft // 2 + 1,
    n_frames)`` complex values per signal (one-sided), as torch.stft."""
    if align_to_window is not None:
        raise NotImplementedError("stft: align_to_window is not supported here")
    x = checked_input("stft", input) if isinstance(input, TensorBase) else input
    if return_complex is None and not x.is_complex():
        raise RuntimeError("stft requires the return_complex parameter be given for real "
                           "inputs, and will further require that return_complex=True in a "
                           "future PyTorch release.")
    if x.ndim not in (1, 2):
        raise RuntimeError(f"stft: expected a 1D or 2D tensor, but got {x.ndim}D tensor")
    if center:
        pad, signal_dim = n_fft // 2, x.ndim
        x = F.pad(x.reshape((1,) * (3 - signal_dim) + tuple(x.shape)), [pad, pad], pad_mode)
        x = x.reshape(tuple(x.shape[-signal_dim:]))
    batch = x.reshape(1, -1) if x.ndim == 1 else x
    length = batch.shape[1]
    hop_length = n_fft // 4 if hop_length is None else hop_length
    win_length = n_fft if win_length is None else win_length

    def fail(message: str):
        raise RuntimeError(
            f"stft({_described(x)}, n_fft={n_fft}, hop_length={hop_length}, win_length="
            f"{win_length}, window={_window_text(window)}, normalized={_flag(normalized)}, "
            f"onesided={_flag(onesided)}, return_complex={_flag(return_complex)}, "
            f"align_to_window=None) : {message}")

    if n_fft <= 0 or n_fft > length:
        fail(f"expected 0 < n_fft < {length}, but got n_fft={n_fft}")
    if hop_length <= 0:
        fail(f"expected hop_length > 0, but got hop_length={hop_length}")
    if win_length <= 0 or win_length > n_fft:
        fail(f"expected 0 < win_length <= n_fft, but got win_length={win_length}")
    real_dtype = shared_ops.dtypes.real_part(batch._data.dtype)
    frames = batch.unfold(-1, n_fft, hop_length)  # (batch, n_frames, n_fft)
    frames = frames * _full_window(fail, window, win_length, n_fft, real_dtype)
    mode = "by_root_n" if normalized else "none"
    if frames.is_complex():
        if onesided:
            raise RuntimeError("Cannot have onesided output if window or input is complex")
        out = shared_ops.fft_c2c(frames, dims=(2,), norm_mode=mode, forward=True)
    else:
        out = shared_ops.fft_r2c(frames, dims=(2,), norm_mode=mode,
                                 onesided=True if onesided is None else onesided)
    out = out.transpose(1, 2)
    if x.ndim == 1:
        out = out.squeeze(0)
    return out if return_complex else shared_ops.view_as_real(out)


def istft(input: Any, n_fft: int, hop_length: int | None = None,  # noqa: A002
          win_length: int | None = None, window: Any = None, center: bool = True,
          normalized: bool = False, onesided: bool | None = None, length: int | None = None,
          return_complex: bool = False) -> Any:
    """The inverse of `stft`: overlap-added inverse transforms of the frames, divided by the
    overlap-added squared window, as torch.istft."""
    hop_length = n_fft // 4 if hop_length is None else hop_length
    win_length = n_fft if win_length is None else win_length
    if not input.is_complex():
        raise RuntimeError("istft requires a complex-valued input tensor matching the output "
                           "from stft with return_complex=True.")
    if input.numel() == 0:
        raise RuntimeError("istft input tensor cannot be empty")
    if input.ndim not in (2, 3):
        raise RuntimeError(f"istft expected a tensor with 2 or 3 dimensions of complex dtype, "
                           f"but got {input.ndim + 1}D tensor.")

    def fail(message: str):
        raise RuntimeError(
            f"istft({_described(input, istft=True)}, n_fft={n_fft}, hop_length={hop_length}, "
            f"win_length={win_length}, window={_window_text(window)}, center={_flag(center)}, "
            f"normalized={_flag(normalized)}, onesided={_flag(onesided)}, length="
            f"{length}, return_complex={_flag(return_complex)}) : {message}")

    if not 0 < win_length <= n_fft:
        fail("expected 0 < win_length <= n_fft")
    if not 0 < hop_length <= win_length:
        fail("expected 0 < hop_length <= win_length")
    spec = input.unsqueeze(0) if input.ndim == 2 else input
    fft_size, n_frames = spec.shape[1], spec.shape[2]
    if (fft_size != n_fft if onesided is None else onesided) and n_fft // 2 + 1 != fft_size:
        fail(f"expected the frequency dimension (3rd to the last) of the input tensor to match "
             f"n_fft / 2 + 1 when onesided=True, but got {fft_size}")
    onesided = fft_size != n_fft if onesided is None else onesided
    if not onesided and n_fft != fft_size:
        fail(f"expected the frequency dimension (3rd to the last) of the input tensor to match "
             f"n_fft when onesided=False, but got {fft_size}")
    frames = spec.transpose(1, 2)  # (channel, n_frames, fft_size)
    mode = "by_root_n" if normalized else "by_n"
    if return_complex:
        if onesided:
            raise RuntimeError("Cannot have onesided output if window or input is complex")
        frames = shared_ops.fft_c2c(frames, dims=(2,), norm_mode=mode, forward=False)
    else:
        if not onesided:
            frames = frames[..., : n_fft // 2 + 1]
        frames = shared_ops.fft_c2r(frames, dims=(2,), norm_mode=mode, last_dim_size=n_fft)
    real_dtype = shared_ops.dtypes.real_part(spec._data.dtype)
    window = _full_window(fail, window, win_length, n_fft, real_dtype)
    total = n_fft + hop_length * (n_frames - 1)
    positions = wrap_array((np.arange(n_frames)[:, None] * hop_length
                            + np.arange(n_fft)[None, :]).reshape(-1))
    channels = frames.shape[0]
    framed = (frames * window).reshape(channels, -1)
    y = wrap_array(np.zeros((channels, total), framed._data.dtype)).index_add(1, positions,
                                                                              framed)
    squares = (window * window).reshape(1, n_fft).expand(n_frames, n_fft).reshape(-1)
    envelope = wrap_array(np.zeros(total, squares._data.dtype)).index_add(0, positions,
                                                                          squares)
    start = n_fft // 2 if center else 0
    end = start + length if length is not None else total - n_fft // 2 if center else total
    y, envelope = y[:, start:end], envelope[start:end]
    if envelope.numel() and float(envelope.abs().min()) < 1e-11:
        fail(f"window overlap add min: {float(envelope.abs().min()):g}")
    y = y / envelope
    if input.ndim == 2:
        y = y.squeeze(0)
    if end > total:
        y = F.pad(y, (0, end - total))
    return y
