"""Seeds for random draws (dropout masks): a pure seed-derivation op and per-mode seed sources.

Kernels are pure functions, so randomness enters an op only as an integer *seed input*
(`dropout_mask(x, seed)`). Where that seed comes from depends on the mode:

* eager draws a fresh integer from its global generator at every call (``eager.manual_seed``
  fixes the sequence): the value is at hand, the mask differs per call;
* a staged graph must not bake one integer in as a constant (every step would reuse the same
  mask), so the static mode supplies a seed *node* computed from a generator-state variable
  that each step advances (``static/rng.py``).

`fresh_seed(x)` asks the mode that owns ``x`` for such a seed; modes register their source
with `register_seed_source`. A mode that reproduces another framework's stream (eager draws
PyTorch's) may instead compute a random op itself on its values: `register_draw`, looked up
by the op with `direct_draw`. `fold_seed(state, key=k)` is the pure derivation the static
source uses: the seed of draw ``k`` from a generator state ``[seed, counter]``.

    >>> import numpy as np
    >>> a = fold_seed(np.array([7, 1]), key=0)
    >>> bool(a == fold_seed(np.array([7, 1]), key=0)), bool(a != fold_seed(np.array([7, 2]), key=0))
    (True, True)
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from .. import dispatch
from .. import dtypes as dt
from ..aval import Aval
from ..errors import DTypeError, OpValueError, ShapeError
from ..registry import primitive

_U64 = 2**64


# --- fold_seed: primitive (no gradient) --------------------------------------------------------
def _fold_kernel(state, key: int = 0):
    _fold_rule(Aval(state.shape, state.dtype), key)  # a float state would hash silently
    # SeedSequence hashes its entropy words well (no correlation between neighbouring
    # counters or keys) and is the same on every platform and NumPy version that has it.
    entropy = [int(v) % _U64 for v in np.asarray(state).reshape(-1)] + [int(key) % _U64]
    words = np.random.SeedSequence(entropy).generate_state(2, np.uint32)
    return np.asarray((int(words[0]) << 31) ^ int(words[1]), dtype=np.int64)  # 63 bits, >= 0


def _fold_rule(state: Aval, key: int = 0) -> Aval:
    if state.dtype.kind not in "iu":
        raise DTypeError("fold_seed", f"state must hold integers, got {state.dtype}",
                         shapes=[state.shape], dtypes=[state.dtype])
    if len(state.shape) != 1:
        raise ShapeError("fold_seed", f"state must be a 1-d vector (e.g. [seed, counter]), got "
                         f"shape {state.shape}", shapes=[state.shape])
    if not isinstance(key, int | np.integer):
        raise OpValueError("fold_seed", f"key must be an integer, got {key!r}")
    return Aval((), dt.int64)


fold_seed = primitive(
    "fold_seed", _fold_kernel, _fold_rule, None, nondiff_inputs=(0,),
    differentiable_output=False,
    doc="fold_seed(state, key=k): a 0-d int64 seed in [0, 2**63), a hash of the integer "
        "vector ``state`` (a generator's ``[seed, counter]``) and the draw number ``k``. Pure: "
        "the same state and key give the same seed in every mode and process.")


# --- seed sources: where a fresh seed comes from, per mode -------------------------------------
_SOURCES: dict[str, Callable[[Any], Any]] = {}


def register_seed_source(mode: str, source: Callable[[Any], Any]) -> None:
    """Let mode ``mode`` (its `dispatch.register_mode` name) supply the seed of a fresh random
    draw on its values: ``source(x)`` returns a seed (an int, or a value of that mode)."""
    _SOURCES[mode] = source


@contextlib.contextmanager
def using_seed_source(mode: str, source: Callable[[Any], Any]) -> Iterator[None]:
    """Inside the block, ``mode``'s fresh seeds come from ``source`` (the compare harness makes
    eager draw the seeds a static graph draws, so both modes drop the same elements)."""
    previous = _SOURCES.get(mode)
    _SOURCES[mode] = source
    try:
        yield
    finally:
        if previous is None:
            _SOURCES.pop(mode, None)
        else:
            _SOURCES[mode] = previous


def seed_source_of(mode: str) -> Callable[[Any], Any] | None:
    """The seed source ``mode`` has now (None: none registered); eager compares it with its
    own to know whether a harness replaced it (`using_seed_source`)."""
    return _SOURCES.get(mode)


# --- direct draws: a mode that reproduces another framework's random stream -------------------
_DRAWS: dict[tuple[str, str], Callable[..., Any]] = {}


def register_draw(mode: str, name: str, draw: Callable[..., Any]) -> None:
    """Let mode ``mode`` compute the random op ``name`` itself on its values (eager draws
    ``multinomial`` from PyTorch's stream, not from a seed): ``draw(*args, **kwargs)`` returns
    the result, or None to decline (then the seeded kernel runs)."""
    _DRAWS[(mode, name)] = draw


def direct_draw(name: str, x: Any) -> Callable[..., Any] | None:
    """The direct draw of op ``name`` registered by the mode owning ``x``, if any."""
    mode = dispatch.mode_of((x,))
    return _DRAWS.get((mode.name, name)) if mode is not None else None


def fresh_seed(x: Any, default: Callable[[], Any] | None = None) -> Any:
    """A seed for a new random draw shaped like ``x`` (a dropout mask).

    The mode owning ``x`` supplies it (static: a node that changes every step); for values
    of no mode with a source, ``default()`` does (eager's functional API passes its global
    generator). With neither, the caller must pass a seed itself.
    """
    mode = dispatch.mode_of((x,))
    source = _SOURCES.get(mode.name) if mode is not None else None
    if source is not None:
        return source(x)
    if default is not None:
        return default()
    raise OpValueError("dropout", f"no seed given and no random source for a "
                       f"{type(x).__name__}; pass an integer seed")


__all__ = ["direct_draw", "fold_seed", "fresh_seed", "register_draw", "register_seed_source",
           "seed_source_of", "using_seed_source"]
