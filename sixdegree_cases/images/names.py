"""An image's title never comes from its uploaded file name, which can identify a person or a place."""

import re
import unicodedata


def _name_key(text):
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return " ".join(part for part in re.split(r"[\W_]+", text) if part)


def is_file_name(title, file_name):
    """True when `title` is the uploaded file's name, with or without its extension (or cut short)."""
    base = (file_name or "").replace("\\", "/").rsplit("/", 1)[-1]
    title_key = _name_key(title)
    if not title_key or not base:
        return False
    names = {_name_key(base), _name_key(base.rsplit(".", 1)[0])}
    # Wagtail cuts a long file name to the title's maximum length.
    return title_key in names or any(name.startswith(title_key) and len(title_key) >= 20 for name in names)
