"""Uploaded images keep their pixels and nothing else: no EXIF/GPS, no uploaded file name."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model

CaseImage = get_image_model()
GPS_IFD = 0x8825


def photo_with_gps(fmt="JPEG", size=(64, 48), orientation=None):
    """An image whose EXIF holds a GPS position (and optionally a rotation)."""
    image = PILImage.new("RGB", size, (200, 120, 40))
    exif = PILImage.Exif()
    exif[0x010F] = "CameraMaker"
    exif[0x0132] = "2021:03:12 08:15:00"
    exif.get_ifd(GPS_IFD).update({1: "S", 2: (7.0, 15.0, 30.0), 3: "E", 4: (112.0, 44.0, 10.0)})
    if orientation:
        exif[0x0112] = orientation
    output = io.BytesIO()
    image.save(output, format=fmt, exif=exif.tobytes())
    return output.getvalue()


def stored(image):
    with image.open_file() as handle:
        return handle.read()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_code_path_strips_metadata_and_renames(db, fmt):
    data = photo_with_gps(fmt)
    assert b"CameraMaker" in data
    image = CaseImage(title="Road", file=SimpleUploadedFile(f"xiao_village_2021.{fmt.lower()}", data))
    image.save()
    raw = stored(image)
    assert b"CameraMaker" not in raw
    assert b"Exif" not in raw
    assert not PILImage.open(io.BytesIO(raw)).getexif()
    assert "xiao" not in image.file.name
    assert "village" not in image.file.name
    assert (image.width, image.height) == (64, 48)
    assert image.file_size == len(raw)
    assert image.file_hash


def test_orientation_is_applied_before_stripping(db):
    image = CaseImage(title="Turned", file=SimpleUploadedFile("a.jpg", photo_with_gps(orientation=6)))
    image.save()
    assert (image.width, image.height) == (48, 64)


def test_renditions_carry_no_metadata(db):
    image = CaseImage(title="Road", file=SimpleUploadedFile("b.jpg", photo_with_gps()))
    image.save()
    for spec in ("fill-32x32", "width-40|format-png", "width-40|format-webp"):
        rendition = image.get_rendition(spec)
        with rendition.file.open("rb") as handle:
            raw = handle.read()
        assert b"CameraMaker" not in raw
        assert not PILImage.open(io.BytesIO(raw)).getexif()
        assert "b." not in rendition.file.name.rsplit("/", 1)[-1][:2]


def test_unsupported_format_is_refused_in_code(db):
    bmp = io.BytesIO()
    PILImage.new("RGB", (8, 8)).save(bmp, format="BMP")
    with pytest.raises(ValidationError, match="Upload a JPEG, PNG, GIF or WebP image"):
        CaseImage(title="x", file=SimpleUploadedFile("x.bmp", bmp.getvalue())).save()
    assert not CaseImage.objects.exists()


def test_admin_upload_strips_metadata(client, django_user_model, home):
    client.force_login(django_user_model.objects.create_superuser("ed", "ed@example.org", "pw"))
    upload = SimpleUploadedFile("survivor_home_gps.jpg", photo_with_gps(), content_type="image/jpeg")
    response = client.post(reverse("wagtailimages:add"), {"title": "A road", "file": upload})
    assert response.status_code == 302
    image = CaseImage.objects.get()
    assert b"CameraMaker" not in stored(image)
    assert "survivor" not in image.file.name


def test_admin_upload_of_a_non_image_is_a_clear_error(client, django_user_model, home):
    client.force_login(django_user_model.objects.create_superuser("ed", "ed@example.org", "pw"))
    upload = SimpleUploadedFile("notes.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    response = client.post(reverse("wagtailimages:add"), {"title": "x", "file": upload})
    assert response.status_code == 200
    assert "Upload a valid image." in response.content.decode()
    assert not CaseImage.objects.exists()
