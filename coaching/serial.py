"""Turning the pipeline's frozen dataclasses into plain JSON data and back.

Every stage hands on frozen dataclasses; these two functions are the only
place that knows how they map onto JSON, so no stage builds dicts by hand.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date, datetime
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")

FLOAT_DIGITS = 4


def to_plain(value: Any) -> Any:
    """Dataclasses, tuples and mappings as JSON-ready dicts, lists and scalars."""
    if isinstance(value, Serializable) and _own_mapping(type(value), "to_dict"):
        return value.to_dict()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _fields_plain(value)
    if isinstance(value, (list, tuple)):
        return [to_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): to_plain(item) for key, item in value.items()}
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, FLOAT_DIGITS) if value == value else None
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return to_plain(value.item())
    return value


def _fields_plain(value: Any) -> dict[str, Any]:
    return {
        field.name: to_plain(getattr(value, field.name))
        for field in dataclasses.fields(value)
        if field.metadata.get("serialize", True)
    }


class Serializable:
    """Mixin giving a frozen dataclass ``to_dict`` and ``from_dict``."""

    def to_dict(self) -> dict[str, Any]:
        return _fields_plain(self)

    @classmethod
    def from_dict(cls: type[T], data: dict[str, Any]) -> T:
        return from_plain(cls, data)


@cache
def _own_mapping(cls: Any, method: str) -> bool:
    """``cls`` maps itself to plain data its own way (overrides Serializable's ``method``)."""
    if not (isinstance(cls, type) and issubclass(cls, Serializable)):
        return False
    mine, base = getattr(cls, method), getattr(Serializable, method)
    return getattr(mine, "__func__", mine) is not getattr(base, "__func__", base)


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_plain(cls: type[T], data: Any) -> T:
    """Rebuild a dataclass (recursively) from what :func:`to_plain` produced.

    Unknown keys are ignored so that newer reports still load in older code.
    """
    hints = _hints(cls)
    kwargs = {}
    for field in dataclasses.fields(cls):
        if not field.init or field.name not in data:
            continue
        kwargs[field.name] = _convert(hints[field.name], data[field.name])
    return cls(**kwargs)


def _convert(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        concrete = [arg for arg in args if arg is not type(None)]
        return _convert(concrete[0], value) if len(concrete) == 1 else value
    if _own_mapping(hint, "from_dict"):
        return hint.from_dict(value)
    if dataclasses.is_dataclass(hint):
        return from_plain(hint, value)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_convert(args[0], item) for item in value)
        return tuple(_convert(arg, item) for arg, item in zip(args, value, strict=True))
    if origin is dict:
        return {key: _convert(args[1], item) for key, item in value.items()}
    if hint is float and isinstance(value, int):
        return float(value)
    return value
