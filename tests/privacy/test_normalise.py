"""The normalisation pipeline on its own: what each stage undoes, and what it must never undo."""

import pytest

from sixdegree_cases.privacy.normalise import Profile, normalise, skeleton_text, words


def key(text):
    """What the sensitive-terms check compares: the skeleton of the words, without separators."""
    return "".join(skeleton_text(word.text) for word in words(normalise(text).text))


@pytest.mark.parametrize(
    "written",
    [
        "Ma\u200bya",  # zero-width space
        "Ma\u00adya",  # soft hyphen
        "Ma\u200dya",  # zero-width joiner
        "M\u2060aya",  # word joiner
        "\ufeffMaya",  # byte order mark
    ],
)
def test_format_characters_are_removed(written):
    assert key(written) == key("Maya")


@pytest.mark.parametrize("written", ["Мауа", "ＭＡＹＡ", "𝐌𝐚𝐲𝐚", "𝕄𝕒𝕪𝕒", "ΜΑΥΑ"])
def test_look_alike_and_compatibility_letters_read_as_latin(written):
    assert key(written) == key("Maya")


@pytest.mark.parametrize(
    ("written", "plain"), [("M4ya", "Maya"), ("D3w1", "Dewi"), ("S@ri", "Sari"), ("L3$tari", "Lestari")]
)
def test_leetspeak_between_letters_is_folded(written, plain):
    assert key(written) == key(plain)


def test_numbers_alone_are_not_leetspeak():
    assert normalise("in 2015, aged 16", Profile.CONTACTS).text == "in 2015, aged 16"


def test_html_entities_are_decoded_and_inline_tags_joined():
    normalised = normalise("Ma<b>ya</b> &amp; D&#101;wi<br>Sari")
    assert [word.text for word in words(normalised.text)] == ["Maya", "Dewi", "Sari"]


def test_latin_diacritics_go_vietnamese_tones_included():
    assert key("Nguyễn Thị Đức") == key("Nguyen Thi Duc")


@pytest.mark.parametrize(("with_marks", "without"), [("ปู", "ปา"), ("សុខា", "សខ"), ("မောင်", "မင")])
def test_vowel_signs_of_thai_khmer_and_burmese_are_kept(with_marks, without):
    assert key(with_marks) != key(without)


def test_traditional_chinese_reads_as_simplified():
    assert key("陳曉東") == key("陈晓东")


def test_digits_of_every_script_read_as_ascii():
    assert normalise("๐๘๑ ០៨១ ၀၈၁ ٠٨١ ０８１ ໐໘໑", Profile.CONTACTS).text == "081 081 081 081 081 081"


def test_thai_words_are_segmented_by_dictionary():
    # "เหมาะสม" (suitable) is one word: a name "สม" must not be found in it.
    assert [word.text for word in words(normalise("ทำงานที่เหมาะสมกับอายุ").text)] == [
        "ทำงาน",
        "ที่",
        "เหมาะสม",
        "กับ",
        "อายุ",
    ]


def test_khmer_burmese_and_chinese_words_are_segmented_by_icu():
    assert [word.text for word in words(normalise("នាងសុខាមកពីភូមិ").text)] == ["នាង", "សុខា", "មក", "ពី", "ភូមិ"]
    assert [word.text for word in words(normalise("她来自云南").text)] == ["她", "来自", "云南"]


def test_thai_text_with_zero_width_spaces_segments_as_without():
    plain = words(normalise("เธอมาจากบ้านนา").text)
    hidden = words(normalise("เธอ\u200bมา\u200bจาก\u200bบ้าน\u200bนา").text)
    assert [word.text for word in hidden] == [word.text for word in plain]


def test_punctuation_inside_a_word_splits_it():
    assert [word.text for word in words(normalise("M.a.y.a Ma-ya").text)] == ["M", "a", "y", "a", "Ma", "ya"]


def test_every_character_maps_back_to_what_was_written():
    original = "Call M\u200b4ya on <b>Sa</b>&#114;i"
    normalised = normalise(original)
    start = normalised.text.index("Maya")
    assert normalised.source(start, start + 4) == "M\u200b4ya"
    start = normalised.text.index("Sari")
    assert normalised.source(start, start + 4) == "Sa</b>&#114;i"
