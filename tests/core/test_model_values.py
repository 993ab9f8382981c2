"""The core's values compare, hash and show themselves exactly as the methods that
``@dataclass(frozen=True)`` generates would (they share one implementation instead:
see ``factcheck.values.Value``), checked against a class made that way."""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factcheck import models
from factcheck.values import Value

VALUES = [
    cls
    for _name, cls in inspect.getmembers(models, inspect.isclass)
    if dataclasses.is_dataclass(cls) and cls.__module__ == models.__name__
]


def _generated(cls: type) -> type:
    """The same fields in a class with the methods ``@dataclass(frozen=True)`` makes."""
    specs = [(f.name, Any, f) for f in dataclasses.fields(cls)]
    made = dataclasses.make_dataclass(cls.__name__, specs, frozen=True)
    made.__qualname__ = cls.__qualname__
    return made


def _as(made: type, value: Any) -> Any:
    return made(**{f.name: getattr(value, f.name) for f in dataclasses.fields(value)})


def test_every_value_of_the_core_is_covered() -> None:
    assert len(VALUES) == 14
    assert all(issubclass(cls, Value) for cls in VALUES)


@pytest.mark.parametrize("cls", VALUES, ids=lambda cls: cls.__name__)
@given(data=st.data())
def test_equality_hash_and_repr_are_the_generated_ones(cls: type, data: st.DataObject) -> None:
    made = _generated(cls)
    one, two = data.draw(st.builds(cls)), data.draw(st.builds(cls))
    assert repr(one) == repr(_as(made, one))
    assert hash(one) == hash(_as(made, one))
    assert (one == two) is (_as(made, one) == _as(made, two))
    copy = dataclasses.replace(one)
    assert copy == one and hash(copy) == hash(one)
    assert (copy != one) is False
    # Fields without ``compare`` (an article's load warnings) are left out of both.
    uncompared = [f.name for f in dataclasses.fields(cls) if not f.compare]
    for name in uncompared:
        other = dataclasses.replace(one, **{name: (*getattr(one, name), "another")})
        assert other == one and hash(other) == hash(one)
        assert (_as(made, other) == _as(made, one)) is True
    # Never equal to another class, even with the same fields (NotImplemented first).
    assert one.__eq__(_as(made, one)) is NotImplemented
    assert one != _as(made, one)
