"""Helpers to drive blocks through the XBlock SDK's workbench runtime, as the LMS would."""
from __future__ import annotations

import json

import webob
from workbench.runtime import WorkbenchRuntime


class Learner:
    """One user of the workbench, with the grade and completion events their blocks publish."""

    def __init__(self, user_id: str = "learner"):
        self.runtime = WorkbenchRuntime(user_id)
        self.events: list[tuple[str, dict]] = []
        logging_publish = self.runtime.publish

        def publish(block, event_type, event_data):
            self.events.append((event_type, event_data))
            logging_publish(block, event_type, event_data)
        self.runtime.publish = publish

    def load(self, xml: str):
        """Parse ``xml`` as a new scenario and return its root block."""
        return self.runtime.get_block(self.runtime.parse_xml_string(xml))

    def block(self, usage_id):
        """The block ``usage_id`` as this learner sees it (their own user state)."""
        return self.runtime.get_block(usage_id)

    def call(self, block, handler: str, payload, method: str = "POST"):
        """Call a handler; return (status code, parsed JSON body or raw text)."""
        request = webob.Request.blank("/")
        request.method = method
        request.body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        response = self.runtime.handle(block, handler, request)
        try:
            body = json.loads(response.body)
        except ValueError:
            body = response.body.decode("utf-8", "replace")
        return response.status_code, body

    def render(self, block, view: str = "student_view") -> str:
        return self.runtime.render(block, view).body_html()

    def published(self, event_type: str) -> list[dict]:
        return [data for kind, data in self.events if kind == event_type]
