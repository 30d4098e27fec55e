"""PyTorch's CPU random engine, word for word: MT19937 seeded as ``at::mt19937`` seeds it, with
the generator's cached normal sample and its ``get_state`` byte layout.

``torch.manual_seed(s)`` runs MT19937's standard ``init_genrand(s & 0xffffffff)``; NumPy's
``MT19937._legacy_seeding`` is that same routine, and ``random_raw`` then yields the same
32-bit words, vectorised. Everything random in eager reads words from here: ``random32``
(one word per draw, as ATen's ``random()``) and ``random64`` (two words, the first as the high
half, as ``random64()``).

The state as bytes (``get_state``) is ATen's ``CPUGeneratorImplState``, 5056 bytes: the
initial seed, ``left``, ``seeded``, ``next``, the 624 state words (each stored as a uint64),
three doubles of which only ``normal_y`` (the cached next double normal) is used, its validity
flag, then the cached next float normal and its flag.

    >>> e = Engine(0)
    >>> int(e.random32(1)[0])
    2357136044
"""

from __future__ import annotations

import numpy as np

STATE_WORDS = 624
STATE_BYTES = 5056
DEFAULT_SEED = 67280421310721  # c10's default_rng_seed_val: torch.Generator()'s seed

# ATen's CPUGeneratorImplState, field by field (offsets are those of the packed C struct).
_LAYOUT = np.dtype({
    "names": ["seed", "left", "seeded", "next", "state", "normal_x", "normal_y", "normal_rho",
              "normal_is_valid", "float_normal", "float_normal_is_valid"],
    "formats": ["<u8", "<i4", "<i4", "<u8", ("<u8", STATE_WORDS), "<f8", "<f8", "<f8", "<i4",
                "<f4", "u1"],
    "offsets": [0, 8, 12, 16, 24, 5016, 5024, 5032, 5040, 5048, 5052],
    "itemsize": STATE_BYTES,
})


def seed_value(seed: object) -> int:
    """``seed`` as the uint64 PyTorch keeps: an int in [-2**63, 2**64), negatives wrapped."""
    if not hasattr(seed, "__index__"):
        raise RuntimeError(f"manual_seed expected a long, but got {type(seed).__name__}")
    value = int(seed)  # type: ignore[call-overload]
    if not -(2**63) <= value < 2**64:
        raise ValueError("Overflow when unpacking long long")
    return value % 2**64


class Engine:
    """One MT19937 stream with PyTorch's seeding, normal caches and state layout."""

    def __init__(self, seed: int = DEFAULT_SEED) -> None:
        self.bits = np.random.MT19937()
        self.seed(seed)

    def seed(self, seed: int) -> None:
        """Restart the stream as ``torch.Generator.manual_seed(seed)`` does (caches cleared)."""
        self.initial_seed = seed_value(seed)
        self.bits._legacy_seeding(self.initial_seed & 0xFFFFFFFF)
        self.next_double_normal: float | None = None
        self.next_float_normal: float | None = None
        self._fresh = True  # ATen's ``next`` is 0 until the first draw, 624 after a full block

    # --- words ------------------------------------------------------------------------------
    def random32(self, count: int) -> np.ndarray:
        """The next ``count`` 32-bit words (as uint64, ready for 64-bit arithmetic)."""
        if count <= 0:
            return np.zeros(0, np.uint64)
        self._fresh = False
        return self.bits.random_raw(count)

    def mark_drawn(self) -> None:
        """Note that words were (or may have been) drawn other than through `random32`."""
        self._fresh = False

    def random64(self, count: int) -> np.ndarray:
        """``count`` 64-bit draws: two words each, the first the high half (ATen's order)."""
        words = self.random32(2 * count)
        return (words[0::2] << np.uint64(32)) | words[1::2]

    # --- state as PyTorch's bytes ----------------------------------------------------------
    def get_state(self) -> np.ndarray:
        """The 5056 state bytes of ``torch.Generator.get_state()`` (uint8)."""
        raw = self.bits.state["state"]
        pos = int(raw["pos"])
        record = np.zeros((), _LAYOUT)
        record["seed"] = self.initial_seed
        record["left"] = STATE_WORDS + 1 - pos
        record["seeded"] = 1
        record["next"] = 0 if self._fresh else pos
        record["state"] = raw["key"].astype(np.uint64)
        if self.next_double_normal is not None:
            record["normal_y"] = self.next_double_normal
            record["normal_is_valid"] = 1
        if self.next_float_normal is not None:
            record["float_normal"] = self.next_float_normal
            record["float_normal_is_valid"] = 1
        return np.frombuffer(record.tobytes(), np.uint8).copy()

    def set_state(self, data: np.ndarray) -> None:
        """Restore from ``get_state``'s bytes, with ATen's checks and messages."""
        data = np.asarray(data)
        if data.dtype != np.uint8:
            raise TypeError("RNG state must be a torch.ByteTensor")
        if data.size != STATE_BYTES:
            raise RuntimeError(f"Expected a CPUGeneratorImplState of size {STATE_BYTES} but "
                               f"found the input RNG state size to be {data.size}")
        record = np.frombuffer(data.tobytes(), _LAYOUT)[0]
        left, nxt = int(record["left"]), int(record["next"])
        if not (int(record["seeded"]) and 1 <= left <= STATE_WORDS and nxt <= STATE_WORDS):
            raise RuntimeError("Invalid mt19937 state")
        self.bits.state = {"bit_generator": "MT19937",
                           "state": {"key": record["state"].astype(np.uint32),
                                     "pos": STATE_WORDS + 1 - left}}
        self.initial_seed = int(record["seed"])
        self._fresh = nxt == 0 and left == 1
        self.next_double_normal = (float(record["normal_y"]) if int(record["normal_is_valid"])
                                   else None)
        self.next_float_normal = (float(record["float_normal"])
                                  if int(record["float_normal_is_valid"]) else None)


__all__ = ["DEFAULT_SEED", "Engine", "STATE_BYTES", "seed_value"]
