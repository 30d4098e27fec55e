"""Tensor methods of autograd: ``backward``, ``requires_grad_``, ``register_hook``,
``register_post_accumulate_grad_hook``, ``retain_grad``, ``detach_``, ``is_inference``.

    >>> import eager
    >>> x = eager.ones(2, requires_grad=True)
    >>> h = x.register_hook(lambda g: g * 2)
    >>> (x * 3).sum().backward()
    >>> x.grad
    tensor([6., 6.])
"""

from __future__ import annotations

import weakref

from . import autograd
from .autograd.custom_backward import output_slot
from .autograd.engine import run_backward
from .autograd.node_hooks import HookHandle


class AutogradMethods:
    """Mixed into `eager.Tensor`."""

    __slots__ = ()

    # --- autograd ---------------------------------------------------------------------------
    def requires_grad_(self, requires_grad: bool = True):
        self.requires_grad = requires_grad
        return self

    def backward(self, gradient=None, retain_graph: bool | None = None,
                 create_graph: bool = False, inputs=None) -> None:
        """Accumulate d(self)/d(leaf) into every leaf's ``.grad`` (see `eager.autograd`)."""
        if inputs is not None or isinstance(gradient, list | tuple):
            autograd.backward(self, gradient, retain_graph, create_graph, inputs=inputs)
            return
        # `autograd.backward`'s common case, straight to the walk (once per training step)
        run_backward((self,), (gradient,),
                     create_graph if retain_graph is None else retain_graph, create_graph)

    def register_hook(self, hook):
        """Call ``hook(grad)`` when this tensor's gradient is computed; a returned tensor
        replaces the gradient. Returns a handle with ``remove()``."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require "
                               "gradient")
        if self.grad_fn is not None:
            node = output_slot(self)  # its own slot when its grad_fn has several outputs
            if node.hooks is None:
                node.hooks = []
            hooks = node.hooks
        else:
            if self._extra is None:
                self._extra = {}
            hooks = self._extra.setdefault("hooks", [])
        hooks.append(hook)
        return HookHandle(hooks, hook)

    def register_post_accumulate_grad_hook(self, hook):
        """Call ``hook(tensor)`` on this leaf after backward has accumulated into its
        ``.grad`` (the hook returns None). Returns a handle with ``remove()``."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require "
                               "gradient")
        if self.grad_fn is not None:
            raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf "
                               "tensors")
        if self._extra is None:
            self._extra = {}
        hooks = self._extra.setdefault("post_accumulate_grad_hooks", [])
        hooks.append(hook)
        return HookHandle(hooks, hook)

    def is_inference(self) -> bool:
        """True for a tensor made inside ``inference_mode()`` (an op's result or a factory's)."""
        return bool(self._extra and self._extra.get("inference"))

    def detach_(self):
        """Cut this tensor off its graph in place: it becomes a leaf that does not require
        grad (a view cannot be, as in PyTorch)."""
        if self._extra and self._extra.get("is_view") and self.grad_fn is not None:
            raise RuntimeError("Can't detach views in-place. Use detach() instead. If you are "
                               "using DistributedDataParallel (DDP) for training, and "
                               "gradient_as_bucket_view is set as True, gradients are views of "
                               "DDP buckets, and hence detach_() cannot be called on these "
                               "gradients. To fix this error, please refer to the "
                               "Optimizer.zero_grad() function in torch/optim/optimizer.py as "
                               "the solution.")
        self.grad_fn = None
        self._requires_grad = False
        if self._extra and ("output_nr" in self._extra or "history" in self._extra):
            # (its earlier grad_fns too: autograd/edges.py keeps them only for the graph)
            self._extra = {k: v for k, v in self._extra.items()
                           if k not in ("output_nr", "history")} or None
        return self

    def retain_grad(self) -> None:
        """Keep ``.grad`` on this non-leaf tensor after backward."""
        if self.grad_fn is None or self.retains_grad:
            return
        ref = weakref.ref(self)

        def keep(grad):
            t = ref()
            if t is not None:  # a private copy: the gradient array may be shared on the tape
                g = grad.detach().clone()
                t.grad = g if t.grad is None else t.grad + g

        self.register_hook(keep)
        self._extra = {**(self._extra or {}), "retains_grad": True}

    @property
    def retains_grad(self) -> bool:
        """True on a non-leaf tensor after ``retain_grad()``."""
        return bool(self._extra and self._extra.get("retains_grad"))


def zero_grads(params, set_to_none: bool = True) -> None:
    """Forget the gradients of ``params`` (default), or zero them in place: the one
    implementation behind `Module.zero_grad` and `Optimizer.zero_grad`."""
    for p in params:
        if p.grad is None:
            continue
        if set_to_none:
            p.grad = None
        elif getattr(type(p.grad), "is_sparse", None) is True:  # eager/sparse: no entries left
            p.grad.zero_()
        else:
            p.grad._data.fill(0)
            p.grad._bump_version()
