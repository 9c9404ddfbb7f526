"""A ceiling on every uploaded file, enforced while the request body is read.

The image and document forms refuse files over their own limits with a message, but only once
Django has received the whole file (on disk past 2.5 MB): a 5 GB upload would fill the disk
first. Past `SIXDEGREE_MAX_UPLOAD_SIZE` bytes a file is dropped as it streams in, so the form
sees no file and says so; nothing of it is kept.
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile


class UploadSizeLimitHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: skips a file once it passes the ceiling."""

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > settings.SIXDEGREE_MAX_UPLOAD_SIZE:
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        # The next handler (memory or temporary file) builds the uploaded file.
        return None
