"""
The level gate: a container whose children only learners at chosen levels see.

Which assessment a gate follows (the ``follows`` setting):

- empty (the default): the competency assessment beside the gate, among the children of
  the gate's parent (its unit): the nearest one before the gate, else the first after it.
  This needs no ids at all and survives export, import and course reruns.
- in Open edX: the assessment's usage key as Studio shows it
  (``block-v1:Org+Course+Run+type@competency_assessment+block@<id>``), or only its block id
  (the OLX ``url_name``). A key from another run is mapped into this course.
- in the XBlock SDK workbench: the assessment's usage id, e.g.
  ``customer-service-unit.competency_assessment.d0.u0`` (the workbench numbers blocks per
  scenario, so the empty default is the practical choice there).

The gate reads the assessment's state on every render, so a retake that changes the level
opens and closes gates at once. A locked gate does not render its children at all.
"""
from __future__ import annotations

import logging

from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey, UsageKey
from web_fragments.fragment import Fragment
from xblock.completable import XBlockCompletionMode
from xblock.core import XBlock
from xblock.fields import List, Scope, String
from xblock.utils.studio_editable import StudioContainerXBlockMixin, StudioEditableXBlockMixin
from xblock.validation import ValidationMessage

from .. import package_data
from ..domain.pack_loader import PackError
from ..domain.pack_model import localize
from ..platform import runtimes
from ..platform.services import RuntimeServicesMixin
from . import followups, templates
from .assessment import CompetencyAssessmentBlock

log = logging.getLogger(__name__)

ASSESSMENT_TYPE = "competency_assessment"


def _(text):
    """Mark a string for extraction; it is translated where it is shown."""
    return text


def _course_location(usage_id) -> tuple[str, str] | None:
    """(course id, block id) when ``usage_id`` is a block in an Open edX course; None in the workbench."""
    if isinstance(usage_id, UsageKey) and isinstance(usage_id.context_key, CourseKey):
        return str(usage_id.context_key), usage_id.block_id
    return None


def block_url(block, prefix: str) -> str:
    """A link that reaches ``block``: jump_to_id in a course, else ``#<prefix>-<usage id>`` on the page."""
    usage_id = block.scope_ids.usage_id
    anchor = followups.element_id(prefix, usage_id)
    location = _course_location(usage_id)
    return followups.lesson_url(anchor, *location) if location else followups.lesson_url(anchor)


def _level_choices(_block):
    return [{"display_name": str(level), "value": level} for level in followups.LEVELS]


def _dimension_choices(block):
    """Studio's choices for ``dimension``: the overall level, then the followed assessment's dimensions."""
    choices = [{"display_name": block.ugettext("The overall level"), "value": ""}]
    assessment, _problem = block.find_assessment()
    try:
        pack = assessment.load_pack() if assessment is not None else None
    except PackError:
        pack = None
    if pack is not None:
        language = assessment.language(pack)
        choices += [{"display_name": f"{localize(d.name, language, pack.default_language)} ({d.id})", "value": d.id}
                    for d in pack.dimensions]
    if block.dimension and block.dimension not in [choice["value"] for choice in choices]:
        choices.append({"display_name": block.dimension, "value": block.dimension})  # shown, and reported
    return choices


@XBlock.wants("completion")
class CompetencyGateBlock(StudioContainerXBlockMixin, StudioEditableXBlockMixin, RuntimeServicesMixin, XBlock):
    """Show the child blocks only to learners whose competency level is one of the chosen levels."""

    display_name = String(display_name=_("Display name"), default=_("Follow-up lesson"), scope=Scope.settings)
    follows = String(display_name=_("Assessment it follows"), default="", scope=Scope.settings,
                     help=_("Empty: the competency assessment in the same unit. Otherwise the assessment's "
                            "location (usage key) or block id."))
    levels = List(display_name=_("Levels that open it"), default=[1, 2, 3], scope=Scope.settings,
                  list_style="set", list_values_provider=_level_choices,
                  help=_("The learner sees the content at these levels (1 low, 2 medium, 3 high)."))
    dimension = String(display_name=_("Dimension"), default="", scope=Scope.settings,
                       values_provider=_dimension_choices,
                       help=_("Empty: the overall level opens the gate. A dimension id of the assessment's pack "
                              "(e.g. communication): that dimension's level opens it."))
    locked_message = String(display_name=_("Locked message"), default="", scope=Scope.settings,
                            multiline_editor=True,
                            help=_("Plain text added to the locked panel, e.g. why the lesson is worth unlocking."))

    has_children = True
    completion_mode = XBlockCompletionMode.AGGREGATOR   # a container: complete when its children are
    editable_fields = ("display_name", "follows", "levels", "dimension", "locked_message")
    icon_class = "other"

    # ----- helpers -------------------------------------------------------------------------------

    def _block_type(self, usage_id) -> str | None:
        reader = self.runtime.id_reader
        try:
            return reader.get_block_type(reader.get_definition_id(usage_id))
        except Exception:  # noqa: BLE001 - each runtime has its own "no such usage" error
            return None

    def _load(self, usage_id):
        """The block ``usage_id`` for the current user, or None when the runtime cannot find it."""
        try:
            return self.runtime.get_block(usage_id)
        except Exception as error:  # noqa: BLE001 - NoSuchUsage here, ItemNotFoundError in the LMS, ...
            log.info("Level gate %s: cannot load %r: %s", self.scope_ids.usage_id, usage_id, error)
            return None

    def _reference_key(self, reference: str):
        """What ``runtime.get_block`` takes for ``reference`` (see the module docstring)."""
        location = _course_location(self.scope_ids.usage_id)
        if location is None:
            return reference
        course_key = self.scope_ids.usage_id.context_key
        try:
            return UsageKey.from_string(reference).map_into_course(course_key)
        except InvalidKeyError:
            pass
        try:
            return course_key.make_usage_key(ASSESSMENT_TYPE, reference)
        except InvalidKeyError:
            return None

    def _sibling_assessment(self):
        """The nearest competency assessment before this gate in its parent, else the first after it."""
        parent = self.get_parent()
        if parent is None:
            return None
        siblings = list(parent.children)
        own = self.scope_ids.usage_id
        position = siblings.index(own) if own in siblings else len(siblings)
        candidates = [usage_id for usage_id in siblings[:position][::-1] + siblings[position + 1:]
                      if self._block_type(usage_id) == ASSESSMENT_TYPE]
        for usage_id in candidates:
            block = self._load(usage_id)
            if isinstance(block, CompetencyAssessmentBlock):
                return block
        return None

    def find_assessment(self, reference: str | None = None):
        """
        ``(assessment, None)``, or ``(None, what is wrong)`` in words for Studio and staff.
        ``reference`` defaults to the ``follows`` setting.
        """
        reference = str((self.follows if reference is None else reference) or "").strip()
        if not reference:
            assessment = self._sibling_assessment()
            if assessment is None:
                return None, self.ugettext("This gate follows no assessment: put it in the same unit as a "
                                           "competency assessment, or give the assessment's location.")
            return assessment, None
        key = self._reference_key(reference)
        block = self._load(key) if key is not None else None
        if block is None:
            return None, self.ugettext('The assessment "{reference}" that this gate follows cannot be found.'
                                       ).format(reference=reference)
        if not isinstance(block, CompetencyAssessmentBlock):
            return None, self.ugettext('"{reference}" is not a competency assessment, so it cannot open this gate.'
                                       ).format(reference=reference)
        return block, None

    def level_problems(self, value=None) -> list[str]:
        """What is wrong with the ``levels`` setting (or ``value``), in words; empty when nothing is."""
        levels, rejected = followups.clean_levels(self.levels if value is None else value)
        problems = []
        if rejected:
            problems.append(self.ugettext("Levels must be 1, 2 or 3; these are not: {values}.").format(
                values=", ".join(repr(entry) for entry in rejected)))
        elif not levels:
            problems.append(self.ugettext("Choose at least one level that opens this gate."))
        if self.runtime_kind() == runtimes.LIBRARY:
            problems.append(self.ugettext("A level gate opens lessons in a course; in a content library "
                                          "there is no learner's level to follow."))
        return problems

    def dimension_problems(self, assessment, value=None) -> list[str]:
        """What is wrong with the ``dimension`` setting (or ``value``) for ``assessment``'s pack."""
        dimension = str((self.dimension if value is None else value) or "").strip()
        if not dimension or assessment is None:
            return []
        try:
            known = [d.id for d in assessment.load_pack().dimensions]
        except PackError:
            return []   # the assessment reports its broken pack itself
        if dimension in known:
            return []
        return [self.ugettext('"{dimension}" is not a dimension of the assessment\'s pack; use one of: {known}.'
                              ).format(dimension=dimension, known=", ".join(known))]

    def lesson_for(self, assessment) -> followups.Lesson | None:
        """This gate as a follow-up lesson of ``assessment``; None if it follows another or is misconfigured."""
        followed, problem = self.find_assessment()
        levels, _rejected = followups.clean_levels(self.levels)
        if (problem or self.level_problems() or followed.scope_ids.usage_id != assessment.scope_ids.usage_id
                or self.dimension_problems(followed)):
            return None
        return followups.Lesson(title=self.display_name, levels=levels, url=block_url(self, "competency-gate"),
                                dimension=self.dimension.strip(), children=tuple(self.children))

    # ----- Studio --------------------------------------------------------------------------------

    def validate_field_data(self, validation, data):
        assessment, problem = self.find_assessment(data.follows)
        for text in (([problem] if problem else []) + self.level_problems(data.levels)
                     + self.dimension_problems(assessment, data.dimension)):
            validation.add(ValidationMessage(ValidationMessage.ERROR, text))

    def author_preview_view(self, context):
        """Studio's preview shows what staff see: the children and which levels open them."""
        return self._render(context, as_staff=True)

    # ----- views ---------------------------------------------------------------------------------

    @XBlock.supports("multi_device")  # for the mobile apps, as the assessment's (no script at all)
    def student_view(self, context=None):
        return self._render(context, as_staff=self.user_is_staff())

    def _render(self, context, as_staff: bool) -> Fragment:
        fragment = Fragment()
        assessment, problem = self.find_assessment()
        problems = ([problem] if problem else []) + self.level_problems() + self.dimension_problems(assessment)
        levels, _rejected = followups.clean_levels(self.levels)
        dimension = self.dimension.strip()
        current_level = None
        if assessment is not None and not problems:
            current_level = (assessment.current_dimension_levels().get(dimension) if dimension
                             else assessment.current_level())
        if as_staff:
            state = "staff"
        elif problems:
            state = "unavailable"
        else:
            state = "open" if current_level in levels else "locked"
        template_context = {
            "state": state,
            "anchor": followups.element_id("competency-gate", self.scope_ids.usage_id),
            "title": self.display_name,
            "levels_text": followups.join_levels(levels, self.ugettext("or")),
            "current_level": current_level,
            "assessment_name": assessment.display_name if assessment is not None else "",
            "dimension_name": self._dimension_name(assessment, dimension) if dimension else "",
            "assessment_url": block_url(assessment, "competency-assessment") if assessment is not None else "",
            "locked_message": self.locked_message,
            "problems": problems if as_staff else [],
            # a locked or broken gate renders no child at all: nothing of their content reaches the page
            "children": self._render_children(context, fragment) if state in ("open", "staff") else [],
        }
        fragment.add_content(templates.render("static/html/gate.html", template_context,
                                              self.i18n_service()))
        fragment.add_css(package_data.read_text("static/css/gate.css"))
        return fragment

    def _dimension_name(self, assessment, dimension: str) -> str:
        """The dimension's name in the assessment's content language (its id when the pack cannot tell)."""
        try:
            pack = assessment.load_pack()
        except PackError:
            return dimension
        found = pack.dimension(dimension)
        return localize(found.name, assessment.language(pack), pack.default_language) if found else dimension

    def _render_children(self, context, fragment) -> list[str]:
        children = list(self.get_children())
        # As the LMS's vertical does for its own children (xmodule/vertical_block.py): the
        # children the completion service would mark complete on view get the data attribute
        # the LMS's script looks for anywhere in the unit. Without it a text lesson inside a
        # gate could never be completed, and "every opened lesson completed" never happen.
        completion = self.runtime.service(self, "completion")
        to_mark, delay = [], None
        if completion is not None and completion.completion_tracking_enabled():
            to_mark = completion.blocks_to_mark_complete_on_view(children)
            delay = completion.get_complete_on_view_delay_ms()
        rendered = []
        for child in children:
            child_context = dict(context or {})
            if child in to_mark:
                child_context["wrap_xblock_data"] = {"mark-completed-on-view-after-delay": delay}
            child_fragment = self.runtime.render_child(child, "student_view", child_context)
            fragment.add_fragment_resources(child_fragment)
            rendered.append(child_fragment.body_html())
        return rendered
