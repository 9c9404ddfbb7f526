"""The images check: a face blocks, metadata in a stored file blocks, a drawn landscape passes."""

import io

from PIL import Image as PILImage

from sixdegree_cases.privacy.checks.images import find_faces
from tests.factories import milestone
from tests.privacy.helpers import astronaut, findings_of, jpeg_bytes, landscape, upload_image


def illustrated(case, image, number=2, alt="A road"):
    """Use `image` as the illustration of milestone `number` of `case` (in memory)."""
    story = [
        milestone("recruitment", "Recruited", lat=-0.03, lng=109.33),
        milestone("escape", "Away", lat=-7.3, lng=112.7),
    ]
    story[number - 1][1]["illustration"] = {"image": image, "decorative": False, "alt_text": alt}
    case.story = story
    return case


def overwrite_stored_file(image, data):
    """Put bytes straight into storage, as a file stored before uploads were sanitised would be."""
    with image.file.storage.open(image.file.name, "wb") as handle:
        handle.write(data)


def test_a_face_photo_used_as_an_illustration_blocks(case):
    photo = upload_image(jpeg_bytes(astronaut()), title="Portrait")
    (finding,) = findings_of(illustrated(case, photo), "images")
    assert finding.severity == "block"
    assert "face" in finding.message
    assert (finding.where, finding.field) == ("Milestone 2 · illustration", "story.1.illustration")
    assert finding.masked == "[Latin] ••••••••"


def test_a_face_is_found_in_a_photo_turned_on_its_side():
    assert any(not face.drawn for face in find_faces(astronaut().rotate(90, expand=True)))


def test_a_drawn_landscape_passes(case):
    drawing = upload_image(jpeg_bytes(landscape()), title="Road to the coast")
    assert findings_of(illustrated(case, drawing), "images") == []


def test_metadata_left_in_a_stored_file_blocks(case):
    drawing = upload_image(jpeg_bytes(landscape()))
    exif = PILImage.Exif()
    exif[0x010F] = "CameraMaker"
    overwrite_stored_file(drawing, jpeg_bytes(landscape(), exif=exif.tobytes()))
    (finding,) = findings_of(illustrated(case, drawing), "images")
    assert "metadata (EXIF)" in finding.message


def test_xmp_left_in_a_stored_file_blocks(case):
    drawing = upload_image(jpeg_bytes(landscape()))
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
    overwrite_stored_file(drawing, jpeg_bytes(landscape(), xmp=xmp))
    (finding,) = findings_of(illustrated(case, drawing), "images")
    assert "XMP" in finding.message


def test_a_stored_file_that_is_not_an_image_blocks(case):
    drawing = upload_image(jpeg_bytes(landscape()))
    overwrite_stored_file(drawing, b"%PDF-1.4 not an image")
    (finding,) = findings_of(illustrated(case, drawing), "images")
    assert "cannot be read" in finding.message


def test_image_title_and_alt_text_are_public_texts(case):
    from tests.privacy.helpers import add_term

    add_term(case, "Desa Contoh", kind="village")
    drawing = upload_image(jpeg_bytes(landscape()), title="Desa Contoh at dawn")
    illustrated(case, drawing, alt="The road out of desa contoh")
    wheres = sorted(f.where for f in findings_of(case, "sensitive_terms"))
    assert wheres == ["Milestone 2 · illustration alt text", "Milestone 2 · illustration title"]


def test_the_stored_file_of_an_upload_has_no_metadata_to_find(case):
    exif = PILImage.Exif()
    exif[0x010F] = "CameraMaker"
    drawing = upload_image(jpeg_bytes(landscape(), exif=exif.tobytes()))
    with drawing.open_file() as handle:
        assert not PILImage.open(io.BytesIO(handle.read())).getexif()
    assert findings_of(illustrated(case, drawing), "images") == []


def test_an_image_file_name_is_a_public_text(case):
    from tests.privacy.helpers import add_term

    add_term(case, "Desa Contoh", kind="village")
    drawing = upload_image(jpeg_bytes(landscape()), title="Road")
    # Uploads get random names; an older file could still carry the name it was uploaded with.
    drawing.file.name = "original_images/desa_contoh_2021.jpg"
    (finding,) = findings_of(illustrated(case, drawing), "sensitive_terms")
    assert finding.where == "Milestone 2 · illustration file name"


def test_a_random_stored_file_name_is_not_read_as_an_id_number(case):
    drawing = upload_image(jpeg_bytes(landscape()), title="Road")
    drawing.file.name = "original_images/1234567890123abcdef0123456789abc.jpg"
    assert findings_of(illustrated(case, drawing), "contact_details") == []
