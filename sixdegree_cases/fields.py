"""The story's model field: every write goes through the story's blocks, `QuerySet.update()` too."""

from django.db.models.expressions import Combinable
from wagtail.blocks.stream_block import StreamValue
from wagtail.fields import StreamField


class StoryField(StreamField):
    """A StreamField that normalises raw values on every write, not only on `Model.save()`.

    StreamField hands a raw list or JSON string given to `QuerySet.update()` straight to the
    database; here it becomes a StreamValue first, so its milestones are snapped and keep only
    their blocks' keys. It is a plain StreamField to migrations.
    """

    def get_db_prep_save(self, value, connection):
        if value is not None and not isinstance(value, (StreamValue, Combinable)):
            value = self.to_python(value)
        return super().get_db_prep_save(value, connection)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "wagtail.fields.StreamField", args, kwargs
