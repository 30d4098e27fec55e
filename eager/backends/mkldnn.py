"""``eager.backends.mkldnn``: eager's kernels are NumPy's, not oneDNN's.

    >>> is_available()
    False
"""


def is_available() -> bool:
    """Whether oneDNN (MKL-DNN) kernels are used: no."""
    return False
