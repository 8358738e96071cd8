"""The certificate's QR image (issue 13): the library's own code for a fixed mask pattern, drawn module by module."""

import io

import qrcode
from PIL import Image, ImageChops

from app.certificates.qr import BORDER_MODULES, BOX_PIXELS, MASK_PATTERN, qr_png


def test_the_qr_image_is_the_librarys_code_with_the_fixed_mask_pixel_for_pixel():
    url = "https://members.example.org/certificates/verify/" + "Ab3-_" * 20
    ours = Image.open(io.BytesIO(qr_png(url)))
    reference = qrcode.make(
        url,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=BOX_PIXELS,
        border=BORDER_MODULES,
        mask_pattern=MASK_PATTERN,
    ).get_image()
    assert ours.size == reference.size
    assert ImageChops.difference(ours.convert("L"), reference.convert("L")).getbbox() is None
