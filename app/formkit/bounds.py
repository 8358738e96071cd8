"""What a form's data may hold before it is stored, even unvalidated as a draft: its size, not its correctness.

A draft is kept as typed (R-JOIN-6), so validation cannot be what stops a 10 MB "comment" or a list nested
a thousand levels deep from landing in the database; these bounds do, for drafts and submissions alike.
"""

from typing import Any

from flask_babel import gettext

from app.formkit.spec import FormSpec

# A text field without its own maxLength (e.g. one held to a pattern or an enum) still stays this short.
MAX_TEXT = 2000
# An attachment field without maxItems: R-JOIN-5's 20 images per slot.
MAX_ITEMS = 20
# A field's value is a scalar, a list of scalars or a list of attachment objects {"id", "name", "mime"}.
MAX_DEPTH = 2


def bound_errors(spec: FormSpec, data: dict[str, Any]) -> dict[str, str]:
    """One Chinese message per field whose value exceeds the form's size bounds; empty when all fit."""
    errors = {}
    for name, value in data.items():
        prop = spec.properties.get(name, {})
        text_limit = min(prop.get("maxLength", MAX_TEXT), MAX_TEXT)
        item_limit = min(prop.get("maxItems", MAX_ITEMS), MAX_ITEMS)
        # the label (a catalog lookup) only for a message: every submission passes here (issue 13)
        if isinstance(value, str) and len(value) > text_limit:
            errors[name] = gettext("%(label)s最多 %(limit)s 个字符", label=spec.label(name), limit=text_limit)
        elif isinstance(value, list) and len(value) > item_limit:
            errors[name] = gettext("%(label)s最多 %(limit)s 项", label=spec.label(name), limit=item_limit)
        elif not _small(value, MAX_DEPTH):
            errors[name] = gettext("%(label)s的内容无效", label=spec.label(name))
    return errors


def _small(value: Any, depth: int) -> bool:
    """Nested no deeper than `depth`, with short strings and short lists or objects at every level."""
    if isinstance(value, str):
        return len(value) <= MAX_TEXT
    if isinstance(value, list | dict):
        children = list(value.values()) if isinstance(value, dict) else value
        keys = list(value) if isinstance(value, dict) else []
        return (
            depth > 0
            and len(children) <= MAX_ITEMS
            and all(len(k) <= MAX_TEXT for k in keys)
            and all(_small(child, depth - 1) for child in children)
        )
    return True
