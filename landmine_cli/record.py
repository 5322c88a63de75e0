"""`Record`: the base of every record class in the package (a leaf module).

`class Source(Record): id: str ...` makes an immutable named tuple with those fields,
defaults and methods, as `typing.NamedTuple` does, but without turning each annotation
into a `ForwardRef` when the class is created: with string annotations
(`from __future__ import annotations`) typing compiles every one of them, which cost about
4 ms of every start for the fact base's records alone. The annotations are kept as
written, so pydantic and `typing.get_type_hints` read them (in the class's module) when
they are needed, on the cold path.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

_NOT_FIELDS = frozenset({"__module__", "__qualname__", "__annotations__"})


class _RecordType(type):
    """Builds each `Record` subclass as a plain `collections.namedtuple` (see the module's
    docstring). Raises TypeError for a field without a default after one with a default."""

    def __new__(mcs, name: str, bases: tuple, ns: dict[str, Any]) -> Any:
        if not bases:  # Record itself
            return super().__new__(mcs, name, bases, ns)
        fields = ns.get("__annotations__", {})
        defaults = []
        for field in fields:
            if field in ns:
                defaults.append(ns[field])
            elif defaults:
                raise TypeError(f"{name}: field {field!r} without a default follows one with a default")
        cls = namedtuple(name, fields, defaults=defaults, module=ns["__module__"])
        cls.__annotations__ = dict(fields)
        for key, value in ns.items():
            if key not in fields and key not in _NOT_FIELDS:
                setattr(cls, key, value)
        return cls


class Record(metaclass=_RecordType):
    """Base of every record class: `class Source(Record): id: Line ...` makes an
    immutable named tuple with those fields, defaults and methods (see _RecordType)."""
