"""`Distribution`, the base of every distribution: shapes, argument and sample validation,
``sample`` from ``rsample``, and PyTorch's printing and error messages."""

from __future__ import annotations

import warnings
from typing import Any

import eager

from . import constraints
from .utils import lazy_property


class Distribution:
    """A batch of probability distributions over events of ``event_shape``, as
    ``torch.distributions.Distribution``. Subclasses give ``arg_constraints``, ``support`` and
    the methods they can compute; the others raise NotImplementedError."""

    has_rsample = False
    has_enumerate_support = False
    _validate_args = __debug__
    arg_constraints: dict[str, constraints.Constraint] = {}

    @staticmethod
    def set_default_validate_args(value: bool) -> None:
        """Whether distributions check their arguments and samples by default (True)."""
        if value not in (True, False):
            raise ValueError
        Distribution._validate_args = value

    def __init__(self, batch_shape: tuple = (), event_shape: tuple = (),
                 validate_args: bool | None = None) -> None:
        self._batch_shape, self._event_shape = eager.Size(batch_shape), eager.Size(event_shape)
        if validate_args is not None:
            self._validate_args = validate_args
        if self._validate_args:
            self._check_arguments()

    def _check_arguments(self) -> None:
        for param, constraint in self.arg_constraints.items():
            if constraints.is_dependent(constraint):
                continue
            if param not in self.__dict__ and isinstance(getattr(type(self), param, None),
                                                         lazy_property):
                continue  # not made yet: computed from a checked parameter
            value = getattr(self, param)
            if not bool(constraint.check(value).all()):
                raise ValueError(f"Expected parameter {param} ({type(value).__name__} of shape "
                                 f"{tuple(value.shape)}) of distribution {self!r} to satisfy "
                                 f"the constraint {constraint!r}, but found invalid values:\n"
                                 f"{value}")

    @property
    def batch_shape(self) -> eager.Size:
        """The shape over which parameters are batched."""
        return self._batch_shape

    @property
    def event_shape(self) -> eager.Size:
        """The shape of one sample (without batching)."""
        return self._event_shape

    @property
    def support(self) -> Any:
        raise NotImplementedError

    @property
    def mean(self) -> Any:
        raise NotImplementedError

    @property
    def mode(self) -> Any:
        raise NotImplementedError(f"{self.__class__} does not implement mode")

    @property
    def variance(self) -> Any:
        raise NotImplementedError

    @property
    def stddev(self) -> Any:
        """The standard deviation."""
        return self.variance.sqrt()

    def sample(self, sample_shape: tuple = ()) -> Any:
        """A sample (``sample_shape`` of them) without gradient."""
        with eager.no_grad():
            return self.rsample(sample_shape)

    def rsample(self, sample_shape: tuple = ()) -> Any:
        raise NotImplementedError

    def log_prob(self, value: Any) -> Any:
        raise NotImplementedError

    def cdf(self, value: Any) -> Any:
        raise NotImplementedError

    def icdf(self, value: Any) -> Any:
        raise NotImplementedError

    def entropy(self) -> Any:
        raise NotImplementedError

    def enumerate_support(self, expand: bool = True) -> Any:
        raise NotImplementedError

    def perplexity(self) -> Any:
        """``exp(entropy)``."""
        return eager.exp(self.entropy())

    def expand(self, batch_shape: tuple, _instance: Any = None) -> Distribution:
        """This distribution over a larger ``batch_shape`` (its parameters expanded, no copy):
        each Tensor or sub-distribution whose leading dims are the batch shape is broadcast to
        the new one; subclasses with other layouts override `_expand_into`."""
        new = self._get_checked_instance(library_class(type(self)), _instance)
        batch_shape = eager.Size(batch_shape)
        self._expand_into(new, batch_shape)
        Distribution.__init__(new, batch_shape, self._event_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    def _expand_into(self, new: Distribution, batch_shape: eager.Size) -> None:
        # Attributes a subclass's expand already set on ``new`` (PyTorch's pattern: set, then
        # super().expand(batch_shape, _instance=new)) are kept; the others are copied over,
        # broadcast when their leading dims are the batch shape.
        old = tuple(self._batch_shape)
        preset = set(new.__dict__)
        for name, value in self.__dict__.items():
            if name in preset:
                continue
            new.__dict__[name] = value
            if name in self._expand_keep:
                continue
            if isinstance(value, eager.Tensor) and tuple(value.shape[:len(old)]) == old:
                new.__dict__[name] = value.expand(tuple(batch_shape)
                                                  + tuple(value.shape[len(old):]))
            elif (isinstance(value, Distribution)
                  and tuple(value.batch_shape[:len(old)]) == old):
                new.__dict__[name] = value.expand(tuple(batch_shape)
                                                  + tuple(value.batch_shape[len(old):]))

    _expand_keep: tuple = ()  # attributes kept unbroadcast by expand

    def _get_checked_instance(self, cls: type, _instance: Any = None) -> Any:
        if _instance is None and type(self).__init__ != cls.__init__:
            raise NotImplementedError(f"Subclass {self.__class__.__name__} of {cls.__name__} "
                                      "that defines a custom __init__ method must also define "
                                      "a custom .expand() method.")
        return self.__new__(type(self)) if _instance is None else _instance

    def sample_n(self, n: int) -> Any:
        """``n`` samples (deprecated in PyTorch for ``sample((n,))``)."""
        warnings.warn("sample_n will be deprecated. Use .sample((n,)) instead", UserWarning,
                      stacklevel=2)
        return self.sample(eager.Size((n,)))

    def _extended_shape(self, sample_shape: tuple = ()) -> eager.Size:
        return eager.Size(tuple(sample_shape) + tuple(self._batch_shape)
                          + tuple(self._event_shape))

    def _validate_sample(self, value: Any) -> None:
        if not isinstance(value, eager.Tensor):
            raise ValueError("The value argument to log_prob must be a Tensor")
        event_dim_start = value.dim() - len(self._event_shape)
        if value.size()[event_dim_start:] != self._event_shape:
            raise ValueError(f"The right-most size of value must match event_shape: "
                             f"{value.size()} vs {self._event_shape}.")
        actual, expected = value.size(), self._batch_shape + self._event_shape
        for i, j in zip(reversed(actual), reversed(expected), strict=False):
            if i != 1 and j != 1 and i != j:
                raise ValueError(f"Value is not broadcastable with batch_shape+event_shape: "
                                 f"{actual} vs {expected}.")
        try:
            support = self.support
        except NotImplementedError:
            warnings.warn(f"{self.__class__} does not define `support` to enable sample "
                          "validation. Please initialize the distribution with "
                          "`validate_args=False` to turn off validation.", stacklevel=3)
            return
        if not bool(support.check(value).all()):
            raise ValueError(f"Expected value argument ({type(value).__name__} of shape "
                             f"{tuple(value.shape)}) to be within the support ({support!r}) of "
                             f"the distribution {self!r}, but found invalid values:\n{value}")

    def __repr__(self) -> str:
        names = [k for k in self.arg_constraints if k in self.__dict__]
        args = ", ".join(f"{p}: {self.__dict__[p] if self.__dict__[p].numel() == 1 else self.__dict__[p].size()}"  # noqa: E501
                         for p in names)
        return f"{self.__class__.__name__}({args})"


def library_class(cls: type) -> type:
    """The nearest class of eager's own in ``cls``'s MRO (a user subclass with a custom
    ``__init__`` must define its own ``expand``, as PyTorch asks)."""
    for klass in cls.__mro__:
        if klass.__module__.startswith("eager.distributions"):
            return klass
    return Distribution


__all__ = ["Distribution", "library_class"]
