"""Oversized uploads get a form message, never a 500, and a decompression bomb is never decoded."""

import io
import struct
import zlib

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from PIL import ImageFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from sixdegree_cases.images.sanitise import sanitise_image

CaseImage = get_image_model()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def editor(client, django_user_model, home):
    client.force_login(django_user_model.objects.create_superuser("ed", "ed@example.org", "pw"))
    return client


def _chunk(kind, data):
    return (
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_of_size(width, height, bit_depth=1, color_type=0):
    """A valid PNG of `width` × `height` pixels, all black, built without holding its pixels.

    At one bit per pixel it compresses ~1000:1: a small file that decodes to gigabytes.
    """
    row = b"\x00" + bytes((width * bit_depth + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


def test_the_site_caps_image_pixels_below_wagtails_default():
    assert settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS == 40_000_000


def test_a_48_megapixel_image_gets_a_form_message(editor):
    upload = SimpleUploadedFile("big.png", png_of_size(8000, 6000), content_type="image/png")
    response = editor.post(reverse("wagtailimages:add"), {"title": "Big", "file": upload})
    assert response.status_code == 200
    assert "too many pixels" in response.content.decode()
    assert not CaseImage.objects.exists()


def test_a_48_megapixel_image_in_the_multiple_upload_gets_a_message(editor):
    upload = SimpleUploadedFile("big.png", png_of_size(8000, 6000), content_type="image/png")
    response = editor.post(
        reverse("wagtailimages:add_multiple"), {"files[]": upload}, HTTP_X_REQUESTED_WITH="XMLHttpRequest"
    )
    assert response.status_code == 200
    assert response.json()["success"] is False
    assert not CaseImage.objects.exists()


def test_a_truncated_image_gets_a_form_message(editor):
    whole = io.BytesIO()
    PILImage.effect_noise((400, 300), 64).convert("RGB").save(whole, format="JPEG")
    upload = SimpleUploadedFile("cut.jpg", whole.getvalue()[:2000], content_type="image/jpeg")
    response = editor.post(reverse("wagtailimages:add"), {"title": "Cut", "file": upload})
    assert response.status_code == 200
    assert "Upload a valid image." in response.content.decode()
    assert not CaseImage.objects.exists()


@pytest.fixture
def decoded(monkeypatch):
    """Records every image Pillow decodes (ImageFile.load), while still decoding it."""
    calls = []
    load = ImageFile.ImageFile.load

    def recording_load(image):
        calls.append(image.size)
        return load(image)

    monkeypatch.setattr(ImageFile.ImageFile, "load", recording_load)
    return calls


def test_the_re_encoding_refuses_a_bomb_before_decoding_it(decoded):
    """An 8,000 × 6,000 PNG of a few KB: refused by its header, never decoded."""
    bomb = png_of_size(8_000, 6_000)
    assert len(bomb) < 100_000
    with pytest.raises(ValidationError) as refused:
        sanitise_image(io.BytesIO(bomb))
    assert refused.value.code == "too_big"
    assert decoded == []


def test_the_upload_form_refuses_a_bomb_before_decoding_it(editor, decoded):
    """Wagtail's own field decodes an upload to measure it: ours reads the header first."""
    upload = SimpleUploadedFile("big.png", png_of_size(12_000, 9_000), content_type="image/png")
    response = editor.post(reverse("wagtailimages:add"), {"title": "Big", "file": upload})
    assert response.status_code == 200
    assert (12_000, 9_000) not in decoded
    assert not CaseImage.objects.exists()


def test_the_re_encoding_still_decodes_an_ordinary_image(decoded):
    sanitise_image(io.BytesIO(png_of_size(40, 30)))
    assert (40, 30) in decoded


def test_the_re_encoding_refuses_a_bomb_past_pillows_own_limit():
    """Past twice Pillow's MAX_IMAGE_PIXELS, Pillow itself raises: still "too many pixels"."""
    with pytest.raises(ValidationError) as refused:
        sanitise_image(io.BytesIO(png_of_size(20_000, 20_000)))
    assert refused.value.code == "too_big"


def test_the_re_encoding_follows_the_pixel_setting(settings):
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 1_000
    with pytest.raises(ValidationError) as refused:
        sanitise_image(io.BytesIO(png_of_size(40, 40)))
    assert refused.value.code == "too_big"


def test_the_site_caps_document_uploads():
    assert settings.WAGTAILDOCS_MAX_UPLOAD_SIZE == 10 * 1024 * 1024


def test_an_oversized_document_gets_a_form_message(editor):
    upload = SimpleUploadedFile(
        "report.pdf",
        b"%PDF-1.4\n" + bytes(settings.WAGTAILDOCS_MAX_UPLOAD_SIZE),
        content_type="application/pdf",
    )
    response = editor.post(reverse("wagtaildocs:add"), {"title": "Report", "file": upload})
    assert response.status_code == 200
    assert "This file is too big" in response.content.decode()
    assert not get_document_model().objects.exists()


def test_a_file_past_the_upload_ceiling_is_dropped_while_it_streams_in(editor, settings):
    """Past SIXDEGREE_MAX_UPLOAD_SIZE nothing is kept: the form sees no file at all."""
    settings.SIXDEGREE_MAX_UPLOAD_SIZE = 64 * 1024
    upload = SimpleUploadedFile("huge.pdf", b"%PDF-1.4\n" + bytes(200 * 1024), content_type="application/pdf")
    response = editor.post(reverse("wagtaildocs:add"), {"title": "Huge", "file": upload})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not get_document_model().objects.exists()


def test_a_file_under_the_upload_ceiling_arrives_whole(editor, settings):
    settings.SIXDEGREE_MAX_UPLOAD_SIZE = 64 * 1024
    upload = SimpleUploadedFile("small.pdf", b"%PDF-1.4\n" + bytes(60 * 1024), content_type="application/pdf")
    response = editor.post(reverse("wagtaildocs:add"), {"title": "Small", "file": upload})
    assert response.status_code == 302
    assert get_document_model().objects.get().file.size == len(b"%PDF-1.4\n") + 60 * 1024
