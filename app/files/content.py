"""What an upload may be, judged by its bytes: a re-encoded PNG/JPEG, or a PDF that parses and runs nothing.

Images are decoded and written anew, so what is stored is pixels only: bytes appended after the image
(a ZIP, an HTML page: a polyglot) and metadata (EXIF with GPS position and camera serial, comments,
text chunks) are gone, and the EXIF orientation is applied to the pixels so the photo still stands up.
PDFs cannot be rewritten without risk to their content, so they are parsed (pypdf) and refused when
they do not parse or carry anything a viewer would run or open: scripts, launch and submit actions,
automatic actions, embedded files, rich media, XFA forms.
"""

import io
import re
from collections.abc import Iterator

from flask_babel import gettext
from PIL import Image, ImageOps
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject

from app.errors import Invalid

PNG, JPEG, PDF = "image/png", "image/jpeg", "application/pdf"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
PDF_SIGNATURE = b"%PDF-"
# Writers may append whitespace or a little junk after the last %%EOF; look for it near the end.
PDF_EOF_WINDOW = 1024
# 50 megapixels: more than any phone photo or A4 scan at 600 dpi (35 MP), far below a decompression bomb.
MAX_PIXELS = 50_000_000
JPEG_QUALITY = 90
# Actions that only move within the document or open a web link; every other action type runs or opens something.
SAFE_ACTIONS = frozenset({"/GoTo", "/Named", "/URI"})
SAFE_URI = re.compile(rb"^(https?|mailto):", re.IGNORECASE)
# Keys whose mere presence means active content: scripts, triggers on open/close/focus, files, XFA forms.
ACTIVE_KEYS = frozenset({"/JS", "/JavaScript", "/AA", "/EmbeddedFiles", "/EmbeddedFile", "/RichMedia", "/XFA"})
ACTIVE_SUBTYPES = frozenset({"/FileAttachment", "/RichMedia", "/Screen", "/Movie", "/Sound", "/3D"})
# The same names found anywhere in the raw bytes, for objects a lenient viewer might recover but pypdf did not
# list; long enough never to occur by chance inside compressed data.
ACTIVE_BYTES = re.compile(rb"/(JavaScript|Launch|EmbeddedFiles?|RichMedia|SubmitForm|ImportData)(?![A-Za-z0-9])")
MAX_PDF_OBJECTS = 500_000


class ActiveContent(Exception):
    """The PDF parsed, and contains something a viewer would run or open."""


def checked_upload(content: bytes, name: str) -> tuple[str, bytes]:
    """The upload's type and the bytes to store; Invalid (in Chinese, naming the file) when it is refused."""
    if content.startswith(PNG_SIGNATURE):
        return PNG, _reencoded(content, "PNG", name)
    if content.startswith(JPEG_SIGNATURE):
        return JPEG, _reencoded(content, "JPEG", name)
    if content.startswith(PDF_SIGNATURE) and b"%%EOF" in content[-PDF_EOF_WINDOW:]:
        _check_pdf(content, name)
        return PDF, content
    raise Invalid(_not_a_file(name))


def _not_a_file(name: str) -> str:
    return f"文件「{name}」不是 PNG/JPG/JPEG 图片或 PDF 文件（按文件内容识别）"


def _reencoded(content: bytes, image_format: str, name: str) -> bytes:
    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.format != image_format:
                raise Invalid(_not_a_file(name))
            if image.width * image.height > MAX_PIXELS:
                raise Invalid(gettext("图片「%(name)s」尺寸过大（不超过 5000 万像素），请缩小后上传", name=name))
            image.load()  # decodes every pixel: a truncated or damaged file fails here
            upright = ImageOps.exif_transpose(image)
            icc_profile = image.info.get("icc_profile")  # colours, not metadata: kept
            transparency = image.info.get("transparency")
    except Invalid:
        raise
    except Exception as err:  # Pillow reports a damaged or hostile file with many exception types
        raise Invalid(_not_a_file(name)) from err
    upright.info = {}  # nothing of the original's metadata may reach the encoder
    options: dict[str, object] = {"icc_profile": icc_profile} if icc_profile else {}
    if image_format == "JPEG":
        options["quality"] = JPEG_QUALITY
    elif transparency is not None:
        options["transparency"] = transparency
    out = io.BytesIO()
    upright.save(out, image_format, **options)
    return out.getvalue()


def _check_pdf(content: bytes, name: str) -> None:
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise Invalid(gettext("文件「%(name)s」是设有打开密码的 PDF，请去除密码后上传", name=name))
        if len(reader.pages) < 1:
            raise ValueError("no pages")
        for obj in _all_objects(reader):
            _refuse_active(obj)
    except Invalid:
        raise
    except ActiveContent as err:
        raise Invalid(_active(name)) from err
    except Exception as err:  # pypdf reports a malformed file with many exception types
        raise Invalid(
            gettext("文件「%(name)s」无法按 PDF 格式解析（文件可能已损坏），请重新导出后上传", name=name)
        ) from err
    if ACTIVE_BYTES.search(content):
        raise Invalid(_active(name))


def _active(name: str) -> str:
    return f"文件「{name}」含有脚本、自动执行的动作或内嵌文件，不能上传；请另存为（或打印为）普通 PDF 后上传"


def _all_objects(reader: PdfReader) -> Iterator[PdfObject | None]:
    """Every object reachable from the trailer and every object the cross-reference lists, each once."""
    seen: set[tuple[int, int]] = set()
    todo: list[PdfObject | None] = [reader.trailer]
    todo += [IndirectObject(num, gen, reader) for gen, entries in reader.xref.items() for num in entries]
    todo += [IndirectObject(num, 0, reader) for num in reader.xref_objStm]
    while todo:
        obj = todo.pop()
        if isinstance(obj, IndirectObject):
            if (obj.idnum, obj.generation) in seen:
                continue
            seen.add((obj.idnum, obj.generation))
            if len(seen) > MAX_PDF_OBJECTS:
                raise ValueError("too many objects")
            obj = obj.get_object()
        yield obj
        if isinstance(obj, DictionaryObject):
            todo.extend(dict.values(obj))
        elif isinstance(obj, ArrayObject):
            todo.extend(obj)


def _refuse_active(obj: PdfObject | None) -> None:
    """ActiveContent if this object is, or directly points at, something a viewer would run or open."""
    if not isinstance(obj, DictionaryObject):
        return
    if ACTIVE_KEYS.intersection(obj.keys()) or _get(obj, "/Subtype") in ACTIVE_SUBTYPES:
        raise ActiveContent(str(sorted(obj.keys())))
    if _get(obj, "/Type") == "/Action":
        _refuse_action(obj)
    for key in ("/A", "/Next"):  # a link's or outline item's action; the next action of a chain
        for action in _as_list(_get(obj, key)):
            _refuse_action(action)
    opening = _get(obj, "/OpenAction")  # what opening the file does: it may only show a page
    if isinstance(opening, DictionaryObject) and _get(opening, "/S") != "/GoTo":
        raise ActiveContent("/OpenAction")


def _refuse_action(action: PdfObject | None) -> None:
    if not isinstance(action, DictionaryObject):
        return
    kind = _get(action, "/S")
    if kind not in SAFE_ACTIONS:
        raise ActiveContent(str(kind))
    if kind == "/URI" and not SAFE_URI.match(_as_bytes(_get(action, "/URI"))):
        raise ActiveContent("/URI")


def _get(obj: DictionaryObject, key: str) -> PdfObject | None:
    value = dict.get(obj, key)
    return value.get_object() if isinstance(value, IndirectObject) else value


def _as_list(value: PdfObject | None) -> list[PdfObject | None]:
    if isinstance(value, ArrayObject):
        return [v.get_object() if isinstance(v, IndirectObject) else v for v in value]
    return [] if value is None else [value]


def _as_bytes(value: object) -> bytes:
    if isinstance(value, bytes):
        return value
    return str(value or "").encode("latin-1", "replace")
