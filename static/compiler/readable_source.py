"""A compiled step as a self-contained module a reader can run (``compiled.readable_source``).

The step the compiler ``exec``s reads its kernels, helpers, constants, variables and buffers
as closure locals bound by a factory. `render` writes the same step after a header that
defines every one of those names, as torch.fx's ``GraphModule.code`` does::

    import numpy as np
    N = 16  # x.shape[0]
    _add = np.add
    from shared_ops.ops.elementwise_math import _relu_kernel as k_relu
    f32_0 = np.array(0.0, 'float32')
    fc1_weight = np.empty((10, 5), 'float32')  # variable %fc1.weight, bound at run time
    _b0 = np.empty((N, 5), 'float32')  # buffer
    _b0_v = _b0.reshape((N * 5,))  # view

    def step(x):
        ...

Functions are imported from their module by qualified name (checked to resolve to the very
object bound); small finite arrays are written as literals; an array too big to print (a
variable's storage, a constant, a buffer) is made empty with its shape and dtype and a
comment saying what the compiled step binds there (assign its values to run the source on the
same weights). Sizes the graph leaves unknown are names bound first (``N = 32  # x0.shape[0]``)
and every shape derived from them is spelled from them (``np.empty((N, 32), 'float32')``), so
another ``N`` runs the step at another batch (`size_symbols`). Every line follows
`source_text`: names were made by `Names`/`helper_name`, module paths and qualified names are
checked identifiers, values are `literal`s, comments go through `comment`, and each line
through `check_line`.
"""

from __future__ import annotations

import ast
import importlib
import keyword
import re
from collections.abc import Callable

import numpy as np

from .source_text import UnsafeSourceError, check_line, comment, literal

_PART = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
# Largest array written out as a literal (a 0-d scalar, a few ones); larger ones are made empty.
_MAX_LITERAL_SIZE = 16


def render(lines: list[str], bound: dict[str, object], notes: dict[str, str],
           views: dict[str, tuple[str, tuple]], signature: str = "", *,
           shapes: dict[str, tuple] | None = None, computed: dict[str, str] | None = None,
           sizes: Callable[[], list[str]] | None = None) -> str:
    """The module: ``import numpy as np``, one definition per name in ``bound`` (``notes``:
    what a name holds, for its comment; ``views``: name -> (viewed name, shape)), then the
    step's ``lines`` (its ``def`` and the control-flow functions after it). ``signature``:
    the feed shapes the step was planned for. ``shapes``: an array's planned shape, written
    in place of its own (sizes of unknown dims spelled, see `source_text.spelling_sizes`);
    ``computed``: a name's defining expression, written in place of its value; ``sizes()``:
    the lines binding the size names used, called last and put first."""
    shapes, computed = shapes or {}, computed or {}
    header = []
    arrays: dict[str, np.ndarray] = {}  # names defined so far that hold arrays
    functions: dict[int, str] = {}  # id of a function -> the first name defined for it
    for name, value in bound.items():
        if callable(value) and not isinstance(value, np.ndarray | np.dtype) and \
                id(value) in functions:  # one kernel bound per node: k_index_1 = k_index
            header.append(f"{name} = {functions[id(value)]}")
            continue
        if callable(value):
            functions[id(value)] = name
        if name in computed:
            note = notes.get(name, "")
            header.append(f"{name} = {computed[name]}  # {comment(note or 'computed')}")
        elif name in views:
            base, shape = views[name]
            header.append(f"{name} = {base}.reshape({literal(tuple(shape))})  # view")
        else:
            view = _view_text(value, arrays)
            note = notes.get(name, "")
            header.extend([f"{name} = {view}  # {comment(note or 'view')}"] if view else
                          _definition(name, value, note, shapes.get(name)).split("\n"))
        if isinstance(value, np.ndarray):
            arrays[name] = value
    body = []
    for line in lines:
        if line.startswith("def ") and body:
            body += ["", ""]
        body.append(line)
    top = ["# dualgraph compiled step: the header defines every name the step reads.",
           *([f"# planned for {comment(signature)}"] if signature else []),
           "import numpy as np", "", *(sizes() if sizes is not None else [])]
    return "".join(check_line(ln) + "\n" for ln in [*top, *header, "", *body])


def _definition(name: str, value: object, note: str, shape: tuple | None = None) -> str:
    if isinstance(value, np.ndarray):
        return _array(name, value, note, value.shape if shape is None else shape)
    if isinstance(value, np.dtype):
        if np.dtype(value.name) == value:
            return f"{name} = np.dtype({literal(value.name)})"
    elif callable(value):
        path = import_path(value)
        if path is not None:
            module, qualname = path
            if module == "numpy":
                return f"{name} = np.{qualname}"
            first, *rest = qualname.split(".")
            line = f"from {module} import {first} as {name}"
            return line if not rest else f"{line}\n{name} = {name}.{'.'.join(rest)}"
    else:
        try:
            if isinstance(value, dict):  # an op's attributes: {'key': ((...), ...)}
                items = ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items())
                return f"{name} = {{{items}}}"
            return f"{name} = {literal(value)}"
        except UnsafeSourceError:  # not a plain literal
            pass
    what = getattr(value, "__qualname__", type(value).__name__)
    return f"{name} = None  # {comment(f'{what}: not importable, bound at run time')}"


def _view_text(value, arrays: dict[str, np.ndarray]) -> str | None:
    """``w.T`` or ``w.reshape(shape)`` where ``value`` views all of an array named before
    (a transposed weight known before the step); else None."""
    if not isinstance(value, np.ndarray) or value.base is None:
        return None
    start = value.__array_interface__["data"][0]
    for name, a in arrays.items():
        if a.dtype != value.dtype or a.size != value.size or \
                a.__array_interface__["data"][0] != start:
            continue
        if value.shape == a.T.shape and value.strides == a.T.strides:
            return f"{name}.T"
        if value.flags.c_contiguous and a.flags.c_contiguous:
            return f"{name}.reshape({literal(tuple(value.shape))})"
    return None


def _array(name: str, value: np.ndarray, note: str, shape: tuple) -> str:
    dtype = literal(value.dtype.name)
    shape = literal(tuple(shape))
    if note.startswith(("buffer", "variable")):  # values that change: never printed
        what = note if note == "buffer" else note + ", bound at run time"
        return f"{name} = np.empty({shape}, {dtype})  # {comment(what)}"
    suffix = f"  # {comment(note)}" if note else ""
    plain = value.dtype.kind in "biuf" and np.dtype(value.dtype.name) == value.dtype
    first = value.ravel()[:1]
    if plain and value.size > 1 and np.isfinite(first).all() and (value == first).all():
        text = _short(first.reshape(()))  # ones: np.full((32,), 1.0, 'float32')
        if np.array_equal(np.array(ast.literal_eval(text), value.dtype), first[0]):
            return f"{name} = np.full({shape}, {text}, {dtype}){suffix}"
    if plain and value.size <= _MAX_LITERAL_SIZE and bool(np.isfinite(value).all()):
        text = _short(value)
        if np.array_equal(np.array(ast.literal_eval(text), value.dtype), value):
            return f"{name} = np.array({text}, {dtype}){suffix}"
    what = note or "array"
    return f"{name} = np.empty({shape}, {dtype})  " \
           f"# {comment(what + ', bound at run time')}"


def _short(value: np.ndarray) -> str:
    """The array's values as a literal, each in the shortest text its dtype reads back."""
    if value.dtype.kind == "f":
        items = [float(str(v)) for v in value.ravel()]  # np.float32(0.1) -> 0.1
        return literal(np.array(items).reshape(value.shape).tolist()) if value.ndim else \
            literal(items[0])
    return literal(value.tolist())


def import_path(fn) -> tuple[str, str] | None:
    """(module, qualified name) from which ``fn`` itself imports; None when none does."""
    qualname = getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None)
    owner = getattr(fn, "__self__", None)
    if isinstance(owner, np.ufunc):  # np.add.reduce
        qualname = f"{owner.__name__}.{fn.__name__}"
    if not isinstance(qualname, str):
        return None
    own = getattr(fn, "__module__", None)
    public = own.lstrip("_") if isinstance(own, str) else None  # _operator -> operator
    for module in ("numpy", public, own):
        if not isinstance(module, str) or not _dotted(module) or not _dotted(qualname):
            continue
        try:
            found = importlib.import_module(module)
            for part in qualname.split("."):
                found = getattr(found, part)
        except (ImportError, AttributeError):
            continue
        if found is fn or (found == fn and type(found) is type(fn)):
            return module, qualname
    return None


def _dotted(path: str) -> bool:
    return all(_PART.match(p) and not keyword.iskeyword(p) for p in path.split("."))
