"""``eager.backends.openmp``: eager runs no OpenMP parallel regions of its own (NumPy's BLAS
decides its threads).

    >>> is_available()
    False
"""


def is_available() -> bool:
    """Whether eager itself uses OpenMP: no."""
    return False
