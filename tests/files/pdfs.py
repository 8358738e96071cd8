"""PDF files built in the test, harmless and hostile, with pypdf's writer (no binary fixtures to trust)."""

import io
from collections.abc import Callable

from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject


def pdf(change: Callable[[PdfWriter], None] | None = None) -> bytes:
    """A one-page PDF; `change` edits the writer (adds an action, an attachment …) before it is written."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    if change is not None:
        change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def action(kind: str, **entries: str) -> DictionaryObject:
    """An action dictionary, e.g. action("/Launch", F="cmd.exe")."""
    result = DictionaryObject({NameObject("/S"): NameObject(kind)})
    for key, value in entries.items():
        result[NameObject(f"/{key}")] = TextStringObject(value)
    return result


def open_action(value: DictionaryObject | ArrayObject) -> Callable[[PdfWriter], None]:
    def change(writer: PdfWriter) -> None:
        writer._root_object[NameObject("/OpenAction")] = value

    return change


def link(linked: DictionaryObject) -> Callable[[PdfWriter], None]:
    """A link annotation on page 1 whose /A is `linked`."""

    def change(writer: PdfWriter) -> None:
        rect = ArrayObject([NumberObject(n) for n in (10, 10, 100, 30)])
        annotation = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/Rect"): rect,
                NameObject("/A"): linked,
            }
        )
        writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])

    return change


def page_opens_with(run: DictionaryObject) -> Callable[[PdfWriter], None]:
    """An additional action (/AA /O) run when page 1 is shown."""

    def change(writer: PdfWriter) -> None:
        writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): run})

    return change


def first_page_fit(writer: PdfWriter) -> None:
    """What many writers put as /OpenAction: show page 1 fitted to the window (a destination, no action)."""
    open_action(ArrayObject([writer.pages[0].indirect_reference, NameObject("/Fit")]))(writer)


def document_script(writer: PdfWriter) -> None:
    """Document-level JavaScript: the catalog's /Names /JavaScript tree, run when the file opens."""
    script = action("/JavaScript", JS="app.alert('x');")
    tree = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("init"), writer._add_object(script)])})
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): tree})
