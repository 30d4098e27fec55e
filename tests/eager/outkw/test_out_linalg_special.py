"""``out=`` on eager.linalg's, eager.special's and eager.fft's functions (the ones torch.linalg,
torch.special and torch.fft give it) against torch's, through out_oracle.py: values written
into ``out`` and ``out`` returned, or torch's exception and message, for outs of three
dtypes."""

from __future__ import annotations

import re

import numpy as np
import pytest
from out_oracle import differences

import eager
from eager.out_argument_tables import FFT_OUT, LINALG_OUT, SPECIAL_OUT

SPD = [[4.0, 1.0, 0.5], [1.0, 3.0, -1.0], [0.5, -1.0, 5.0]]
M = [[2.0, 1.0, 0.0], [1.0, 3.0, 1.0], [0.5, 0.0, 4.0]]
P = [[0.2, 0.3, 0.5], [0.6, 0.1, 0.3]]
X = [[1.5, -2.0, 3.0], [0.5, 4.0, -1.0]]


def t(L, data):
    return L.tensor(data)


LINALG = {
    "cholesky": lambda L: L.linalg.cholesky(t(L, SPD)),
    "cholesky_ex": lambda L: L.linalg.cholesky_ex(t(L, SPD)),
    "cond": lambda L: L.linalg.cond(t(L, M)),
    "cross": lambda L: L.linalg.cross(t(L, X), t(L, P)),
    "det": lambda L: L.linalg.det(t(L, M)),
    "eigh": lambda L: L.linalg.eigh(t(L, SPD))[0],
    "eig": lambda L: L.linalg.eig(t(L, SPD)),  # (M: eager's eigenvectors differ in sign)
    "eigvals": lambda L: L.linalg.eigvals(t(L, M)),
    "eigvalsh": lambda L: L.linalg.eigvalsh(t(L, SPD)),
    "householder_product": lambda L: L.linalg.householder_product(t(L, M), t(L, [0.5, 0.2])),
    "inv": lambda L: L.linalg.inv(t(L, M)),
    "inv_ex": lambda L: L.linalg.inv_ex(t(L, M)),
    "lu": lambda L: L.linalg.lu(t(L, M)),
    "lu_factor": lambda L: L.linalg.lu_factor(t(L, M)),
    "lu_factor_ex": lambda L: L.linalg.lu_factor_ex(t(L, M)),
    "lu_solve": lambda L: L.linalg.lu_solve(*L.linalg.lu_factor(t(L, M)), t(L, SPD)),
    "matmul": lambda L: L.linalg.matmul(t(L, X), t(L, M)),
    "matrix_norm": lambda L: L.linalg.matrix_norm(t(L, M)),
    "matrix_power": lambda L: L.linalg.matrix_power(t(L, M), 2),
    "matrix_rank": lambda L: L.linalg.matrix_rank(t(L, M)),
    "multi_dot": lambda L: L.linalg.multi_dot([t(L, X), t(L, M), t(L, SPD)]),
    "norm": lambda L: L.linalg.norm(t(L, X)),
    "pinv": lambda L: L.linalg.pinv(t(L, X)),
    "qr": lambda L: L.linalg.qr(t(L, M)).R.abs(),
    "slogdet": lambda L: L.linalg.slogdet(t(L, M)),
    "solve": lambda L: L.linalg.solve(t(L, M), t(L, SPD)),
    "solve_ex": lambda L: L.linalg.solve_ex(t(L, M), t(L, SPD)),
    "solve_triangular": lambda L: L.linalg.solve_triangular(t(L, M).triu(), t(L, SPD),
                                                            upper=True),
    "svd": lambda L: L.linalg.svd(t(L, M))[1],
    "svdvals": lambda L: L.linalg.svdvals(t(L, M)),
    "tensorinv": lambda L: L.linalg.tensorinv(t(L, M), ind=1),
    "tensorsolve": lambda L: L.linalg.tensorsolve(t(L, M), t(L, [1.0, 2.0, 3.0])),
    "vecdot": lambda L: L.linalg.vecdot(t(L, X), t(L, P)),
    "vector_norm": lambda L: L.linalg.vector_norm(t(L, X), 3, dim=1),
}
SPECIAL = {
    **{n: lambda L, n=n: getattr(L.special, n)(t(L, P))
       for n in ("digamma", "entr", "erf", "erfc", "erfinv", "exp2", "expit", "expm1",
                 "gammaln", "i0", "i1", "log1p", "logit", "ndtr", "ndtri", "psi", "round",
                 "sinc", "erfcx", "i0e", "i1e", "log_ndtr")},
    "zeta": lambda L: L.special.zeta(t(L, P) + 1.5, t(L, X).abs() + 0.5),
    "gammainc": lambda L: L.special.gammainc(t(L, P), t(L, X).abs()),
    "gammaincc": lambda L: L.special.gammaincc(t(L, P), t(L, X).abs()),
    "logsumexp": lambda L: L.special.logsumexp(t(L, X), 1),
    "multigammaln": lambda L: L.special.multigammaln(t(L, X).abs() + 2, 2),
    "polygamma": lambda L: L.special.polygamma(1, t(L, P)),
    "xlog1py": lambda L: L.special.xlog1py(t(L, X), t(L, P)),
    "xlogy": lambda L: L.special.xlogy(t(L, X), t(L, P)),
}

FFT = {
    **{n: lambda L, n=n: getattr(L.fft, n)(t(L, X)) for n in (
        "fft", "ifft", "rfft", "ihfft", "fft2", "ifft2", "rfft2", "ihfft2", "fftn", "ifftn",
        "rfftn", "ihfftn")},
    **{n: lambda L, n=n: getattr(L.fft, n)(L.fft.fft(t(L, X))) for n in (
        "irfft", "hfft", "irfft2", "hfft2", "irfftn", "hfftn")},
    "fftfreq": lambda L: L.fft.fftfreq(5, 0.5), "rfftfreq": lambda L: L.fft.rfftfreq(6),
}
TABLES = {"linalg": LINALG, "special": SPECIAL, "fft": FFT}

# Where eager's outcome differs from torch's, and why (the test asserts the list is exact).
KNOWN = {
    "linalg.matrix_power": "torch refuses a float64 out as a same-dtype kernel and a Long one "
                           "as a casting one; eager always applies the casting rule",
    "special.multigammaln": "a Long out: torch's message names mvlgamma and the wrong dtype "
                            "(\"Float can't be cast to ... Float\"); eager's names Long",
}

CASES = [("linalg", n) for n in LINALG_OUT] + [("special", n) for n in SPECIAL_OUT] + [
    ("fft", n) for n in FFT_OUT]


@pytest.mark.parametrize("module, name", CASES, ids=[f"{m}.{n}" for m, n in CASES])
def test_out_matches_torch(module, name):
    call = TABLES[module][name]
    found = differences([call], f"{module}.{name}")
    if f"{module}.{name}" in KNOWN:
        assert found, f"{module}.{name} now agrees with torch: drop it from KNOWN"
    else:
        assert not found, found


def test_every_function_of_the_tables_shows_out_in_its_signature():
    import inspect
    for module, names in ((eager.linalg, LINALG_OUT), (eager.special, SPECIAL_OUT),
                          (eager.fft, FFT_OUT)):
        for name in names:
            parameters = inspect.signature(getattr(module, name)).parameters
            assert parameters["out"].kind is inspect.Parameter.KEYWORD_ONLY, name
    assert not np.setdiff1d(list(KNOWN), [f"{m}.{n}" for m, n in CASES]).size


@pytest.mark.parametrize("module, table", [("linalg", LINALG_OUT), ("fft", FFT_OUT),
                                           ("special", SPECIAL_OUT)])
def test_every_function_torch_documents_out_for_takes_it(module, table):
    """torch documents ``out`` among a function's keyword arguments (its bound functions have
    no signature to read)."""
    torch = pytest.importorskip("torch")
    theirs, ours = getattr(torch, module), getattr(eager, module)
    documented = set()
    for name in dir(ours):
        fn = getattr(theirs, name, None)
        if name.startswith("_") or not callable(fn) or isinstance(fn, type):
            continue
        if re.search(r"\bout \((Tensor|tuple|List)", fn.__doc__ or "") or \
                "out" in _parameters(fn):
            documented.add(name)
    assert sorted(documented - set(table)) == []


def _parameters(fn) -> tuple[str, ...]:
    import inspect
    try:
        return tuple(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        return ()
