"""The script budget: a wall-clock deadline per engine run and size bounds, compiled into the code itself.

Scripts, gateway conditions and DMN cells run in-process, so a signal cannot stop one C-level operation and
a memory limit would kill the worker. Instead the restricted compile rewrites the code: every loop turn,
comprehension item and function call checks the deadline (`_tick_`), and the operations that can build a
huge result in one C call (`**`, `*`, `<<`, `+`, `%`, f-string formats, `range`, `pow`, `str.join`, …)
first compute the size of their result and refuse it beyond the bound. What stays unguarded is work on
data that is already within the bounds (e.g. comparing two 10**6-item lists); see the README.
"""

import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any


class ScriptLimitExceeded(Exception):
    """A script, condition or DMN cell ran past its time budget or would have built a result over the bound."""


@dataclass
class Limits:
    seconds: float = 1.0  # wall time per engine run (one start / completion / message / timer firing)
    max_items: int = 1_000_000  # elements of one list, tuple or range
    max_chars: int = 10_000_000  # characters of one string (bytes alike), and the rough size of anything printed
    max_int_bits: int = 1_000_000  # about 301,000 decimal digits


LIMITS = Limits()
_state = threading.local()


@contextmanager
def script_budget() -> Iterator[None]:
    """Start the deadline unless one runs already: an engine run's scripts share one budget."""
    if getattr(_state, "deadline", None) is not None:
        yield
        return
    _state.deadline = time.monotonic() + LIMITS.seconds
    try:
        yield
    finally:
        _state.deadline = None


def _tick() -> None:
    deadline = getattr(_state, "deadline", None)
    if deadline is not None and time.monotonic() > deadline:
        raise ScriptLimitExceeded(f"脚本运行超过 {LIMITS.seconds:g} 秒的时限（可能是死循环）")


def _too_big(what: str, size: int, bound: int) -> ScriptLimitExceeded:
    return ScriptLimitExceeded(f"脚本结果过大：{what} {size:,}，上限 {bound:,}")


def _base_len(x: Any) -> int | None:
    """Length as the built-in type sees it (a subclass may not lie through __len__)."""
    for base in (str, bytes, bytearray, list, tuple):
        if isinstance(x, base):
            return base.__len__(x)  # type: ignore[arg-type]
    return None


def _footprint(x: Any, limit: int) -> int:
    """Rough size of `x` printed or repeated (characters of strings, one per other element); stops past limit."""
    total, stack, popped = 0, [x], 0
    while stack and total <= limit:
        item = stack.pop()
        popped += 1
        if not popped & 0xFFF:
            _tick()  # a walk over a large structure counts against the deadline too
        if isinstance(item, (str, bytes, bytearray)):
            total += len(item)
        elif isinstance(item, (list, tuple, set, frozenset, dict)):
            total += len(item)
            if total <= limit:
                stack.extend(item.values() if isinstance(item, dict) else item)
                if isinstance(item, dict):
                    stack.extend(item.keys())
        else:
            total += 1
    return total


def _check_printable(value: Any) -> None:
    size = _footprint(value, LIMITS.max_chars)
    if size > LIMITS.max_chars:
        raise ScriptLimitExceeded(f"脚本结果过大：要输出的内容超过上限 {LIMITS.max_chars:,} 个字符")


def _check_sequence(seq: Any, times: int) -> None:
    n = _base_len(seq)
    if n is None or times <= 0:
        return
    is_text = isinstance(seq, (str, bytes, bytearray))
    bound = LIMITS.max_chars if is_text else LIMITS.max_items
    if n * times > bound:
        raise _too_big("长度", n * times, bound)
    if not is_text and times * _footprint(seq, LIMITS.max_chars // times) > LIMITS.max_chars:
        raise ScriptLimitExceeded(f"脚本结果过大：重复 {times:,} 次后内容超过上限 {LIMITS.max_chars:,}")


def _check_int_bits(bits: int) -> None:
    if bits > LIMITS.max_int_bits:
        raise _too_big("整数位数", bits, LIMITS.max_int_bits)


def guarded_mul(a: Any, b: Any) -> Any:
    if isinstance(a, int) and isinstance(b, int):
        _check_int_bits(a.bit_length() + b.bit_length())
    elif isinstance(b, int):
        _check_sequence(a, b)
    elif isinstance(a, int):
        _check_sequence(b, a)
    return a * b


def guarded_pow(a: Any, b: Any, mod: Any = None) -> Any:
    if mod is None and isinstance(a, int) and isinstance(b, int) and b > 0 and abs(a) > 1:
        _check_int_bits(a.bit_length() * b)
    return pow(a, b) if mod is None else pow(a, b, mod)


def guarded_lshift(a: Any, b: Any) -> Any:
    if isinstance(a, int) and isinstance(b, int) and a and b > 0:
        _check_int_bits(a.bit_length() + b)
    return a << b


def guarded_add(a: Any, b: Any) -> Any:
    na, nb = _base_len(a), _base_len(b)
    if na is not None and nb is not None:
        bound = LIMITS.max_chars if isinstance(a, (str, bytes, bytearray)) else LIMITS.max_items
        if na + nb > bound:
            raise _too_big("长度", na + nb, bound)
    return a + b


_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[#0 +\-]*(\*|\d+)?(?:\.(\*|\d+))?")


def _check_width(text: str) -> None:
    """A width or precision in a format spec builds that many characters."""
    for digits in re.findall(r"\d+", text):
        if len(digits) > 9 or int(digits) > LIMITS.max_chars:
            raise _too_big("格式宽度", int(digits[:12]), LIMITS.max_chars)


def guarded_mod(a: Any, b: Any) -> Any:
    if isinstance(a, (str, bytes)):
        fmt = a if isinstance(a, str) else a.decode("latin-1")
        for width, precision in _PERCENT_SPEC.findall(fmt):
            if "*" in (width, precision):
                raise ScriptLimitExceeded("脚本中的 % 格式不支持 * 宽度")
            _check_width(f"{width} {precision}")
        _check_printable(b)
    return a % b


def guarded_format(value: Any, spec: str = "") -> str:
    _check_width(spec)
    _check_printable(value)
    return format(value, spec)


def format_value(value: Any, conversion: int, spec: str | None) -> str:
    """An f-string field `{value!r:spec}`, with the spec's width and the value's size checked first."""
    if conversion in (ord("r"), ord("s"), ord("a")):
        _check_printable(value)
        value = repr(value) if conversion == ord("r") else ascii(value) if conversion == ord("a") else str(value)
    return guarded_format(value, spec or "")


def guarded_iter(ob: Any) -> Iterator[Any]:
    """Every `for` turn and comprehension item passes here: the deadline is checked per item."""
    for item in ob:
        _tick()
        yield item
