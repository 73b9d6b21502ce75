"""
The competency assessment XBlock: persists answers and results, renders, publishes.

Content comes from a pack (``pack_loader``), scores from ``scoring``, template data
from ``presenters``; this module only wires them to the runtime.
"""
from __future__ import annotations

import json
import logging
from datetime import datetime, timezone
from xml.sax.saxutils import escape as xml_escape

from django.utils import translation
from web_fragments.fragment import Fragment
from webob import Response
from xblock.completable import XBlockCompletionMode
from xblock.core import XBlock
from xblock.fields import Dict, Float, Integer, List, Scope, String
from xblock.plugin import PluginMissingError
from xblock.scorable import ScorableXBlockMixin
from xblock.utils.resources import ResourceLoader

from .. import package_data
from ..domain import authoring, dimension_levels, reassessment, scoring, self_view, state_layout
from ..domain.overrides import OverridesError, apply_overrides
from ..domain.pack_loader import PackError, parse_pack_cached
from ..domain.pack_model import Pack
from ..platform import attempt_claims, pack_sources
from ..platform.services import RuntimeServicesMixin
from . import followups, loop, presenters, request_body, templates
from .grading import AssessmentGradingMixin
from .staff import CompetencyStaffMixin
from .studio import AssessmentStudioMixin

log = logging.getLogger(__name__)
loader = ResourceLoader("competency_xblock")  # the scenarios/ folder

GRADING_MODES = ("score", "level")
RETAKE_POLICIES = ("best", "latest")
MAX_BODY_BYTES = 64 * 1024


def _(text):
    """Mark a string for extraction; it is translated where it is shown."""
    return text


class HandlerError(Exception):
    """A request the block refuses; becomes a JSON 4xx answer."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def json_handler(method):
    """Like ``XBlock.json_handler``, but bad bodies and refusals answer 4xx JSON, never 500."""
    @XBlock.handler
    def wrapper(self, request, suffix=""):
        def answer(payload, status=200):
            return Response(json.dumps(payload), status=status, content_type="application/json", charset="utf8")
        if request.method != "POST":
            return answer({"error": self.ugettext("Only POST is allowed.")}, 405)
        try:
            data = request_body.json_object(request, MAX_BODY_BYTES, self.ugettext)
        except request_body.BadRequestBody as error:
            return answer({"error": str(error)}, error.status)
        try:
            self.upgrade_saved_state()
            return answer(method(self, data, suffix))
        except HandlerError as error:
            return answer({"error": str(error)}, error.status)
        except scoring.AnswerError as error:
            return answer({"error": str(error)}, 400)
    wrapper.__name__ = method.__name__
    wrapper.__doc__ = method.__doc__
    return wrapper


@XBlock.wants("completion")
class CompetencyAssessmentBlock(AssessmentStudioMixin, CompetencyStaffMixin, AssessmentGradingMixin,
                                RuntimeServicesMixin, ScorableXBlockMixin, XBlock):
    """Assess a competency, grade the learner to a level, and point to what comes next."""

    display_name = String(display_name=_("Display name"), default=_("Customer service self-check"),
                          scope=Scope.settings)
    pack_id = String(display_name=_("Competency pack"), default="customer_service", scope=Scope.settings,
                     help=_("Which installed competency pack the assessment uses."))
    # Content, not settings: Open edX's split modulestore copies a block's settings into every
    # version of the course structure, while content lives in a definition of its own (as HTML's does).
    course_pack = String(display_name=_("The course's own pack"), default="", scope=Scope.content,
                         multiline_editor=True,
                         help=_("A whole pack as YAML, written in Studio; when set it is used instead of the "
                                "installed pack. Saved only when valid."))
    intro = String(display_name=_("Introduction"), default="", scope=Scope.settings, multiline_editor=True,
                   help=_("Shown above the questions; plain text. Empty: the pack's definition."))
    max_attempts = Integer(display_name=_("Attempts"), default=0, scope=Scope.settings,
                           help=_("How many times a learner may submit; 0 means no limit."))
    grading_mode = String(display_name=_("Grading mode"), default="score", values=GRADING_MODES,
                          scope=Scope.settings,
                          help=_("score: the overall percentage is the grade; level: the level out of 3."))
    retake_policy = String(display_name=_("Result that counts"), default="best", values=RETAKE_POLICIES,
                           scope=Scope.settings, help=_("best: the highest attempt counts; latest: the last."))
    cut_scores = List(display_name=_("Cut scores"), default=[], scope=Scope.settings,
                      help=_("Two percentages C1 < C2 that start levels 2 and 3; empty: the pack's."))
    weight = Float(display_name=_("Problem weight"), default=1.0, scope=Scope.settings, values={"min": 0})
    follow_up_lessons = Dict(display_name=_("Follow-up lessons"), default={}, scope=Scope.settings,
                             help=_('Per level, a list of {"title": ..., "url": ...}; keys "1", "2", "3".'))
    content_language = String(display_name=_("Content language"), default="", scope=Scope.settings,
                              help=_("Language of the pack texts; empty: the learner's or course language."))
    self_assessment_weight = Float(display_name=_("Self-assessment weight"), default=None, scope=Scope.settings,
                                   help=_("How much self-ratings count in a dimension, 0 to 0.5; empty: the pack's."))
    extra_links = List(display_name=_("Extra training links"), default=[], scope=Scope.settings,
                       help=_('Shown with the pack\'s links: [{"levels": [1, 2], "title": ..., "url": "https://..."}].'))
    dimension_follow_ups = Dict(
        display_name=_("Lessons per dimension"), default={}, scope=Scope.settings,
        help=_('Per dimension and level, lessons for the areas to work on: '
               '{"communication": {"1": [{"title": ..., "url": ...}]}}.'))
    retake_wait_days = Integer(display_name=_("Wait before a retake (days)"), default=0, scope=Scope.settings,
                               help=_("Days a learner waits after submitting before a retake; 0: no wait."))
    item_overrides = Dict(display_name=_("Question overrides"), default={}, scope=Scope.settings,
                          help=_("Pack questions switched off or reworded, and questions added; see overrides.py."))

    answers = Dict(default={}, scope=Scope.user_state, help="Draft answers, saved as the learner goes.")
    results = List(default=[], scope=Scope.user_state, help="One entry per submitted attempt, oldest first.")
    raw_score = Dict(default={}, scope=Scope.user_state, help="The score that counts: raw_earned, raw_possible.")
    # A missing version means the first layout; see state_layout.
    state_version = Integer(default=1, scope=Scope.user_state)

    has_author_view = False
    completion_mode = XBlockCompletionMode.COMPLETABLE
    has_custom_completion = True
    icon_class = "problem"

    # ----- helpers -------------------------------------------------------------------------------

    COURSE_PACK_LABEL = "course pack"

    def pack_library(self):
        """The installed packs (``platform.pack_sources``: shipped, other distributions, operator folders)."""
        return pack_sources.installed_library()

    def load_pack(self) -> Pack:
        """The course's own pack when it has one, else the installed pack; raises PackError when it cannot be used."""
        if self.course_pack:
            return parse_pack_cached(self.course_pack, self.COURSE_PACK_LABEL)
        return self.pack_library().get(self.pack_id)

    def language(self, pack: Pack) -> str:
        return pack.language_for(self.content_language or translation.get_language())

    def effective_cut_scores(self, pack: Pack) -> tuple[float, float]:
        """The block's cut scores when set and valid (see ``authoring``), else the pack's."""
        cuts = self.cut_scores
        if cuts and not authoring.cut_score_problems(cuts):
            return (float(cuts[0]), float(cuts[1]))
        return pack.scoring.cut_scores

    def effective_self_assessment_weight(self, pack: Pack) -> float:
        weight = self.self_assessment_weight
        if authoring.is_number(weight) and 0 <= weight <= authoring.MAX_SELF_ASSESSMENT_WEIGHT:
            return float(weight)
        return pack.scoring.self_assessment_weight

    def active_items(self, pack: Pack):
        """The pack's items after the Studio question overrides; the pack's own when those do not fit."""
        overrides_key = json.dumps(self.item_overrides, sort_keys=True)
        memo = getattr(self, "_active_items_memo", None)   # overrides are checked once per pack and value
        if memo is None or memo[0] is not pack or memo[1] != overrides_key:
            try:
                items = apply_overrides(pack, self.item_overrides)
            except OverridesError as error:
                log.warning("Question overrides of %s ignored: %s", self.scope_ids.usage_id, error)
                items = pack.items
            memo = self._active_items_memo = (pack, overrides_key, items)
        return memo[2]

    def attempts_left(self) -> int | None:
        """Attempts the learner still has; None when unlimited."""
        if not self.max_attempts or self.max_attempts <= 0:
            return None
        return max(self.max_attempts - len(self.results), 0)

    def score_answers(self, pack: Pack, answers: dict) -> scoring.Result:
        return scoring.score(self.active_items(pack), pack.dimensions, answers, self.effective_cut_scores(pack),
                             self.effective_self_assessment_weight(pack), pack.scoring.min_items_per_dimension)

    def current_level(self, pack: Pack | None = None) -> int | None:
        """
        The learner's level now: that of the counted attempt, rescored from its answers with
        today's pack and cut scores (as the grade is), so a retake or a cut-score change opens
        and closes gates at once. None before any submission (or when no level was reached);
        the stored level when the pack cannot be loaded. ``pack``: the block's, when already loaded.
        """
        if not self.results:
            return None
        if pack is None:
            try:
                pack = self.load_pack()
            except PackError:
                return (self.counted_result() or {}).get("level")
        return (self.rescored_counted_result(pack) or {}).get("level")

    def current_dimension_levels(self, pack: Pack | None = None) -> dict[str, int | None]:
        """Dimension id -> level of the counted attempt, rescored as ``current_level`` is; {} before any."""
        if not self.results:
            return {}
        if pack is None:
            try:
                pack = self.load_pack()
            except PackError:
                levels = (self.counted_result() or {}).get("dimension_levels")
                return levels if isinstance(levels, dict) else {}
        return (self.rescored_counted_result(pack) or {}).get("dimension_levels") or {}

    def dimension_levels_of(self, pack: Pack, result: scoring.Result) -> dict[str, int | None]:
        return dimension_levels.dimension_levels(result, pack.dimensions, self.effective_cut_scores(pack))

    def retake_opens_at(self):
        """When the next attempt may be submitted; None without a wait (or before any attempt)."""
        last = self.results[-1].get("submitted_at") if self.results else None
        return reassessment.retake_opens_at(last, self.retake_wait_days)

    # Read by Open edX's stock <conditional> block, e.g. <conditional sources="..." poll_answer="3">;
    # it compares str(value) (calling methods first) with the attribute's text.
    @property
    def poll_answer(self) -> str:
        """The current level as "1", "2" or "3"; "" before any submission."""
        level = self.current_level()
        return str(level) if level else ""

    def is_attempted(self) -> bool:
        """The learner has saved answers or submitted at least once (<conditional attempted="True">)."""
        return bool(self.results or self.answers)

    def is_submitted(self) -> bool:
        """The learner has submitted at least once (<conditional submitted="True">)."""
        return bool(self.results)

    # ----- views ---------------------------------------------------------------------------------

    def upgrade_saved_state(self) -> None:
        """Bring the learner's saved state to the current layout (see ``state_layout``)."""
        if self.state_version == state_layout.CURRENT_VERSION:
            return
        if not self.answers and not self.results:
            return  # nothing saved yet: nothing to upgrade, and no write on a mere view
        version, state = state_layout.upgrade(self.state_version, {"answers": self.answers,
                                                                   "results": self.results})
        self.answers, self.results, self.state_version = state["answers"], state["results"], version

    def mark_current_layout(self) -> None:
        """Record that the saved state has the current layout; written only when it changes."""
        if self.state_version != state_layout.CURRENT_VERSION:
            self.state_version = state_layout.CURRENT_VERSION

    # The mobile apps show a block inline only when its student_view supports multi_device
    # (lms/djangoapps/course_api/blocks/transformers/student_view.py); the view is plain JS, no jQuery.
    @XBlock.supports("multi_device")
    def student_view(self, context=None):
        self.upgrade_saved_state()
        try:
            pack = self.load_pack()
        except PackError as error:
            return self._pack_error_fragment(error)
        language = self.language(pack)
        latest = self.results[-1] if self.results else None
        show_form = latest is None or bool(self.answers)
        context = {
            "title": self.display_name,
            "anchor": followups.element_id("competency-assessment", self.scope_ids.usage_id),
            "intro": self.intro or presenters.localize_text(pack.definition, language, pack),
            "pack_name": presenters.localize_text(pack.name, language, pack),
            "show_form": show_form,
            # A result page comes without the questions: its Retake button asks question_form for them.
            "questions_html": self._render_questions(pack, language) if show_form else "",
            "result_html": self._render_result(pack, latest, language) if latest else "",
            "language": language,
        }
        fragment = Fragment(templates.render("static/html/assessment.html", context,
                                             self.i18n_service()))
        fragment.add_css(package_data.read_text("static/css/assessment.css"))
        self.add_javascript_catalog(fragment)
        fragment.add_javascript(package_data.read_text("static/js/assessment.js"))
        fragment.initialize_js("CompetencyAssessment")
        if self.user_is_staff():
            self.add_staff_section(fragment)
        return fragment

    def _render_questions(self, pack: Pack, language: str) -> str:
        groups = presenters.question_context(pack, self.active_items(pack), language, self.answers)
        return templates.render("static/html/questions.html", {"groups": groups}, self.i18n_service())

    def _render_result(self, pack: Pack, record: dict, language: str | None = None,
                       result: scoring.Result | None = None) -> str:
        """
        The result page of ``record``, the latest attempt, scored again with today's key and
        cut scores unless ``result`` (just scored) is given; ``language``: the block's, when known.
        """
        language = language or self.language(pack)
        if result is None:
            answers = record.get("answers")
            result = self.score_answers(pack, self._valid_answers(pack, answers if isinstance(answers, dict) else {}))
        # The gates follow the counted attempt; of one attempt that is the one just scored.
        counted_level = result.level if len(self.results) == 1 else self.current_level(pack)
        counted_dimension_levels = (self.dimension_levels_of(pack, result) if len(self.results) == 1
                                    else self.current_dimension_levels(pack))
        gates = self.gate_lessons()
        follow_ups = (authoring.usable_follow_ups(self.follow_up_lessons, result.level)
                      + followups.open_lessons([g for g in gates if not g.dimension], counted_level))
        context = presenters.result_context(pack, result, language, follow_ups,
                                            authoring.usable_extra_links(self.extra_links, result.level),
                                            self.active_items(pack))
        context.update(loop.loop_context(self, pack, result, language, gates, counted_level,
                                         counted_dimension_levels, context["dimensions"]))
        context.update({
            "attempts_left": self.attempts_left(),
            "history": [{"number": n, "submitted_at": r.get("submitted_at", "")[:16].replace("T", " "),
                         "level": r.get("level"), "overall": scoring.shown_percent(r["overall"]) if authoring.is_number(r.get("overall")) else None}
                        for n, r in enumerate(self.results, start=1)],
        })
        return templates.render("static/html/result.html", context, self.i18n_service())

    def open_gate_lessons(self, level: int | None) -> list[dict]:
        """
        Level gates beside this assessment (children of its parent) that follow it and that
        ``level`` (the current one, see ``current_level``) opens, as {"title", "url"}. Gates
        elsewhere in the course are not searched: list those in the follow_up_lessons setting.
        """
        return followups.open_lessons([g for g in self.gate_lessons() if not g.dimension], level)

    def gate_lessons(self) -> list[followups.Lesson]:
        """The level gates beside this assessment that follow it, as lessons (overall and per dimension)."""
        parent = self.get_parent() if self.results else None
        if parent is None:
            return []
        # Only the gates are built: building a block reads its fields, and a unit's other
        # children (videos, problems, text) are no business of this one.
        lessons = [gate.lesson_for(self) for gate in parent.get_children(usage_id_filter=self._is_level_gate)]
        return [lesson for lesson in lessons if lesson]

    def _is_level_gate(self, usage_id) -> bool:
        """Whether block ``usage_id`` is a level gate, told from its type without building it."""
        id_reader = self.runtime.id_reader
        try:
            block_class = self.runtime.load_block_type(id_reader.get_block_type(id_reader.get_definition_id(usage_id)))
        except PluginMissingError:
            return False
        return hasattr(block_class, "lesson_for")  # duck-typed: CompetencyGateBlock, not imported here

    def _pack_error_fragment(self, error: PackError) -> Fragment:
        log.warning("Competency pack %r cannot be used: %s", self.pack_id, error)
        context = {"is_staff": self.user_is_staff(),
                   "issues": [self.pack_issue_text(issue, with_file=True) for issue in error.issues[:20]]}
        return Fragment(templates.render("static/html/pack_error.html", context, self.i18n_service()))

    # ----- handlers ------------------------------------------------------------------------------

    def _pack_or_refuse(self) -> Pack:
        try:
            return self.load_pack()
        except PackError:
            raise HandlerError(self.ugettext("This assessment is not available right now."), 503) from None

    def _refuse_without_attempts(self):
        if self.attempts_left() == 0:
            raise HandlerError(self.ugettext("You have used all your attempts."), 403)

    def _refuse_during_wait(self):
        opens_at = self.retake_opens_at()
        if reassessment.must_wait(opens_at, datetime.now(timezone.utc)):
            raise HandlerError(self.ugettext("You can retake the assessment from {date} (UTC).").format(
                date=opens_at.strftime("%Y-%m-%d %H:%M")), 403)

    @json_handler
    def question_form(self, data, suffix=""):
        """The questions as HTML (saved draft answers checked), for a retake from the result page."""
        pack = self._pack_or_refuse()
        self._refuse_without_attempts()
        self._refuse_during_wait()
        return {"html": self._render_questions(pack, self.language(pack))}

    @json_handler
    def save_answers(self, data, suffix=""):
        """Autosave: replace the draft with ``{"answers": {item id: option id or 1..5}}``."""
        pack = self._pack_or_refuse()
        self._refuse_without_attempts()
        answers = scoring.clean_answers({i.id: i for i in self.active_items(pack)}, data.get("answers"))
        self.answers = answers
        self.mark_current_layout()
        return {"saved": len(answers)}

    @json_handler
    def submit(self, data, suffix=""):
        """Score ``{"answers": {...}}`` from the server's key, keep the attempt, publish the grade."""
        pack = self._pack_or_refuse()
        self._refuse_without_attempts()
        self._refuse_during_wait()
        items = self.active_items(pack)
        answers = scoring.clean_answers({i.id: i for i in items}, data.get("answers"))
        missing = [item.id for item in items if item.id not in answers]
        if missing:
            raise HandlerError(self.ngettext("Please answer every question before submitting ({count} question left).",
                                             "Please answer every question before submitting ({count} questions left).",
                                             len(missing)).format(count=len(missing)))
        result = self.score_answers(pack, answers)
        claim = attempt_claims.claim(self.scope_ids.usage_id, self.scope_ids.user_id, len(self.results),
                                     self.results[-1].get("submitted_at") if self.results else None)
        if claim is None:
            raise HandlerError(self.ugettext("This attempt has just been submitted, perhaps from another tab. "
                                             "Reload the page to see your result."), 409)
        try:
            record = self._result_record(pack, result, answers, datetime.now(timezone.utc).isoformat())
            self.results = self.results + [record]
            if self.answers:  # each field set is a write, even of an equal value
                self.answers = {}
            self.mark_current_layout()
            score = self.score_for(self.counted_result())
            self.set_score(score)
            self._publish_grade(score, only_if_higher=self.retake_policy == "best")
            self.runtime.publish(self, "completion", {"completion": 1.0})
            self.runtime.publish(self, "competency_xblock.submitted", {
                "level": record["level"], "overall": record["overall"], "attempt": len(self.results)})
        except Exception:
            attempt_claims.release(claim)  # nothing was kept: the learner may submit this attempt again
            raise
        return {"level": record["level"], "attempts_left": self.attempts_left(),
                "result_html": self._render_result(pack, record, result=result)}

    def _result_record(self, pack: Pack, result: scoring.Result, answers: dict, submitted_at) -> dict:
        return {
            "submitted_at": submitted_at, "answers": dict(answers), "pack_version": pack.version,
            "overall": result.overall, "level": result.level, "borderline": result.borderline,
            "dimensions": {d.id: d.percent for d in result.dimensions},
            "dimension_levels": self.dimension_levels_of(pack, result),
            "self_gaps": self_view.gaps(result),
        }

    # ----- workbench -----------------------------------------------------------------------------

    @staticmethod
    def workbench_scenarios():
        return [
            ("Competency assessment: customer service",
             loader.load_unicode("scenarios/assessment.xml")),
            ("Competency assessment: a unit with an introduction",
             loader.load_unicode("scenarios/unit.xml")),
            ("Customer service unit",
             loader.load_unicode("scenarios/customer_service_unit.xml")),
            # The teamwork example as a course's own pack, as a designer would write it in Studio.
            ("Competency assessment: the course's own pack (teamwork)",
             '<competency_assessment url_name="own_pack" display_name="Teamwork: where do you stand?">'
             f'<course_pack>{xml_escape(package_data.read_text("content/examples/teamwork.yaml"))}</course_pack>'
             "</competency_assessment>"),
        ]
