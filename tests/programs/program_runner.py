"""Run a PyTorch program twice, under torch and under eager, and compare what it prints.

The eager run changes nothing but the import lines (``rewrite_imports``): that rewrite is
what a user does, and what the program suite tests. Both runs happen in this process with
``runpy`` (torch is imported once, not once a program) and their stdout is captured.

``compare_outputs`` splits each output into its numbers and the text around them: the text
must be identical, integers equal, and other numbers equal within float32 tolerance plus one
unit in the last digit printed (a value on a rounding boundary may print either way).
"""

from __future__ import annotations

import contextlib
import io
import math
import re
import runpy
import sys
from pathlib import Path

import pytest

# The import forms a program may use, and their eager spelling. Anything else that imports
# torch is refused, so a program cannot silently keep using torch in its eager run.
_IMPORT = re.compile(r"^(?P<indent>\s*)import torch(?P<sub>(?:\.\w+)*)(?P<alias> as \w+)?\s*$")
_FROM = re.compile(r"^(?P<indent>\s*)from torch(?P<sub>(?:\.\w+)*) import (?P<names>.+)$")
_MENTIONS_TORCH_IMPORT = re.compile(r"^\s*(?:import|from)\s+torch\b")

# A number as Python prints it; not a digit inside a word (h2o, log10, c_proj1).
_NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?(?![\w.])")


def rewrite_imports(source: str) -> str:
    """The program with its torch imports turned into eager's, every other line unchanged.

        >>> print(rewrite_imports("import torch\\nimport torch.nn as nn\\nx = torch.ones(2)"))
        import eager as torch
        import eager.nn as nn
        x = torch.ones(2)

    ``import torch`` becomes ``import eager as torch``; ``import torch.M as A`` becomes
    ``import eager.M as A``; ``from torch[.M] import N`` becomes ``from eager[.M] import N``.
    ``import torch.M`` without an alias binds the name ``torch`` to torch itself, which no
    one-line rewrite reproduces: it raises ValueError, as does any other import of torch.
    """
    lines = []
    for number, line in enumerate(source.splitlines(), start=1):
        match = _IMPORT.match(line)
        if match and (match["alias"] or not match["sub"]):
            alias = match["alias"] or " as torch"
            line = f"{match['indent']}import eager{match['sub']}{alias}"
        elif (match := _FROM.match(line)) is not None:
            line = f"{match['indent']}from eager{match['sub']} import {match['names']}"
        elif _MENTIONS_TORCH_IMPORT.match(line):
            raise ValueError(f"line {number}: cannot rewrite this import of torch: {line!r}")
        lines.append(line)
    return "\n".join(lines) + ("\n" if source.endswith("\n") else "")


@contextlib.contextmanager
def process_switches_restored():
    """The process-wide switches a program may turn (deterministic algorithms, the default
    dtype, float32 matmul precision, grad mode) put back as they were afterwards, in torch and
    in eager: a program ends its process, but here the next program runs in the same one."""
    libraries = [sys.modules[name] for name in ("torch", "eager") if name in sys.modules]
    saved = [(lib, lib.are_deterministic_algorithms_enabled(),
              lib.is_deterministic_algorithms_warn_only_enabled(), lib.get_default_dtype(),
              lib.get_float32_matmul_precision(), lib.is_grad_enabled()) for lib in libraries]
    try:
        yield
    finally:
        for lib, deterministic, warn_only, dtype, precision, grad in saved:
            lib.use_deterministic_algorithms(deterministic, warn_only=warn_only)
            lib.set_default_dtype(dtype)
            lib.set_float32_matmul_precision(precision)
            lib.set_grad_enabled(grad)


def run_program(path: Path) -> str:
    """Run the program at ``path`` as ``__main__`` in this process, as ``python path`` with no
    arguments would (``sys.argv`` is ``[path]`` meanwhile); return what it printed. The
    process-wide switches it turns are restored afterwards (`process_switches_restored`)."""
    out = io.StringIO()
    argv = sys.argv
    sys.argv = [str(path)]
    try:
        with process_switches_restored(), contextlib.redirect_stdout(out):
            runpy.run_path(str(path), run_name="__main__")
    finally:
        sys.argv = argv
    return out.getvalue()


def run_both(path: Path, workdir: Path) -> tuple[str, str]:
    """``(torch's output, eager's output)`` of the program at ``path``; the eager version is
    written to ``workdir`` under the same file name."""
    eager_path = workdir / path.name
    eager_path.write_text(rewrite_imports(path.read_text()))
    return run_program(path), run_program(eager_path)


SCRIPTS = Path(__file__).resolve().parent / "scripts"


@contextlib.contextmanager
def single_threaded():
    """torch, and NumPy's BLAS where threadpoolctl is installed, on one thread inside the
    block. On this project's small shared machines their thread pools made some programs five
    to ten times slower when the cores were busy (a float32 sum may also round differently with
    another split of the work, which the comparison's tolerance covers either way)."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # an optional helper (scikit-learn brings it): threads stay as they are
        blas_limit: contextlib.AbstractContextManager = contextlib.nullcontext()
    else:
        blas_limit = threadpool_limits(1, user_api="blas")
    try:
        with blas_limit:
            yield
    finally:
        torch.set_num_threads(threads)


def torch_draws_dropout_with_mkl() -> bool:
    """Whether torch on this machine draws dropout masks with MKL's Bernoulli generator (an
    MKL build on an Intel CPU), a stream eager does not reproduce. Elsewhere torch draws them
    from its own generator's words, as eager does, and the masks are equal."""
    import torch

    if not torch.backends.mkl.is_available():
        return False
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
    except OSError:  # not Linux: assume the worst rather than fail for a reason not ours
        return True
    return "GenuineIntel" in cpuinfo


# The programs that train with dropout: where torch draws its masks with MKL
# (`torch_draws_dropout_with_mkl`) their two runs cannot print the same, and they are skipped.
TRAINS_WITH_DROPOUT = frozenset({"mnist_cnn", "word_language_model", "tiny_gpt",
                                 "text_cnn_classifier", "vision_transformer",
                                 "gcn_dense_adjacency"})


def check_program(name: str, workdir: Path, rtol: float = 2e-4) -> None:
    """Run ``scripts/<name>.py`` under torch and under eager and fail with every difference
    (skipped for a program in `TRAINS_WITH_DROPOUT` where torch draws masks with MKL)."""
    if name in TRAINS_WITH_DROPOUT and torch_draws_dropout_with_mkl():
        pytest.skip("torch draws dropout masks with MKL's generator on this Intel CPU, a stream "
                    "eager does not reproduce")
    with single_threaded():
        torch_output, eager_output = run_both(SCRIPTS / f"{name}.py", workdir)
    assert torch_output.strip(), f"{name} printed nothing"
    problems = compare_outputs(torch_output, eager_output, rtol=rtol)
    assert not problems, "\n".join([f"{name}: eager differs from torch:", *problems[:20]])


def _split(text: str) -> tuple[str, list[str]]:
    """The text with every number replaced by ``{}`` (braces doubled), and the numbers."""
    numbers = _NUMBER.findall(text)
    template = _NUMBER.sub("\0", text.replace("{", "{{").replace("}", "}}")).replace("\0", "{}")
    return template, numbers


def _last_digit_unit(token: str) -> float:
    """The value of one unit in the last digit ``token`` shows (``2.35`` -> 0.01,
    ``1.5e-05`` -> 1e-06)."""
    mantissa, _, exponent = token.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    return 10.0 ** (int(exponent or 0) - decimals)


def _is_integer(token: str) -> bool:
    return not any(c in token for c in ".eE")


def _numbers_agree(a: str, b: str, rtol: float, atol: float) -> bool:
    """Whether the printed numbers ``a`` (torch's) and ``b`` (eager's) agree: integers
    exactly, others within ``atol + rtol * magnitude`` plus one unit in the last digit."""
    if _is_integer(a) and _is_integer(b):
        return int(a) == int(b)
    x, y = float(a), float(b)
    if not (math.isfinite(x) and math.isfinite(y)):
        # A value too large for a float on one side only is a difference.
        return x == y
    slack = atol + rtol * max(abs(x), abs(y))
    slack += max(_last_digit_unit(a), _last_digit_unit(b))
    return abs(x - y) <= slack


def compare_outputs(expected: str, actual: str, rtol: float = 2e-4,
                    atol: float = 1e-6) -> list[str]:
    """The differences between torch's output ``expected`` and eager's ``actual``: an empty
    list when the text agrees exactly and every number within tolerance.

        >>> compare_outputs("loss 0.5012\\nstep 3", "loss 0.5013\\nstep 3")
        []
        >>> compare_outputs("step 3", "step 4")
        ["line 1: 3 != 4: 'step 3' != 'step 4'"]
    """
    problems = []
    expected_lines, actual_lines = expected.splitlines(), actual.splitlines()
    if len(expected_lines) != len(actual_lines):
        problems.append(f"{len(expected_lines)} lines printed under torch, "
                        f"{len(actual_lines)} under eager")
    for number, (want, got) in enumerate(zip(expected_lines, actual_lines, strict=False),
                                           start=1):
        want_text, want_numbers = _split(want)
        got_text, got_numbers = _split(got)
        if want_text != got_text:
            problems.append(f"line {number}: text differs: {want!r} != {got!r}")
            continue
        unequal = [f"{a} != {b}" for a, b in zip(want_numbers, got_numbers, strict=True)
                   if not _numbers_agree(a, b, rtol, atol)]
        if unequal:
            problems.append(f"line {number}: {', '.join(unequal)}: {want!r} != {got!r}")
    return problems
