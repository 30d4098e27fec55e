"""The compiler's writer of out forms (`shared_ops.forms`): a form's calls as one statement.

An op's out form calls ``w.call(np.maximum, w.arg(0), w.scalar(0), out=w.out)``; the
`SourceWriter` here turns each call into code, ``_maximum(h, f32_0, out=_b3)``, and the form's
result into the assignment of the node's name. Every piece of that text follows the rules of
`source_text`: functions are bound once as closure locals named after them (`helper_name`),
operands are names the step already has (inputs, planned buffers, views and 0-d constants
made once), plain values are `literal`s and anything else is bound as a constant. A form
hands over functions and values, never text.

Calls are written in the order the form makes them, one statement a line; a call whose
result is the argument of the very next one is nested in it (``_multiply(g, _greater(y,
f32_0, out=_b5), out=_b2)``). A call given ``out=`` returns that array (as NumPy's do), so its
result may also be read later through it.

The layouts that are the compiler's own choice (`emit_layouts`) are made here, per call, by
the function called, never by op: ``np.matmul`` of small 2-d float operands becomes
``np.dot``; an elementwise ufunc into a planned buffer gets 0-d and flat views of its
operands; ``np.add.reduce`` over the first axis of a small 2-d array, or over all of a small
buffer, becomes a product with ones.

`plan_form` runs a form once with a `SourceWriter` that writes nothing, to learn before
buffers are planned whether the form applies, writes ``w.out`` and which scratch arrays it
takes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from shared_ops.aval import Aval

from . import emit_layouts
from .source_text import RESERVED, UnsafeSourceError, identifier, literal


@dataclass(eq=False)
class Operand:
    """An expression of the statement being written: its text, its aval when known, and the
    bound name of the C-contiguous array holding it (its *home*, for `emit_layouts`)."""

    text: str
    aval: Aval | None = None
    home: str | None = None
    # The call computing it, while it may still be nested into a later call, and the array
    # that call writes (``out=``), through which the result can be read after the call.
    call: int | None = None
    through: Operand | None = None
    # For a call whose out= is a new array nobody planned: the call without it (NumPy then
    # returns a new array of its own, and the allocation is saved).
    without_out: str | None = None
    # For a view made for one call (a flat view of an out= array): the array it views.
    of: Operand | None = None


@dataclass
class FormPlan:
    """What a form does for one node, learned before buffers are planned."""

    writes_out: bool
    scratch: list[tuple[tuple, np.dtype]] = field(default_factory=list)


_BUFFER_NAME = re.compile(r"_[br]\d+\Z")  # planned buffers and fetched copies (codegen)


def helper_name(fn: Callable, taken) -> str:
    """A closure-local name for a function a form calls: ``_`` and the function's own name
    (``_maximum``; ``_add_reduce`` for ``np.add.reduce``), not in ``taken``, never a buffer's
    or a reserved name (a generated name from `Names` never starts with ``_``)."""
    base = getattr(fn, "__name__", type(fn).__name__)
    owner = getattr(fn, "__self__", None)
    if isinstance(owner, np.ufunc):  # np.add.reduce: the ufunc's name first
        base = f"{owner.__name__}_{base}"
    base = "_" + (re.sub(r"[^A-Za-z0-9_]", "_", base).lstrip("_") or "fn")
    name, k = base, 1
    while name in taken or name in RESERVED or _BUFFER_NAME.match(name):
        k += 1
        name = f"{base}_{k}"
    return identifier(name)


class SourceWriter:
    """The writer a form is given: its calls become the statements assigning ``target``, one a
    line (``finish`` joins them with newlines; the step writes each on its own line).

    ``bind(value, hint)`` binds a constant and returns its name (the step's binder, which
    also makes 0-d scalars ``("scalar", value, dtype)``, views ``("view", name, shape)`` and
    helpers ``("helper", fn)``). ``args``/``in_avals``/``homes``: the inputs' expressions,
    avals and homes; ``values``: inputs known before the step (constants), else None; ``out``:
    the planned buffer's name, or None (then ``w.out`` is a new array, ``_empty``);
    ``scratch``: planned scratch buffers' names, in the order the form asks for them;
    ``overwritten``: the position of the input whose buffer ``out`` is. With ``bind=None``
    the writer only plans (`plan_form`): nothing is bound and the text is thrown away.
    """

    def __init__(self, target: str, attrs: dict, args: list[str], in_avals: list[Aval],
                 out_aval: Aval, bind: Callable | None, *, values: list | None = None,
                 homes: list | None = None, out: str | None = None,
                 scratch: list[str] | None = None, overwritten: int | None = None):
        self.attrs = attrs
        self.in_avals = list(in_avals)
        self.out_aval = out_aval
        self._target = target
        self._bind = bind
        self._values = values or [None] * len(args)
        self._args = [Operand(a, aval, h) for a, aval, h in
                      zip(args, in_avals, homes or [None] * len(args), strict=True)]
        self._out_name = out
        self._out: Operand | None = None
        self._scratch = list(scratch or [])
        self._overwritten = overwritten
        self._statements: list[str | None] = []
        self._calls: list[Operand] = []  # the call of each statement (None for others)
        # The statements that use the unplanned out (a new array, made by `_fresh_out`),
        # each with whether its call is an elementwise ufunc.
        self._fresh_uses: list[tuple[int, bool]] = []
        self.plan = FormPlan(writes_out=False)

    # -- the writer interface of shared_ops.forms ----------------------------------------------
    @property
    def out(self) -> Operand:
        if self._out is None:
            self.plan.writes_out = True
            if self._out_name is not None:
                self._out = Operand(self._out_name, self.out_aval, self._out_name)
            else:  # no planned buffer (a value that leaves the step): a new array
                self._out = Operand(self._target, self.out_aval)
        return self._out

    def arg(self, k: int) -> Operand:
        return self._args[k]

    def value(self, k: int):
        return self._values[k]

    def overwrites(self, k: int) -> bool:
        return self._overwritten == k

    def scalar(self, value, dtype=None) -> Operand:
        dtype = np.dtype(self.out_aval.dtype if dtype is None else dtype)
        if self._bind is None:
            return Operand("_scalar", Aval((), dtype))
        name = self._bind(("scalar", value, dtype), "")
        return Operand(name, Aval((), dtype), name)

    def scratch(self, shape: tuple, dtype) -> Operand:
        aval = Aval(tuple(shape), np.dtype(dtype))
        k = len(self.plan.scratch)
        self.plan.scratch.append((aval.shape, aval.dtype))
        name = self._scratch[k] if k < len(self._scratch) else "_scratch"
        return Operand(name, aval, name)

    def view(self, operand: Operand, shape: tuple) -> Operand:
        shape = tuple(shape)
        if operand.home is not None and self._bind is not None:
            name = self._bind(("view", operand.home, shape), f"{operand.home}_v")
            return Operand(name, Aval(shape, operand.aval.dtype), name)
        return self.call(np.ndarray.reshape, operand, shape)

    def call(self, fn: Callable, *args, **kwargs) -> Operand:
        fn, args, kwargs, nestable = self._layout(fn, list(args), dict(kwargs))
        out = kwargs.pop("out", None)
        if any(self._is_fresh(a) for a in [*args, *kwargs.values(), out]):
            elementwise = isinstance(fn, np.ufunc) and fn.signature is None
            self._fresh_uses.append((len(self._statements), elementwise))
        name = self._helper(fn)
        parts = [self._text(a) for a in args]
        parts += [f"{identifier(k)}={self._text(v)}" for k, v in kwargs.items()]
        result = Operand(f"{name}({', '.join(parts)})")
        if out is not None:
            if self._is_fresh(out) and _result_aval(fn, args) == self.out_aval:
                result.without_out = result.text  # makes an array like out, on its own
            result.text = f"{name}({', '.join([*parts, f'out={self._text(out)}'])})"
            if isinstance(out, Operand):  # what the call writes (not its flat view)
                result.through = out.of if out.of is not None else out
        self._statements.append(result.text)
        self._calls.append(result)
        result.call = len(self._statements) - 1 if nestable else None
        return result

    # -- the statement -------------------------------------------------------------------------
    def finish(self, result) -> str | None:
        """The statement assigning ``result`` (the form's return value) to the target, or
        None when the form declined (NotImplemented)."""
        if result is NotImplemented:
            return None
        if result is self._out and self._statements:
            last = self._calls[-1]  # `target = _add(a, b, out=_b0)`: one assignment
            if last.through is result and last.call == len(self._statements) - 1:
                result = last
        if [k for k, _ in self._fresh_uses] == [len(self._statements) - 1] and \
                isinstance(result, Operand) and result.without_out is not None and \
                result.call == len(self._statements) - 1:
            # The new array is only the out= of the last call: let NumPy make it (a ufunc
            # gives a NumPy scalar for a 0-d result, hence the asarray).
            self._statements[-1] = result.without_out if self.out_aval.shape else \
                f"{self._helper(np.asarray)}({result.without_out})"
            self._fresh_uses = []
            result = Operand(self._statements[-1], call=result.call)
        value = self._text(result)
        if value != self._target:
            self._statements.append(f"{self._target} = {value}")
            self._calls.append(Operand(value))
        self._fresh_out()
        return "\n".join(s for s in self._statements if s is not None)

    def _fresh_out(self) -> None:
        """Make the unplanned out before its first use: the first call that writes it makes
        it (``t = _dot(a, b)``) where that call returns an array of its own and every later
        use is an elementwise ufunc (which takes any memory layout); else ``_empty``."""
        if not self._fresh_uses:
            return
        first = min(k for k, _ in self._fresh_uses)
        maker = self._calls[first]
        if self.out_aval.shape and maker.without_out is not None and \
                self._statements[first] is not None and \
                all(elementwise for k, elementwise in self._fresh_uses if k != first):
            self._statements[first] = f"{self._target} = {maker.without_out}"
            return
        self._statements.insert(first, f"{self._target} = {self._helper(np.empty)}("
                                       f"{literal(tuple(self.out_aval.shape))}, "
                                       f"{self._text(np.dtype(self.out_aval.dtype))})")

    def finish_pair(self, result, targets: tuple[str, str]) -> str | None:
        """As `finish`, for a ``with_grad`` form, whose result is a (value, gradient) pair."""
        if result is NotImplemented:
            return None
        self._statements.append(f"{targets[0]}, {targets[1]} = {self._text(result)}")
        return "\n".join(s for s in self._statements if s is not None)

    # -- helpers -------------------------------------------------------------------------------
    def _is_fresh(self, value) -> bool:
        return value is not None and value is self._out and self._out_name is None

    def _text(self, value) -> str:
        if isinstance(value, Operand):
            k = value.call
            if k is not None and k == len(self._statements) - 1:
                self._statements[k] = None  # nested into the call being written
                value.call = None
                return value.text
            if value.through is not None:
                return value.through.text
            if k is not None:
                raise ValueError(f"out form: the result of {value.text!r} is read after "
                                 "other calls; give it an out= array")
            return value.text
        if _plain(value):
            try:
                return literal(value)
            except UnsafeSourceError:  # nan, inf: bound, never spelled
                pass
        if self._bind is None:
            return "_c"
        return self._bind(value, "dtype" if isinstance(value, np.dtype) else "c")

    def _helper(self, fn: Callable) -> str:
        return self._bind(("helper", fn), "") if self._bind is not None else "_fn"

    def _layout(self, fn, args: list, kwargs: dict):
        """The compiler's cheaper form of a call (see the module docstring); also whether its
        result may be nested into the next call (not when its out= became a flat view: the
        call then returns that view, not the output)."""
        out = kwargs.get("out")
        if self._bind is None:
            return fn, args, kwargs, True
        known = all(isinstance(a, Operand) and a.aval is not None and a.call is None
                    for a in args)
        if fn is np.matmul and known and len(args) == 2 and isinstance(out, Operand) and \
                out.aval is not None and \
                emit_layouts.dot_is_cheaper(args[0].aval, args[1].aval, out.aval):
            return np.dot, args, kwargs, True
        if isinstance(fn, np.ufunc) and fn.signature is None and known and \
                set(kwargs) == {"out"} and isinstance(out, Operand) and out.aval is not None:
            homes = [a.home for a in args] if out.home is not None else None
            texts, into = emit_layouts.ufunc_operands(
                [a.text for a in args], [a.aval for a in args], out.text, out.aval, homes,
                self._bind)
            if into == out.text and texts == [a.text for a in args]:
                return fn, args, kwargs, True
            if into != out.text:  # out= is a flat view (which the call returns) of out
                out = Operand(into, of=out)
            return fn, [Operand(t) for t in texts], {"out": out}, out.of is None
        if fn == np.add.reduce and len(args) == 2 and set(kwargs) <= {"out"} and \
                isinstance(args[0], Operand) and args[0].aval is not None and \
                args[0].call is None:
            return self._reduce_layout(fn, args, kwargs)
        return fn, args, kwargs, True

    def _reduce_layout(self, fn, args: list, kwargs: dict):
        """``np.add.reduce`` as a product with ones, where `emit_layouts` finds it cheaper."""
        (x, axis), out = args, kwargs.get("out")
        if isinstance(axis, int | tuple) and axis in (0, (0,)) and isinstance(out, Operand) \
                and out.aval is not None:
            ones = emit_layouts.leading_ones(x.aval, out.aval, self._bind)
            if ones is not None:  # a bias gradient: ones @ g
                return np.dot, [Operand(ones), x], kwargs, True
        if axis is None and out is None and x.home is not None:
            flat_and_ones = emit_layouts.total_operands(x.home, x.aval, self._bind)
            if flat_and_ones is not None:  # g_flat @ ones
                return np.dot, [Operand(t) for t in flat_and_ones], {}, True
        return fn, args, kwargs, True


def _result_aval(fn, args: list) -> Aval | None:
    """The aval of ``fn(*args)`` made without ``out=``, where it is plain: an elementwise
    ufunc of operands of one dtype (the broadcast shape), a 2-d product; else None."""
    avals = [a.aval if isinstance(a, Operand) else None for a in args]
    if None in avals or len({a.dtype for a in avals}) != 1:
        return None
    if isinstance(fn, np.ufunc) and fn.signature is None and fn.nout == 1 and \
            fn.nin == len(avals):
        try:
            dtype = fn.resolve_dtypes((*(a.dtype for a in avals), None))[-1]
        except (TypeError, ValueError):  # no loop for these dtypes
            return None
        return Aval(np.broadcast_shapes(*(a.shape for a in avals)), dtype)
    if (fn is np.dot or fn is np.matmul) and [len(a.shape) for a in avals] == [2, 2]:
        return Aval((avals[0].shape[0], avals[1].shape[1]), avals[0].dtype)
    return None


def _plain(value) -> bool:
    if value is None or isinstance(value, bool | int | float | str):
        return True
    return isinstance(value, tuple) and all(_plain(v) for v in value)


def plan_form(form, attrs: dict, in_avals: list[Aval], out_aval: Aval,
              values: list | None = None) -> FormPlan | None:
    """Run ``form`` without writing anything: None when it declines, else what it does."""
    w = SourceWriter("_t", attrs, ["_a"] * len(in_avals), in_avals, out_aval, None,
                     values=values)
    if form(w) is NotImplemented:
        return None
    return w.plan
