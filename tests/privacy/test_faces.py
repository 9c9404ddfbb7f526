"""The face detector: its packaged model, what it finds, how it fails, and how it is chosen."""

import io
import socket
import sysconfig
from pathlib import Path

import pytest
from PIL import Image, ImageOps

from sixdegree_cases.privacy.checks.images import find_faces
from sixdegree_cases.privacy.faces import DetectorUnavailable, FaceDetector, _detector, get_face_detector
from sixdegree_cases.privacy.faces.haar import HaarFaceDetector
from sixdegree_cases.privacy.faces.yunet import _yunet, model_file
from tests.privacy import faceset
from tests.privacy.helpers import astronaut, findings_of, jpeg_bytes, landscape, upload_image
from tests.privacy.test_images import illustrated

DETECTOR = "sixdegree_cases.privacy.faces.yunet.YuNetFaceDetector"


def real_faces(picture):
    return [face for face in find_faces(picture) if not face.drawn]


def png_bytes(picture):
    output = io.BytesIO()
    picture.save(output, format="PNG")
    return output.getvalue()


class Unavailable(FaceDetector):
    """A detector whose model is gone, as after a broken install."""

    def find(self, picture):
        raise DetectorUnavailable("model missing")


# --- The model ships inside a package -----------------------------------------------------


def test_the_model_file_is_inside_the_installed_packages():
    packages = {Path(sysconfig.get_path(key)).resolve() for key in ("purelib", "platlib")}
    path = Path(model_file()).resolve()
    assert path.is_file()
    assert any(path.is_relative_to(folder) for folder in packages)


def test_an_altered_model_file_is_refused():
    with pytest.raises(DetectorUnavailable, match="SHA-256"):
        model_file(sha256="0" * 64)


def test_a_missing_model_package_is_refused():
    with pytest.raises(DetectorUnavailable, match="not installed"):
        model_file(distribution="no-such-face-model-package")


def test_faces_are_found_without_any_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the face detector opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    # Load the model afresh, as a new worker process would.
    _detector.cache_clear()
    _yunet.cache_clear()
    assert real_faces(astronaut())


# --- What it finds ------------------------------------------------------------------------


def test_a_face_of_five_percent_of_the_width_is_found():
    head, share = faceset.head(astronaut(), faceset.ASTRONAUT_FACE)
    picture = faceset.placed(faceset.backgrounds()["china"], [(head, share, 0.05, (0.3, 0.6))])
    assert real_faces(picture)


@pytest.mark.parametrize("angle", [30, 150, 240])
def test_a_face_turned_off_the_right_angles_is_found(angle):
    assert real_faces(faceset.turned(astronaut(), angle))


def test_a_gray_face_is_found():
    assert real_faces(astronaut().convert("L"))


def test_a_darker_skin_tone_is_found():
    assert real_faces(faceset.skin_tone(astronaut(), faceset.ASTRONAUT_FACE, 0.35))


def test_a_photo_without_people_has_no_face():
    assert find_faces(faceset.backgrounds()["china"]) == []


def test_greek_coins_with_portraits_in_relief_are_not_faces():
    assert real_faces(faceset.no_people_sources()["coins (scikit-image)"]) == []


def test_a_drawn_face_is_found_as_drawn():
    (face, *_) = find_faces(faceset.drawn_face())
    assert face.drawn


def test_a_posterised_photo_is_not_taken_for_a_drawing():
    # A hostile editor flattens the colours to make a photo pass as a drawing.
    assert real_faces(ImageOps.posterize(astronaut(), 2))


def test_a_face_in_a_later_frame_of_an_animation_is_found():
    frames = [landscape(), landscape(), astronaut().resize((480, 480))]
    output = io.BytesIO()
    frames[0].save(output, format="GIF", save_all=True, append_images=frames[1:], duration=100)
    with Image.open(io.BytesIO(output.getvalue())) as animation:
        assert real_faces(animation)


def test_a_face_hidden_under_full_transparency_is_found():
    # Invisible on the page, but a rendition without alpha (JPEG) shows it.
    hidden = astronaut().convert("RGBA")
    hidden.putalpha(0)
    assert real_faces(hidden)


# --- In the images check ------------------------------------------------------------------


def test_a_drawn_face_warns_the_reviewer_without_blocking(case):
    drawing = upload_image(png_bytes(faceset.drawn_face()), title="Drawing", name="d.png")
    (finding,) = findings_of(illustrated(case, drawing), "images")
    assert (finding.severity, "drawn face" in finding.message) == ("warn", True)


def test_a_small_face_in_a_landscape_photo_blocks(case):
    head, share = faceset.head(astronaut(), faceset.ASTRONAUT_FACE)
    scene = faceset.placed(faceset.backgrounds()["waterfall"], [(head, share, 0.06, (0.7, 0.5))])
    photo = upload_image(jpeg_bytes(scene), title="Waterfall")
    (finding,) = findings_of(illustrated(case, photo), "images")
    assert finding.severity == "block"


def test_a_detector_that_cannot_run_blocks(case, settings):
    settings.SIXDEGREE_FACE_DETECTOR = "tests.privacy.test_faces.Unavailable"
    drawing = upload_image(jpeg_bytes(landscape()), title="Road")
    (finding,) = findings_of(illustrated(case, drawing), "images")
    assert (finding.severity, "could not be looked for" in finding.message) == ("block", True)


def test_a_detector_path_that_does_not_import_blocks(case, settings):
    settings.SIXDEGREE_FACE_DETECTOR = "sixdegree_cases.privacy.faces.NoSuchDetector"
    drawing = upload_image(jpeg_bytes(landscape()), title="Road")
    (finding,) = findings_of(illustrated(case, drawing), "images")
    assert finding.severity == "block"


def test_a_detector_path_to_something_else_blocks(case, settings):
    settings.SIXDEGREE_FACE_DETECTOR = "sixdegree_cases.privacy.checks.images.ImagesCheck"
    drawing = upload_image(jpeg_bytes(landscape()), title="Road")
    (finding,) = findings_of(illustrated(case, drawing), "images")
    assert finding.severity == "block"


def test_a_failed_look_is_not_remembered(case, settings):
    drawing = upload_image(jpeg_bytes(landscape()), title="Road")
    settings.SIXDEGREE_FACE_DETECTOR = "tests.privacy.test_faces.Unavailable"
    findings_of(illustrated(case, drawing), "images")
    settings.SIXDEGREE_FACE_DETECTOR = DETECTOR
    assert findings_of(illustrated(case, drawing), "images") == []


# --- Chosen by dotted path ----------------------------------------------------------------


def test_the_detector_is_loaded_once_per_process():
    assert get_face_detector() is get_face_detector()


def test_another_detector_can_be_named_in_the_setting(settings):
    settings.SIXDEGREE_FACE_DETECTOR = "sixdegree_cases.privacy.faces.haar.HaarFaceDetector"
    assert isinstance(get_face_detector(), HaarFaceDetector)


def test_a_photo_through_a_cartoon_filter_still_blocks():
    # Smoothed, quantised colours and drawn outlines: a "cartoon" that still shows who she is.
    import cv2
    import numpy as np

    pixels = np.ascontiguousarray(np.asarray(astronaut())[:, :, ::-1])
    smooth = pixels
    for _ in range(5):
        smooth = cv2.bilateralFilter(smooth, 9, 75, 75)
    flat = (smooth // 32 * 32 + 16).astype(np.uint8)
    grey = cv2.medianBlur(cv2.cvtColor(pixels, cv2.COLOR_BGR2GRAY), 7)
    outlines = cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 9, 2)
    cartoon = cv2.bitwise_and(flat, flat, mask=outlines)
    assert real_faces(Image.fromarray(np.ascontiguousarray(cartoon[:, :, ::-1])))


@pytest.mark.parametrize("size", [(512, 512 * 12), (512 * 12, 512)])
def test_a_face_in_a_long_strip_is_found(size):
    # Scaled by its longer side, a face filling a 1:12 strip would shrink to a few pixels.
    strip = Image.new("RGB", size, (90, 120, 150))
    strip.paste(astronaut(), (size[0] // 2 - 256, size[1] // 2 - 256))
    assert real_faces(strip)


@pytest.mark.parametrize("size", [(1, 1), (2, 300), (300, 2), (3000, 20)])
def test_a_picture_of_a_few_pixels_is_read_without_a_false_face(size):
    assert find_faces(Image.new("RGB", size, (120, 100, 90))) == []


def test_an_enlarged_low_resolution_photo_is_not_taken_for_a_drawing():
    # Enlarging a small photo smooths it: smooth is not flat colour.
    assert real_faces(astronaut().resize((72, 72)).resize((1024, 1024), Image.BILINEAR))


def test_a_photo_on_a_large_plain_canvas_still_blocks():
    # The picture as a whole looks drawn; the face in it does not.
    canvas = Image.new("RGB", (1800, 1200), (255, 255, 255))
    canvas.paste(astronaut().resize((600, 600)), (900, 300))
    assert real_faces(faceset.turned(canvas.convert("L"), 30))


def test_pictures_checked_at_once_from_several_threads_get_their_own_answers():
    # One OpenCV detector serves the process; threaded servers must not mix its input sizes.
    from concurrent.futures import ThreadPoolExecutor

    pictures = [astronaut(), faceset.backgrounds()["china"], astronaut().resize((300, 300))] * 2
    with ThreadPoolExecutor(max_workers=3) as pool:
        answers = list(pool.map(lambda picture: bool(real_faces(picture)), pictures))
    assert answers == [True, False, True] * 2


def test_manage_py_check_reports_a_face_detector_that_cannot_run(settings):
    from sixdegree_cases.privacy.faces import check_face_detector_setting

    settings.SIXDEGREE_FACE_DETECTOR = "sixdegree_cases.privacy.faces.NoSuchDetector"
    (error,) = check_face_detector_setting()
    assert error.id == "sixdegree_privacy.E003"


def test_manage_py_check_accepts_the_default_face_detector():
    from sixdegree_cases.privacy.faces import check_face_detector_setting

    assert check_face_detector_setting() == []
