"""Static files straight from the app folders, so the embedded server needs no web server in front.

Production may still put nginx in front of ``collectstatic``'s output; this view is the fallback.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpRequest


def serve_static(request: HttpRequest, path: str) -> FileResponse:
    found = finders.find(path)
    if not found or isinstance(found, list) or ".." in Path(path).parts:
        raise Http404
    content_type, _ = mimetypes.guess_type(found)
    response = FileResponse(open(found, "rb"), content_type=content_type or "application/octet-stream")  # noqa: SIM115
    response["Cache-Control"] = "public, max-age=3600"
    return response
