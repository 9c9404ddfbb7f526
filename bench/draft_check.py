"""CPU of one worst-case draft check: `python -m bench.draft_check [CHARACTERS [UNIT]]`.

The editor's live privacy check (`privacy.drafts.check_draft`) on one request as large as the
endpoint accepts (`SIXDEGREE_DRAFT_CHECK_MAX_CHARS`, or CHARACTERS), made of rich-text
narratives packed with e-mail addresses and phone numbers: the text on which the checks find
the most. Prints JSON: characters, fields, findings returned, fields cut short, CPU seconds
(`time.process_time`, this process only). Runs on the test settings; no database is read (a
case not created yet has no sensitive terms).
"""

import json
import os
import sys
import time

FIELD_CHARACTERS = 9_500


def rich(text):
    block = {"key": "a1b2c", "text": text, "type": "unstyled", "depth": 0}
    return json.dumps(
        {"blocks": [{**block, "inlineStyleRanges": [], "entityRanges": [], "data": {}}], "entityMap": {}}
    )


def worst_fields(characters):
    """Rich narratives of e-mails and phone numbers, `characters` in all (the JSON values)."""
    unit = "Write to maya.sari{n}@gmail.com or call +62 812-3456-{n:04d}. "
    fields, total, index = {}, 0, 0
    while True:
        text, n = "", 0
        while len(rich(text + unit.format(n=n))) <= FIELD_CHARACTERS:
            text += unit.format(n=n)
            n += 1
        value = rich(text)
        if total + len(value) > characters:
            break
        fields[f"story-{index}-value-narrative"] = value
        total += len(value)
        index += 1
    return fields, total


def main(characters=None, unit=""):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sixdegree_site.settings.test")
    import django

    django.setup()
    from django.contrib.contenttypes.models import ContentType

    from sixdegree_cases.conf import get_setting
    from sixdegree_cases.models import SurvivorCasePage
    from sixdegree_cases.privacy import drafts

    # A page object needs its content type, and only that of the database: known here instead,
    # so the measure needs no migrated database.
    ContentType.objects._add_to_cache(
        "default", ContentType(id=1, app_label="sixdegree_cases", model="survivorcasepage")
    )
    characters = int(characters or get_setting("SIXDEGREE_DRAFT_CHECK_MAX_CHARS"))
    if unit:
        count = characters // drafts.MAX_FIELD_CHARACTERS
        text = unit * (drafts.MAX_FIELD_CHARACTERS // len(unit))
        fields = [drafts.DraftField(f"story-{index}-value-title", text) for index in range(count)]
        total = len(text) * count
    else:
        values, total = worst_fields(characters)
        fields = [drafts.DraftField(name, value, rich=True) for name, value in values.items()]
    drafts.check_draft(SurvivorCasePage(), fields[:1], None)  # warm up: imports, metadata
    start = time.process_time()
    result = drafts.check_draft(SurvivorCasePage(), fields, None)
    seconds = time.process_time() - start
    # Before the findings were bounded, `check_draft` answered the plain `{field: findings}`.
    found, more = (result, []) if isinstance(result, dict) else (result.fields, result.more)
    print(
        json.dumps(
            {
                "characters": total,
                "fields": len(fields),
                "findings": sum(len(v) for v in found.values()),
                "fields_cut_short": len(more),
                "cpu_seconds": round(seconds, 2),
            }
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:])
