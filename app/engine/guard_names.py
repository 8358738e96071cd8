"""What a guarded script sees (app/engine/guard.py): the size-checked stand-ins for built-in types and text
methods, and the names the restricted compile's rewrites call (`_tick_`, `_mul_`, `_getattr_`, …)."""

import string
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from RestrictedPython.Guards import safer_getattr

from app.engine.guard import (
    LIMITS,
    ScriptLimitExceeded,
    _base_len,
    _check_printable,
    _tick,
    _too_big,
    format_value,
    guarded_add,
    guarded_format,
    guarded_iter,
    guarded_lshift,
    guarded_mod,
    guarded_mul,
    guarded_pow,
)


def _printable(fn: Callable[[Any], str]) -> Callable[..., str]:
    def guarded(value: Any = "", *args: Any) -> str:
        _check_printable(value)
        return fn(value, *args)

    return guarded


class _CheckedType(type):
    """Stands in for a built-in type in scripts: calling it checks the size of what it copies or prints,
    while isinstance(x, str) and str.upper keep working (they go to the real type)."""

    real: type
    check: Callable[[Any], None]

    def __instancecheck__(cls, obj: Any) -> bool:
        return isinstance(obj, cls.real)

    def __subclasscheck__(cls, sub: type) -> bool:
        return issubclass(sub, cls.real)

    def __getattr__(cls, name: str) -> Any:
        return getattr(cls.real, name)

    def __eq__(cls, other: object) -> bool:  # type(x) == str
        return other is cls or other is cls.real

    def __hash__(cls) -> int:
        return hash(cls.real)

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        if args:
            cls.check(args[0])
        return cls.real(*args, **kwargs)


def _check_copy(source: Any) -> None:
    n = len(source) if isinstance(source, (str, bytes, bytearray, list, tuple, set, frozenset, dict)) else 0
    if n > LIMITS.max_items:
        raise _too_big("长度", n, LIMITS.max_items)


def _checked_copy(items: Any) -> Any:
    _check_copy(items)
    return items


def _checked(real: type, check: Callable[[Any], None]) -> _CheckedType:
    return _CheckedType(real.__name__, (), {"real": real, "check": staticmethod(check)})


def guarded_range(*args: int) -> range:
    r = range(*args)
    if len(r) > LIMITS.max_items:
        raise _too_big("range 长度", len(r), LIMITS.max_items)
    return r


class _SafeFormatter(string.Formatter):
    def format_field(self, value: Any, format_spec: str) -> str:
        return guarded_format(value, format_spec)


def _join(sep: Any, items: Iterable[Any]) -> Any:
    items = list(items)
    bound = LIMITS.max_chars
    total = sum(len(i) for i in items if isinstance(i, (str, bytes, bytearray))) + len(sep) * max(len(items) - 1, 0)
    if total > bound:
        raise _too_big("长度", total, bound)
    return sep.join(items)


def _replace(s: Any, old: Any, new: Any, count: int = -1) -> Any:
    n = s.count(old) if old else len(s) + 1
    n = n if count < 0 else min(n, count)
    total = len(s) + n * (len(new) - len(old))
    if total > LIMITS.max_chars:
        raise _too_big("长度", total, LIMITS.max_chars)
    return s.replace(old, new, count)


def _padded(method: str) -> Callable[..., Any]:
    def pad(s: Any, width: int, *args: Any) -> Any:
        if width > LIMITS.max_chars:
            raise _too_big("长度", width, LIMITS.max_chars)
        return getattr(s, method)(width, *args)

    return pad


def _expandtabs(s: Any, tabsize: int = 8) -> Any:
    total = len(s) + s.count("\t" if isinstance(s, str) else b"\t") * max(tabsize, 0)
    if total > LIMITS.max_chars:
        raise _too_big("长度", total, LIMITS.max_chars)
    return s.expandtabs(tabsize)


def _extend(seq: list, items: Iterable[Any]) -> None:
    n = _base_len(items)
    if n is not None and len(seq) + n > LIMITS.max_items:
        raise _too_big("长度", len(seq) + n, LIMITS.max_items)
    seq.extend(items)


_TEXT_METHODS: dict[str, Callable[..., Any]] = {
    "join": _join,
    "replace": _replace,
    "expandtabs": _expandtabs,
    **{m: _padded(m) for m in ("ljust", "rjust", "center", "zfill")},
}


def guarded_getattr(obj: Any, name: str, *default: Any) -> Any:
    if isinstance(obj, _CheckedType):
        if obj.real in (str, bytes) and name in _TEXT_METHODS:
            return _TEXT_METHODS[name]  # str.join(sep, items): the same check as sep.join(items)
        if obj.real is str and name in ("format", "format_map"):
            raise ScriptLimitExceeded(f"脚本中请写 '…'.{name}(…)，不要写 str.{name}")
        return safer_getattr(obj.real, name, *default)
    if isinstance(obj, (str, bytes, bytearray)) and name in _TEXT_METHODS:
        return partial(_TEXT_METHODS[name], obj)
    if isinstance(obj, str) and name in ("format", "format_map"):
        formatter = _SafeFormatter()
        if name == "format":
            return partial(formatter.format, obj)
        return lambda mapping: formatter.vformat(obj, (), mapping)
    if isinstance(obj, list) and name == "extend":
        return partial(_extend, obj)
    return safer_getattr(obj, name, *default)


_INPLACE: dict[str, Callable[[Any, Any], Any]] = {
    "+=": guarded_add,
    "-=": lambda x, y: x - y,
    "*=": guarded_mul,
    "/=": lambda x, y: x / y,
    "//=": lambda x, y: x // y,
    "%=": guarded_mod,
    "**=": guarded_pow,
    "<<=": guarded_lshift,
    ">>=": lambda x, y: x >> y,
    "&=": lambda x, y: x & y,
    "|=": lambda x, y: x | y,
    "^=": lambda x, y: x ^ y,
}

GUARD_GLOBALS: dict[str, Any] = {
    "_tick_": _tick,
    "_getiter_": guarded_iter,
    "_getattr_": guarded_getattr,
    "_inplacevar_": lambda op, x, y: _INPLACE[op](x, y),
    "_mul_": guarded_mul,
    "_pow_": guarded_pow,
    "_lshift_": guarded_lshift,
    "_add_": guarded_add,
    "_mod_": guarded_mod,
    "_format_value_": format_value,
}
GUARDED_BUILTINS: dict[str, Any] = {
    "pow": guarded_pow,
    "range": guarded_range,
    "format": guarded_format,
    "repr": _printable(repr),
    "str": _checked(str, _check_printable),
    **{t.__name__: _checked(t, _check_copy) for t in (list, set, frozenset, dict)},
    "sorted": lambda items, **kw: sorted(_checked_copy(items), **kw),
}
