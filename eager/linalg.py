"""``torch.linalg`` for eager Tensors: the shared module `shared_ops.linalg_api`, whose
functions call the shared ops (so they record for backward, and stage in static graphs too).

    >>> import eager
    >>> eager.linalg.det(eager.tensor([[2.0, 1.0], [1.0, 3.0]]))
    tensor(5.)
"""

from shared_ops.linalg_api import *  # noqa: F403
from shared_ops.linalg_api import __all__  # noqa: F401

# eig/eigvals: complex results (shared_ops/ops/complex_eig.py; complex values are eager only)
from shared_ops.ops.complex_eig import linalg_eig_values as _eig_values  # noqa: E402
from shared_ops.ops.complex_eig import linalg_eig_vectors as _eig_vectors  # noqa: E402
from shared_ops.return_types import return_type as _return_type  # noqa: E402

EigResult = _return_type("linalg_eig", ("eigenvalues", "eigenvectors"))


def eig(A, *, out=None):  # noqa: N803  (torch's name)
    """``(eigenvalues, eigenvectors)`` of each square matrix, complex (unit eigenvectors as
    columns, LAPACK's order and phases, as torch's CPU kernel)."""
    if out is not None:
        raise TypeError("linalg_eig(): out= is not supported here; assign the result instead")
    return EigResult(_eig_values(A), _eig_vectors(A))


def eigvals(A, *, out=None):  # noqa: N803
    """The complex eigenvalues of each square matrix."""
    if out is not None:
        raise TypeError("linalg_eigvals(): out= is not supported here; assign the result")
    return _eig_values(A)


__all__ = [*__all__, "eig", "eigvals"]  # noqa: F405


# torch's out= on the functions torch.linalg gives it (eager/out_argument.py): last, after
# every function of the module is defined
from .out_argument import add_out_arguments as _add_out_arguments  # noqa: E402
from .out_argument_tables import LINALG_OUT as _LINALG_OUT  # noqa: E402

_add_out_arguments(globals(), _LINALG_OUT, "linalg_")
