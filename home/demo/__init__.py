"""Demo content for a local Sixdegree site: `python manage.py load_demo_content`.

Four launch cases (Xiao Fang's, as IOM X published it under her pseudonym, and three composite,
fictional ones), the home page, the case index and a few abstract illustrations drawn with
Pillow. The content lives in plain Python data (`cases/`, `site.py`) so it can be read and
reviewed like any text; `loader.py` turns it into pages, once.
"""
