"""The JSON object a handler's request carries, or why it cannot be read (one message per reason)."""
from __future__ import annotations

import json


class BadRequestBody(ValueError):
    """A request body that is too large, not JSON, or not a JSON object; ``status`` is the HTTP answer."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def json_object(request, max_bytes: int, gettext) -> dict:
    """The body of ``request`` as a JSON object of at most ``max_bytes``; raises :class:`BadRequestBody`."""
    body = request.body or b""
    if len(body) > max_bytes:
        raise BadRequestBody(gettext("The request is too large."), 413)
    try:
        data = json.loads(body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise BadRequestBody(gettext("The request body is not valid JSON.")) from None
    if not isinstance(data, dict):
        raise BadRequestBody(gettext("The request body must be a JSON object."))
    return data
