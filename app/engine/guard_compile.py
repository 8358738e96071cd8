"""The compile half of the script budget: RestrictedPython's policy plus the rewrites that call app/engine/guard.py."""

import ast
from typing import Any

from RestrictedPython import RestrictingNodeTransformer

_BINOPS = {ast.Mult: "_mul_", ast.Pow: "_pow_", ast.LShift: "_lshift_", ast.Add: "_add_", ast.Mod: "_mod_"}


def _call(name: str, args: list[ast.expr], where: ast.AST) -> ast.Call:
    node = ast.Call(func=ast.Name(name, ast.Load()), args=args, keywords=[])
    for child in ast.walk(node):
        if not hasattr(child, "lineno"):
            ast.copy_location(child, where)
    return node


class BudgetTransformer(RestrictingNodeTransformer):
    """RestrictedPython's policy plus the budget rewrites (applied after its checks: our names start with _)."""

    def visit_While(self, node: ast.While) -> Any:
        node = super().visit_While(node)  # type: ignore[assignment]
        node.body.insert(0, ast.copy_location(ast.Expr(_call("_tick_", [], node)), node))
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> Any:
        node = super().visit_FunctionDef(node)  # type: ignore[assignment]
        node.body.insert(0, ast.copy_location(ast.Expr(_call("_tick_", [], node)), node))
        return node

    def visit_Lambda(self, node: ast.Lambda) -> Any:
        node = super().visit_Lambda(node)  # type: ignore[assignment]
        node.body = ast.copy_location(ast.BoolOp(op=ast.Or(), values=[_call("_tick_", [], node), node.body]), node)
        return node

    def visit_BinOp(self, node: ast.BinOp) -> Any:
        node = super().visit_BinOp(node)  # type: ignore[assignment]
        name = _BINOPS.get(type(node.op))
        return node if name is None else _call(name, [node.left, node.right], node)

    def visit_FormattedValue(self, node: ast.FormattedValue) -> Any:
        node = super().visit_FormattedValue(node)  # type: ignore[assignment]
        spec = node.format_spec if node.format_spec is not None else ast.Constant(None)
        node.value = _call("_format_value_", [node.value, ast.Constant(node.conversion), spec], node)
        node.conversion, node.format_spec = -1, None
        return node
