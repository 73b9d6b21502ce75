"""
Item 5: what a learner's browser downloads for the block: JS and CSS bytes, raw and gzipped.

Measured from the fragment ``student_view`` returns to a learner (not staff), so it is
exactly what the block asks the page to load: inline JS and CSS as they are, and URLs
of the block's own package resources read from the package (as the workbench's
``package_resource`` view serves them). The runtime's own scripts (jQuery, the
workbench runtime) are not the block's and are not counted. Each resource is gzipped on
its own (level 6, a common server default), as it would be sent.
"""
from __future__ import annotations

import gzip
import re
from dataclasses import dataclass, field

from .env import Driver, poll_installed, setup_django
from .findings import Finding
from .inprocess import OUR_XML, poll_xml

TARGET_GZIPPED = 10 * 1024
RESOURCE_URL = re.compile(r"^/resource/(?P<block_type>[^/]+)/(?P<path>.+)$")


@dataclass
class Weight:
    js_raw: int = 0
    js_gzipped: int = 0
    css_raw: int = 0
    css_gzipped: int = 0
    html_raw: int = 0
    html_gzipped: int = 0
    files: list[str] = field(default_factory=list)

    @property
    def raw(self) -> int:
        return self.js_raw + self.css_raw

    @property
    def gzipped(self) -> int:
        return self.js_gzipped + self.css_gzipped

    def text(self) -> str:
        return (f"{kb(self.raw)} raw, {kb(self.gzipped)} gzipped (JS {kb(self.js_raw)} / {kb(self.js_gzipped)}, "
                f"CSS {kb(self.css_raw)} / {kb(self.css_gzipped)})")


def kb(size: int) -> str:
    return f"{size / 1024:.1f} KB"


def gzipped_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def resource_bytes(resource) -> tuple[bytes, str]:
    """The bytes of one fragment resource and a name for it."""
    if resource.kind == "text":
        return resource.data.encode("utf-8"), f"inline {resource.mimetype}"
    if resource.kind == "url":
        match = RESOURCE_URL.match(resource.data)
        if not match:
            raise ValueError(f"a resource outside the block's package: {resource.data}")
        from xblock.core import XBlock  # pylint: disable=import-outside-toplevel
        block_class = XBlock.load_class(match["block_type"])
        with block_class.open_local_resource(match["path"]) as stream:
            return stream.read(), match["path"]
    raise ValueError(f"unexpected resource kind {resource.kind!r}")


def fragment_weight(fragment) -> Weight:
    weight = Weight()
    html = fragment.body_html().encode("utf-8")
    weight.html_raw, weight.html_gzipped = len(html), gzipped_size(html)
    for resource in fragment.resources:
        data, name = resource_bytes(resource)
        if resource.mimetype == "text/css":
            weight.css_raw += len(data)
            weight.css_gzipped += gzipped_size(data)
        elif resource.mimetype == "application/javascript":
            weight.js_raw += len(data)
            weight.js_gzipped += gzipped_size(data)
        else:
            continue
        weight.files.append(f"{name} ({kb(len(data))})")
    return weight


def learner_fragment(xml: str):
    """The block's own fragment for a learner who has not answered (no runtime wrapper)."""
    setup_django()
    author, learner = Driver("bench-author"), Driver.fresh("bench-weight")
    usage = author.load(xml)
    return learner.block(usage).student_view({})


def client_weight() -> list[Finding]:
    ours = fragment_weight(learner_fragment(OUR_XML))
    poll = fragment_weight(learner_fragment(poll_xml())) if poll_installed() else None
    findings = [Finding(
        "5 client weight", "JS + CSS a learner downloads for the block (from student_view's fragment)",
        ours.text(), poll.text() if poll else "xblock-poll not installed",
        f"{kb(ours.gzipped)} gzipped", f"≤ {kb(TARGET_GZIPPED)} gzipped", ours.gzipped <= TARGET_GZIPPED,
        notes=[f"ours: {', '.join(ours.files)}"] + ([f"poll: {', '.join(poll.files)}"] if poll else []))]
    findings.append(Finding(
        "5 client weight", "HTML of student_view (informative)",
        f"{kb(ours.html_raw)} raw, {kb(ours.html_gzipped)} gzipped",
        f"{kb(poll.html_raw)} raw, {kb(poll.html_gzipped)} gzipped" if poll else "", "", "", None))
    return findings
