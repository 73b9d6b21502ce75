"""
Which Open edX runtime is rendering a block: the LMS (and the workbench), Studio's preview, or Learning Core.

What differs, from the platform's source:

- Studio's preview (cms/djangoapps/contentstore/views/preview.py, ``_prepare_runtime_for_preview``)
  marks its runtime ``is_author_mode = True``. Learners' saved results are no business of a
  preview, even though the LMS's user state client may import there.
- Learning Core, the content libraries v2 runtime (openedx/core/djangoapps/xblock/runtime/runtime.py),
  renders blocks whose usage keys are ``LibraryUsageLocatorV2`` (``lb:...``); its ``user``
  service sets ``edx-platform.user_is_staff`` from ``user.is_staff`` (global staff, not course
  staff), it has no course learners, and its OLX parser cannot add a container's children
  (``add_node_as_child`` is not implemented there).
"""
from __future__ import annotations

from opaque_keys.edx.locator import LibraryUsageLocatorV2

LMS = "lms"
STUDIO_PREVIEW = "studio_preview"
LIBRARY = "library"


def runtime_kind(block) -> str:
    """``LMS``, ``STUDIO_PREVIEW`` or ``LIBRARY`` for the runtime rendering ``block``."""
    if getattr(block.runtime, "is_author_mode", False):
        return STUDIO_PREVIEW
    if isinstance(block.scope_ids.usage_id, LibraryUsageLocatorV2):
        return LIBRARY
    return LMS
