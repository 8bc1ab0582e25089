"""Photos and drawings on the Burenbox: checked, re-encoded and stripped before anything is stored.

Only JPEG, PNG and WebP are accepted. The file size is checked before anything is read, the pixel count is checked
from the header before any pixel is decoded (decompression bombs), and the image is then drawn again into a fresh JPEG
without any metadata (EXIF, GPS, XMP, ICC comments), so nothing appended to or hidden in the upload survives.
"""

from __future__ import annotations

import io
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
# 24 megapixels: any phone photo fits; a crafted 30000×30000 image does not.
MAX_PIXELS = 24_000_000
ALLOWED_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
# Stored photos are small: a card needs no more than this on the long side.
STORED_SIDE = 1200

# Pillow's own guard, as a second line behind the explicit check below.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

NOT_AN_IMAGE = _("This file is not a photo. Choose a photo from your phone or computer.")
TOO_BIG = _("This photo is too large. Choose a file of at most 5 MB.")
TOO_MANY_PIXELS = _("This picture has too many pixels. Choose a smaller photo.")


def clean_photo(upload: UploadedFile) -> ContentFile[bytes]:
    """Validate an uploaded photo and return a clean JPEG. Raises ValidationError with a message for the user.

    1. refuse files over MAX_BYTES without reading them;
    2. identify the format from the content (never from the name or the browser's content type);
    3. refuse images with more than MAX_PIXELS before decoding them;
    4. decode, apply the EXIF orientation, flatten transparency onto white, shrink;
    5. save a new JPEG without metadata under a random name (Resident.photo's upload_to).
    """
    if upload.size is None or upload.size > MAX_BYTES:
        raise ValidationError(TOO_BIG, code="too_big")
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as probe:
                if probe.format not in ALLOWED_FORMATS:
                    raise ValidationError(NOT_AN_IMAGE, code="format")
                width, height = probe.size
                if width * height > MAX_PIXELS:
                    raise ValidationError(TOO_MANY_PIXELS, code="pixels")
                probe.verify()
            upload.seek(0)
            with Image.open(upload) as img:
                img.load()
                image = ImageOps.exif_transpose(img)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(TOO_MANY_PIXELS, code="pixels") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ValidationError(NOT_AN_IMAGE, code="format") from exc

    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        image = flat
    else:
        image = image.convert("RGB")
    image.thumbnail((STORED_SIDE, STORED_SIDE))
    # Pillow carries some metadata over from `info` (a JPEG comment, for one): start from nothing.
    image.info = {}
    out = io.BytesIO()
    # No exif=, icc_profile= or comment= is passed, so no metadata is written.
    image.save(out, format="JPEG", quality=85, optimize=True)
    return ContentFile(out.getvalue(), name="photo.jpg")
