"""PyTorch's structured results (``torch.return_types.linalg_svd``, ``...slogdet``...): named
tuples that unpack, index and print as PyTorch's do.

    >>> Pair = return_type("linalg_slogdet", ("sign", "logabsdet"))
    >>> Pair(1.0, 2.5)
    torch.return_types.linalg_slogdet(
    sign=1.0,
    logabsdet=2.5)
"""

from __future__ import annotations

from collections import namedtuple


def return_type(name: str, fields: tuple[str, ...]) -> type:
    """A tuple class named ``name`` with ``fields``, printed ``torch.return_types.<name>(...)``
    with one field a line, as PyTorch prints it."""
    base = namedtuple(name, fields)  # noqa: PYI024 -- the plain tuple; the repr is ours

    def __repr__(self) -> str:  # noqa: N807
        body = ",\n".join(f"{field}={value!r}" for field, value in zip(self._fields, self,
                                                                        strict=True))
        return f"torch.return_types.{name}(\n{body})"

    return type(name, (base,), {"__slots__": (), "__repr__": __repr__,
                                "__module__": "torch.return_types",
                                "__doc__": f"``torch.return_types.{name}``: {', '.join(fields)}."})
