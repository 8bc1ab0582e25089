"""Hostile uploads are refused or cleaned; the stored image is a fresh JPEG without EXIF, under a random name."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from PIL import ExifTags, Image

from burenhulp.residents.models import Resident
from burenhulp.residents.photos import clean_photo
from tests.residents.conftest import image_bytes, upload

pytestmark = pytest.mark.django_db


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bomb(side: int = 30_000) -> bytes:
    """A real 30000×30000 one-bit PNG: about 100 KB on disk, 900 megapixels once decoded."""
    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", body) + png_chunk(b"IEND", b"")


def jpeg_with_gps() -> bytes:
    img = Image.new("RGB", (80, 60), (10, 120, 200))
    exif = img.getexif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (50.0, 55.0, 57.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (3.0, 23.0, 56.0)
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif, comment=b"secret comment")
    return out.getvalue()


def test_gps_exif_is_stripped_from_the_stored_image() -> None:
    raw = jpeg_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the input really has GPS
    cleaned = clean_photo(upload(raw)).read()
    stored = Image.open(io.BytesIO(cleaned))
    assert stored.format == "JPEG"
    assert dict(stored.getexif()) == {}
    assert b"Exif" not in cleaned and b"PhoneMaker" not in cleaned and b"secret comment" not in cleaned


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="5"/></svg>', "me.svg"),
        (b"<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'/>", "me.jpg"),
        (b"GIF89a" + b"\x00" * 64, "me.gif"),
        (b"%PDF-1.4 not a picture", "me.png"),
        (b"", "empty.jpg"),
    ],
)
def test_files_that_are_not_photos_are_refused(content: bytes, name: str) -> None:
    with pytest.raises(ValidationError) as exc:
        clean_photo(upload(content, name=name))
    assert exc.value.code == "format"


def test_a_gif_image_is_refused_even_when_named_jpg() -> None:
    with pytest.raises(ValidationError) as exc:
        clean_photo(upload(image_bytes("GIF"), name="me.jpg"))
    assert exc.value.code == "format"


def test_a_polyglot_loses_its_payload() -> None:
    payload = b"<script>alert('x')</script>PK\x03\x04zip-payload"
    cleaned = clean_photo(upload(image_bytes("PNG") + payload, name="me.png")).read()
    assert payload not in cleaned and b"<script>" not in cleaned
    assert Image.open(io.BytesIO(cleaned)).format == "JPEG"


def test_a_decompression_bomb_is_refused_before_decoding() -> None:
    bomb = png_bomb()
    assert len(bomb) < 1_000_000
    with pytest.raises(ValidationError) as exc:
        clean_photo(upload(bomb, name="bomb.png", content_type="image/png"))
    assert exc.value.code == "pixels"


def test_a_20_mb_file_is_refused_by_size() -> None:
    big = image_bytes("JPEG") + b"\x00" * (20 * 1024 * 1024)
    with pytest.raises(ValidationError) as exc:
        clean_photo(upload(big))
    assert exc.value.code == "too_big"


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_jpeg_png_and_webp_are_accepted_and_shrunk(fmt: str) -> None:
    cleaned = clean_photo(upload(image_bytes(fmt, size=(3000, 2000)), name="x"))
    img = Image.open(cleaned)
    assert img.format == "JPEG" and max(img.size) == 1200


def test_a_transparent_png_is_flattened_on_white() -> None:
    out = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(out, format="PNG")
    img = Image.open(clean_photo(upload(out.getvalue(), name="t.png")))
    assert img.mode == "RGB" and img.getpixel((5, 5))[0] > 240


# --- Through the page ------------------------------------------------------------------------------------------


def photo_step(client: Client, content: bytes, name: str = "me.jpg") -> object:
    return client.post("/burenbox/step/photo/", {"photo": upload(content, name=name), "go": "stop"})


def test_the_page_stores_a_clean_jpeg_under_a_random_name(requester: Resident, media_root: Path) -> None:
    client = Client()
    client.force_login(requester.user)
    response = photo_step(client, jpeg_with_gps(), name="holiday-gent.jpg")
    assert response.status_code == 302
    requester.refresh_from_db()
    assert requester.photo.name.startswith("photos/") and "holiday" not in requester.photo.name
    stored = (media_root / requester.photo.name).read_bytes()
    assert b"Exif" not in stored and dict(Image.open(io.BytesIO(stored)).getexif()) == {}


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "me.svg", "Dit bestand is geen foto"),
        (png_bomb(), "bomb.png", "te veel pixels"),
        (b"\xff\xd8\xff" + b"\x00" * (20 * 1024 * 1024), "big.jpg", "te groot"),
    ],
)
def test_the_page_refuses_hostile_uploads_with_a_clear_message(
    requester: Resident, content: bytes, name: str, message: str
) -> None:
    client = Client()
    client.force_login(requester.user)
    response = photo_step(client, content, name)
    assert response.status_code == 400
    assert message in response.content.decode()
    requester.refresh_from_db()
    assert not requester.photo


def test_replacing_a_photo_deletes_the_old_file(requester: Resident, media_root: Path) -> None:
    client = Client()
    client.force_login(requester.user)
    photo_step(client, image_bytes())
    requester.refresh_from_db()
    first = media_root / requester.photo.name
    assert first.exists()
    photo_step(client, image_bytes("PNG"), name="b.png")
    requester.refresh_from_db()
    assert not first.exists() and (media_root / requester.photo.name).exists()
