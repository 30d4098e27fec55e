"""Whole ``nn.Module`` s in a checkpoint: written as a record, rebuilt from an allow-list.

A module is stored as a call of the global ``eager.serialization rebuild_module`` with two
arguments: its class's qualified name (``eager.nn.linear.Linear``) and its state, a dict of
``training``, ``parameters``, ``buffers`` (and which are ``non_persistent``), ``modules``
(children, recursively records) and ``attributes`` (the plain values of the instance:
numbers, strings, tuples... and functions of ``eager.nn.functional``, stored by name).

Loading looks the class name up in the allow-list, never imports it: the project's own
``eager.*`` Module classes (with ``weights_only=False``) and the classes registered with
`add_safe_globals`. The instance is made without calling its ``__init__`` (``Module.__init__``
only, then the stored state), so no constructor runs with values from the file. A name not
on the list is an error naming the class.
"""

from __future__ import annotations

from collections import OrderedDict

from .pickle_reader import UnsafePickleError
from .pickle_writer import PickleWriter, UnsupportedValue

_SAFE: dict[str, type] = {}
# Instance state that Module.__init__ makes (and the registries mirror): not an attribute.
_OWN = {"_parameters", "_buffers", "_non_persistent_buffers", "_modules", "_forward_hooks",
        "_forward_pre_hooks", "training"}


def _module_class() -> type:
    from ..nn.module import Module  # eager.nn loads on first use (eager/__init__.py)

    return Module


def _functional() -> dict:
    from ..nn import functional

    return {name: fn for name, fn in vars(functional).items()
            if callable(fn) and not name.startswith("_") and
            getattr(fn, "__module__", "").startswith("eager.")}


def qualified_name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def add_safe_globals(classes: list) -> None:
    """Allow ``eager.load`` to rebuild Modules of these classes (PyTorch's
    ``torch.serialization.add_safe_globals``)."""
    module = _module_class()
    for cls in classes:
        if not (isinstance(cls, type) and issubclass(cls, module)):
            raise TypeError(f"add_safe_globals: {cls!r} is not an eager.nn.Module subclass "
                            "(only Modules are rebuilt by name)")
        _SAFE[qualified_name(cls)] = cls


def get_safe_globals() -> list:
    """The classes registered with `add_safe_globals`."""
    return list(_SAFE.values())


def clear_safe_globals() -> None:
    """Forget every class registered with `add_safe_globals`."""
    _SAFE.clear()


def _project_classes() -> dict[str, type]:
    found, stack = {}, [_module_class()]
    while stack:
        cls = stack.pop()
        if cls.__module__.startswith("eager."):
            found[qualified_name(cls)] = cls
        stack.extend(cls.__subclasses__())
    return found


# --- writing -----------------------------------------------------------------------------------

def write_other(w: PickleWriter, emit, value) -> bool:
    """Write a Module record or an ``eager.nn.functional`` function; False for anything else."""
    if isinstance(value, _module_class()):
        _write_module(w, emit, value)
        return True
    if callable(value):
        name = getattr(value, "__name__", None)
        if name is not None and _functional().get(name) is value:
            w.global_("eager.serialization", "rebuild_function")
            w.mark()
            w.string(name)
            w.tuple_end()
            w.reduce()
            return True
    return False


def _write_module(w: PickleWriter, emit, m) -> None:
    cls_name = qualified_name(type(m))
    if m._forward_hooks or m._forward_pre_hooks:
        raise UnsupportedValue(f"{cls_name} has forward hooks, which a checkpoint cannot hold "
                               "(remove them before saving)")
    attributes = {}
    mirrored = set(m._parameters) | set(m._buffers) | set(m._modules)
    for k, v in vars(m).items():
        if k not in _OWN and k not in mirrored:
            attributes[k] = v
    state = {"training": bool(m.training),
             "parameters": OrderedDict(m._parameters), "buffers": OrderedDict(m._buffers),
             "non_persistent": sorted(m._non_persistent_buffers),
             "modules": OrderedDict(m._modules), "attributes": attributes}
    w.global_("eager.serialization", "rebuild_module")
    w.mark()
    w.string(cls_name)
    try:
        w.value(state, emit)
    except UnsupportedValue as e:
        raise UnsupportedValue(f"{e} (in a {cls_name} module)") from None
    w.tuple_end()
    w.reduce()


# --- reading -----------------------------------------------------------------------------------

def module_globals(weights_only: bool) -> dict:
    """The globals for loading Modules: ``rebuild_module`` bound to the allow-list."""
    allowed = dict(_SAFE) if weights_only else {**_project_classes(), **_SAFE}

    def rebuild_module(name, state):
        cls = allowed.get(name) if isinstance(name, str) else None
        if cls is None:
            hint = " (pass weights_only=False to rebuild eager's own Module classes)" \
                if weights_only and name in _project_classes() else \
                " (register the class with eager.serialization.add_safe_globals)"
            raise UnsafePickleError(f"the Module class {name!r:.120} is not on the allow-list"
                                    f"{hint}")
        return _rebuild(cls, state)

    functional = _functional()

    def rebuild_function(name):
        fn = functional.get(name) if isinstance(name, str) else None
        if fn is None:
            raise UnsafePickleError(f"{name!r:.80} is not a function of eager.nn.functional")
        return fn

    return {"eager.serialization rebuild_module": rebuild_module,
            "eager.serialization rebuild_function": rebuild_function}


def _rebuild(cls: type, state):
    module = _module_class()
    keys = {"training", "parameters", "buffers", "non_persistent", "modules", "attributes"}
    if not (isinstance(state, dict) and set(state) == keys):
        raise UnsafePickleError(f"the state of a {cls.__name__} is not a module record")
    obj = cls.__new__(cls)
    module.__init__(obj)  # the base tables only: the class's own __init__ does not run
    if not isinstance(state["training"], bool):
        raise UnsafePickleError(f"a {cls.__name__}'s training flag is not a bool")
    object.__setattr__(obj, "training", state["training"])
    for table in ("parameters", "buffers", "modules", "attributes"):
        if not isinstance(state[table], dict) or not all(isinstance(k, str)
                                                         for k in state[table]):
            raise UnsafePickleError(f"a {cls.__name__}'s {table} are not a dict by name")
    non_persistent = state["non_persistent"]
    if not (isinstance(non_persistent, list) and all(isinstance(n, str) for n in non_persistent)):
        raise UnsafePickleError(f"a {cls.__name__}'s non_persistent names are not strings")
    try:
        for name, p in state["parameters"].items():
            obj.register_parameter(name, p)
        for name, b in state["buffers"].items():
            obj.register_buffer(name, b, persistent=name not in non_persistent)
        for name, child in state["modules"].items():
            if child is not None and not isinstance(child, module):
                raise TypeError(f"child {name!r} is a {type(child).__name__}")
            obj.add_module(name, child)
    except (TypeError, KeyError, AttributeError) as e:
        raise UnsafePickleError(f"a {cls.__name__} record does not rebuild: {e}") from None
    for name, value in state["attributes"].items():
        if not name.isidentifier() or name.startswith("__") or name in _OWN:
            raise UnsafePickleError(f"a {cls.__name__} attribute is named {name!r:.60}")
        object.__setattr__(obj, name, value)
    return obj
