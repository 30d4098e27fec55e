"""`ScriptModule` and the Modules `jit.script` and `jit.trace` return, as PyTorch prints and
uses them: a mirror of the original Module (the same Parameter and buffer objects, so
``state_dict()``, ``parameters()`` and optimizers see the original's), with a mirror per
submodule, printed with ``original_name=`` as PyTorch's. Attributes the mirror lacks are read
from the original Module (its own attributes and methods).

    >>> import eager
    >>> print(ScriptedModule(eager.nn.Sequential(eager.nn.Linear(2, 2))))
    RecursiveScriptModule(
      original_name=Sequential
      (0): RecursiveScriptModule(original_name=Linear)
    )
"""

from __future__ import annotations

import inspect
import os
import textwrap
from typing import Any

from ..nn.module import Module
from .markers import Attribute


class ScriptModule(Module):
    """``torch.jit.ScriptModule``: a Module with ``graph``, ``code`` and ``save``. Subclassing
    it directly gives an ordinary Module whose methods run as Python (a `jit.Attribute`
    assigned to it stores its value, as PyTorch's)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, Attribute):
            value = value.value
        super().__setattr__(name, value)

    @property
    def graph(self) -> Any:
        raise RuntimeError(f"{self._get_name()}: no graph here: only modules made by "
                           "jit.trace are recorded as graphs (jit.script runs the Python code)")

    @property
    def code(self) -> str:
        return self.graph  # raises the same error

    def save(self, f: str | os.PathLike, _extra_files: Any = None) -> None:
        raise RuntimeError(f"{self._get_name()}.save: only a module made by jit.trace can be "
                           "saved (as its graph: data, not code); a scripted module runs its "
                           "Python code, which is never written to a file here")


class MirrorModule(ScriptModule):
    """A ScriptModule standing for ``original`` (see the module docstring)."""

    def __init__(self, original: Module) -> None:
        super().__init__()
        for name, param in original.named_parameters(recurse=False):
            self.register_parameter(name, param)
        kept = set(original.state_dict(keep_vars=True))  # non-persistent buffers are not
        for name, buffer in original.named_buffers(recurse=False):
            self.register_buffer(name, buffer, persistent=name in kept)
        for name, child in original.named_children():
            self.add_module(name, type(self).child_class(child))
        object.__setattr__(self, "training", original.training)
        # Last: from here on, names the mirror lacks are read from the original.
        self.__dict__["_original"] = original

    @staticmethod
    def child_class(child: Module) -> MirrorModule:
        raise NotImplementedError  # each kind of mirror names its children's kind

    @property
    def original_name(self) -> str:
        return type(self.__dict__["_original"]).__name__

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        return self.__dict__["_original"](*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        try:
            return super().__getattr__(name)
        except AttributeError:
            original = self.__dict__.get("_original")
            if original is None:
                raise
            return getattr(original, name)

    def train(self, mode: bool = True) -> MirrorModule:
        super().train(mode)
        self.__dict__["_original"].train(mode)
        return self

    def extra_repr(self) -> str:
        return f"original_name={self.original_name}"


class ScriptedModule(MirrorModule):
    """What ``jit.script(module)`` returns (PyTorch's RecursiveScriptModule). It runs the
    original Module's Python code: nothing is compiled, and ``code`` is that Python source."""

    @staticmethod
    def child_class(child: Module) -> MirrorModule:
        return ScriptedModule(child)

    def _get_name(self) -> str:
        return "RecursiveScriptModule"

    @property
    def code(self) -> str:
        """The source of the original's ``forward`` (the Python that runs)."""
        forward = type(self.__dict__["_original"]).forward
        try:
            return textwrap.dedent(inspect.getsource(forward))
        except (OSError, TypeError) as e:
            raise RuntimeError(f"{self.original_name}.forward: no source to show ({e})") \
                from None


class ScriptFunction:
    """What ``jit.script(function)`` returns: calls the function (nothing is compiled);
    ``code`` is its Python source."""

    def __init__(self, fn: Any) -> None:
        self._fn = fn
        self.name = getattr(fn, "__name__", type(fn).__name__)
        self.__doc__ = getattr(fn, "__doc__", None)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._fn(*args, **kwargs)

    @property
    def code(self) -> str:
        try:
            return textwrap.dedent(inspect.getsource(self._fn))
        except (OSError, TypeError) as e:
            raise RuntimeError(f"{self.name}: no source to show ({e})") from None

    @property
    def graph(self) -> Any:
        raise RuntimeError(f"{self.name}: no graph here: only functions made by jit.trace are "
                           "recorded as graphs (jit.script runs the Python code)")

    def save(self, f: str | os.PathLike, _extra_files: Any = None) -> None:
        raise RuntimeError(f"{self.name}.save: only a function made by jit.trace can be saved")

    def __repr__(self) -> str:
        return f"<eager.jit.ScriptFunction object {self.name}>"


__all__ = ["MirrorModule", "ScriptFunction", "ScriptModule", "ScriptedModule"]
