"""zeros, ones, empty, rand and randn accept torch's ``size=`` keyword (d2l.ai writes
``torch.randn(size=shape)``), and refuse it together with a positional size as torch does."""
import pytest

import eager

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("name", ["zeros", "ones", "empty", "rand", "randn"])
@pytest.mark.parametrize("size", [(2, 3), [4], ()])
def test_size_keyword_shape(name, size):
    got = getattr(eager, name)(size=size, dtype=eager.float64)
    want = getattr(torch, name)(size=size, dtype=torch.float64)
    assert tuple(got.shape) == tuple(want.shape)
    assert str(got.dtype) == str(want.dtype)


def test_size_keyword_values_follow_the_seed():
    eager.manual_seed(3)
    a = eager.randn(size=(5,))
    eager.manual_seed(3)
    b = eager.randn(5)
    assert eager.equal(a, b)
    assert eager.equal(eager.ones(size=(2,), requires_grad=True), eager.ones(2))


@pytest.mark.parametrize("name", ["zeros", "ones", "randn"])
def test_size_twice_is_a_type_error(name):
    # torch's wording differs between its factories; both name the function and "size"
    with pytest.raises(TypeError, match=rf"^{name}\(\).*size"):
        getattr(torch, name)(2, size=(3,))
    with pytest.raises(TypeError, match=rf"^{name}\(\) got multiple values for argument 'size'"):
        getattr(eager, name)(2, size=(3,))
