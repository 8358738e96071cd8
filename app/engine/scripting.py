"""What BPMN scripts, conditions and DMN cells may run: RestrictedPython plus a registry of operations."""

import json
from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache
from types import CodeType, ModuleType
from typing import Any

from RestrictedPython import compile_restricted_eval, compile_restricted_exec, safe_builtins, utility_builtins
from RestrictedPython.Eval import default_guarded_getitem
from RestrictedPython.Guards import full_write_guard, guarded_iter_unpack_sequence, guarded_unpack_sequence
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import BasePythonScriptEngineEnvironment, PythonScriptEngine

from app.engine.guard import script_budget
from app.engine.guard_compile import BudgetTransformer
from app.engine.guard_names import GUARD_GLOBALS, GUARDED_BUILTINS

# Service-task operations, registered by the domain packages: name -> callable(**params) -> JSON-able result.
OPERATIONS: dict[str, Callable[..., Any]] = {}


# called before every operation runs: the workflow layer takes SQLite's write lock there (app/workflow/steps.py)
BEFORE_OPERATION: list[Callable[[], None]] = []


def operation(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a domain operation that a BPMN service task may call by `name`."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        OPERATIONS[name] = fn
        return fn

    return register


_BUILTINS = dict(safe_builtins)
_BUILTINS.update({k: v for k, v in utility_builtins.items() if not isinstance(v, ModuleType)})
for _name in ("min", "max", "sum", "any", "all", "enumerate", "list", "dict", "set", "sorted", "reversed"):
    _BUILTINS[_name] = __builtins__[_name] if isinstance(__builtins__, dict) else getattr(__builtins__, _name)
_BUILTINS.update(GUARDED_BUILTINS)  # pow, range, format, str, repr: refuse results over the size bound

_GUARDS: dict[str, Any] = {
    "__builtins__": _BUILTINS,
    "_getitem_": default_guarded_getitem,
    "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
    "_unpack_sequence_": guarded_unpack_sequence,
    "_write_": full_write_guard,
    **GUARD_GLOBALS,  # the script budget: deadline checks and size-bounded operations (app/engine/guard.py)
}

# Plain helpers BPMN scripts may call; nothing here touches files, network or the database.
SCRIPT_FUNCTIONS: dict[str, Any] = {"date": date, "datetime": datetime}


@lru_cache(maxsize=4096)
def _compile(source: str, mode: str) -> CodeType:
    """Compile once per distinct script or expression: RestrictedPython's AST rewrite is the costly part."""
    res = (compile_restricted_eval if mode == "eval" else compile_restricted_exec)(source, policy=BudgetTransformer)
    if res.errors:
        raise SyntaxError("; ".join(res.errors))
    return res.code  # type: ignore[return-value]


class RestrictedEnvironment(BasePythonScriptEngineEnvironment):
    """Scripts see task data, safe builtins and SCRIPT_FUNCTIONS: no import, no open, no dunder access."""

    def _globals(self, context: dict, external_context: dict | None) -> dict:
        g = dict(context)  # task data first: a data key named like a guard or helper must not replace it
        g.update(external_context or {})
        g.update(self.globals)
        g.update(_GUARDS)
        return g

    def evaluate(self, expression, context, external_context=None):  # type: ignore[no-untyped-def]
        with script_budget():
            return eval(_compile(expression, "eval"), self._globals(context, external_context))

    def execute(self, script, context, external_context=None):  # type: ignore[no-untyped-def]
        g = self._globals(context, external_context)
        with script_budget():
            exec(_compile(script, "exec"), g)
        reserved = set(_GUARDS) | set(self.globals) | set(external_context or {})
        for key in list(context):
            if key not in g:
                del context[key]
        for key, value in g.items():
            if key in reserved or callable(value) or isinstance(value, ModuleType):
                continue
            context[key] = value
        return True


class AppScriptEngine(PythonScriptEngine):
    def __init__(self) -> None:
        super().__init__(environment=RestrictedEnvironment(SCRIPT_FUNCTIONS))

    def validate(self, expression: str) -> None:
        _compile(expression, "eval")

    def call_service(self, task, operation_name, operation_params):  # type: ignore[no-untyped-def]
        handler = OPERATIONS.get(operation_name)
        if handler is None:
            raise WorkflowTaskException(f"未注册的服务操作 {operation_name}", task=task)
        params = {k: v["value"] for k, v in operation_params.items()}
        try:
            for hook in BEFORE_OPERATION:
                hook()
            return json.dumps(handler(**params), default=str)
        except Exception as err:
            raise WorkflowTaskException(f"{operation_name}: {err}", task=task, exception=err) from err


SCRIPT_ENGINE = AppScriptEngine()
