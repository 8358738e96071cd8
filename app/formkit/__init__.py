"""The form kit: user-task forms written as JSON Schema + UI layout files, parsed, validated, rendered."""

from app.formkit.parse import parse_form
from app.formkit.render import display_values, render_attachment_lists, render_form
from app.formkit.spec import FormFileError, FormSpec, Option
from app.formkit.validate import FORM_ERROR_KEY, validate

__all__ = [
    "FORM_ERROR_KEY",
    "FormFileError",
    "FormSpec",
    "Option",
    "display_values",
    "parse_form",
    "render_attachment_lists",
    "render_form",
    "validate",
]
