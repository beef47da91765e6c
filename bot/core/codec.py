"""Dataclasses to JSON and back, by field name, so a conversation's turn can be kept in the store.

The codec reads the declared types of the fields: nested dataclasses, tuples, lists, dicts, dates
and datetimes are rebuilt from them. A field declared `Any` (or as a union of several
dataclasses) holds a dataclass tagged with its class name, and only classes the codec was told
about are rebuilt. Fields a stored value lacks take their defaults and fields it has that the class
no longer declares are ignored, so adding a field to `Query` or `When` keeps old rows readable; a
value that cannot be rebuilt raises `Undecodable`.
"""
from __future__ import annotations

import dataclasses
import json
import types
import typing
from datetime import date, datetime
from functools import cache
from typing import Any

TAG = "__class__"
SEQUENCES = (tuple, list, set, frozenset)


class Undecodable(ValueError):
    """A stored value that does not fit the declared types."""


@cache
def _hints(cls: type) -> dict[str, Any]:
    """The resolved declared types of a dataclass's fields."""
    return typing.get_type_hints(cls)


def _dataclasses_under(cls: type, found: dict[str, type]) -> None:
    """Every dataclass reachable from `cls` through its fields' declared types, by name."""
    if not dataclasses.is_dataclass(cls) or cls.__qualname__ in found:
        return
    found[cls.__qualname__] = cls
    pending = list(_hints(cls).values())
    while pending:
        hint = pending.pop()
        pending.extend(typing.get_args(hint))
        if isinstance(hint, type):
            _dataclasses_under(hint, found)


class Codec:
    """Encodes and decodes one root dataclass (and the classes its `Any` fields may hold)."""

    def __init__(self, root: type, *held: type) -> None:
        self.root = root
        self.known: dict[str, type] = {}
        for cls in (root, *held):
            _dataclasses_under(cls, self.known)

    def dumps(self, value: Any) -> str:
        """`value` (an instance of the root class) as compact JSON."""
        return json.dumps(self._encode(value, self.root), separators=(",", ":"), ensure_ascii=False)

    def loads(self, text: str) -> Any:
        """The root-class instance `text` holds; raises Undecodable when it does not fit."""
        try:
            return self._decode(json.loads(text), self.root)
        except (ValueError, TypeError, KeyError) as error:
            raise Undecodable(str(error)) from error

    # --- encoding -----------------------------------------------------------------------------
    def _encode(self, value: Any, hint: Any) -> Any:
        if value is None or isinstance(value, (bool, str)):
            return value
        if isinstance(value, (int, float)):
            return value
        if hasattr(value, "item") and not dataclasses.is_dataclass(value):  # numpy scalars
            return value.item()
        if isinstance(value, (date, datetime)):
            return value.isoformat() if _declares(hint, type(value)) else {TAG: type(value).__name__, "iso": value.isoformat()}
        if dataclasses.is_dataclass(value):
            fields = {f.name: self._encode(getattr(value, f.name), _hints(type(value))[f.name])
                      for f in dataclasses.fields(value)}
            if not _declares(hint, type(value)) or _dataclass_choices(hint) != [type(value)]:
                fields[TAG] = type(value).__qualname__
            return fields
        if isinstance(value, (tuple, list, set, frozenset)):
            item = _item_hint(hint)
            return [self._encode(element, item) for element in value]
        if isinstance(value, dict):
            item = _value_hint(hint)
            return {str(key): self._encode(element, item) for key, element in value.items()}
        raise TypeError(f"cannot keep a {type(value).__name__} in a conversation turn")

    # --- decoding -----------------------------------------------------------------------------
    def _decode(self, data: Any, hint: Any) -> Any:
        if hint is Any or hint is object:
            return self._decode_tagged(data)
        origin = typing.get_origin(hint)
        if origin in (typing.Union, types.UnionType):
            return self._decode_union(data, typing.get_args(hint))
        if data is None:
            if hint is type(None):
                return None
            raise Undecodable(f"null where a {hint} was expected")
        if origin in SEQUENCES:
            if not isinstance(data, list):
                raise Undecodable(f"expected a list for {hint}")
            args = typing.get_args(hint)
            if origin is tuple and args and args[-1] is not Ellipsis:
                return tuple(self._decode(element, arg) for element, arg in zip(data, args, strict=True))
            item = args[0] if args else Any
            return origin(self._decode(element, item) for element in data)
        if origin is dict:
            value_hint = typing.get_args(hint)[1] if typing.get_args(hint) else Any
            return {key: self._decode(element, value_hint) for key, element in _object(data).items()}
        if dataclasses.is_dataclass(hint):
            return self._decode_dataclass(_object(data), hint)
        return _decode_scalar(data, hint)

    def _decode_union(self, data: Any, choices: tuple[Any, ...]) -> Any:
        if data is None and type(None) in choices:
            return None
        classes = [choice for choice in choices if dataclasses.is_dataclass(choice)]
        if isinstance(data, dict) and TAG in data:
            return self._decode_tagged(data)
        if len(classes) == 1 and isinstance(data, dict):
            return self._decode_dataclass(data, classes[0])
        for choice in choices:
            if choice is type(None):
                continue
            try:
                return self._decode(data, choice)
            except (Undecodable, ValueError, TypeError):
                continue
        raise Undecodable(f"{data!r} fits none of {choices}")

    def _decode_tagged(self, data: Any) -> Any:
        if not isinstance(data, dict):
            if isinstance(data, list):
                return tuple(self._decode_tagged(element) for element in data)
            return data
        name = data.get(TAG)
        if name in ("date", "datetime"):
            return (datetime if name == "datetime" else date).fromisoformat(data["iso"])
        if name not in self.known:
            raise Undecodable(f"unknown kept class {name!r}")
        return self._decode_dataclass(data, self.known[name])

    def _decode_dataclass(self, data: dict[str, Any], cls: type) -> Any:
        hints = _hints(cls)
        values = {f.name: self._decode(data[f.name], hints[f.name])
                  for f in dataclasses.fields(cls) if f.init and f.name in data}
        return cls(**values)


def _object(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise Undecodable("expected an object")
    return data


def _declares(hint: Any, cls: type) -> bool:
    """True when `hint` is `cls` or a union naming it."""
    return hint is cls or cls in typing.get_args(hint)


def _dataclass_choices(hint: Any) -> list[type]:
    if dataclasses.is_dataclass(hint):
        return [hint]
    return [arg for arg in typing.get_args(hint) if dataclasses.is_dataclass(arg)]


def _item_hint(hint: Any) -> Any:
    """The declared type of a sequence's items (of the sequence in an optional one)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return next((_item_hint(arg) for arg in args if typing.get_origin(arg) in SEQUENCES), Any)
    return args[0] if origin in SEQUENCES and args else Any


def _value_hint(hint: Any) -> Any:
    args = typing.get_args(hint)
    return args[1] if typing.get_origin(hint) is dict and len(args) == 2 else Any


def _decode_scalar(data: Any, hint: Any) -> Any:
    """A JSON scalar as the declared type (an int is a fine float; a bool is not an int)."""
    if hint is float and isinstance(data, (int, float)) and not isinstance(data, bool):
        return float(data)
    if hint is datetime and isinstance(data, str):
        return datetime.fromisoformat(data)
    if hint is date and isinstance(data, str):
        return date.fromisoformat(data)
    if hint in (str, bool) and type(data) is hint:
        return data
    if hint is int and isinstance(data, int) and not isinstance(data, bool):
        return data
    raise Undecodable(f"{data!r} is not a {getattr(hint, '__name__', hint)}")
