"""
The assessment's instructor side: cohort figures, the staff view and its CSV,
rows for Open edX reports, and the data the mobile app reads.

A mixin of :class:`~competency_xblock.assessment.CompetencyAssessmentBlock`; it uses
the block's ``load_pack``, ``active_items``, ``language``, ``counted_result``,
``rescored``, ``attempts_left``, ``user_state_client``, ``user_is_staff`` and ``ugettext``. The figures
come from ``statistics`` and the rows and texts from ``reports``, both pure.

Cohort figures
    Worked out when staff ask for them, from every learner's saved results: each
    learner counts once, with the attempt that counts for the grade under
    ``retake_policy`` (best or latest), rescored with today's questions, key and cut
    scores, so the figures describe the grades instructors see. Nothing shared is
    written when a learner submits: a running total in one shared field
    (``Scope.user_state_summary``) lost 165 of 200 updates under concurrent
    submissions in the load test, because no runtime offers an atomic update of an
    XBlock field. The learners' states come from the runtime's user state client
    (``services.RuntimeServicesMixin.user_state_client``), the source of Open edX's
    own problem responses report.
"""
from __future__ import annotations

import csv
import io
import json

from webob import Response
from xblock.core import XBlock, XBlockMixin

from .. import package_data
from ..domain import cohort, growth, reports, state_layout, statistics
from ..domain.pack_loader import PackError
from ..domain.pack_model import SCALE_MAX, SCALE_MIN
from ..platform import cohort_jobs, runtimes
from ..platform.services import staff_only
from . import loop, templates


def _shown_time(iso_time: str) -> str:
    """``2026-11-30T09:40:12+00:00`` as staff read it: ``2026-11-30 09:40 UTC``."""
    return iso_time[:16].replace("T", " ") + " UTC" if iso_time else ""


def _json_response(payload, status: int = 200) -> Response:
    return Response(json.dumps(payload), status=status, content_type="application/json", charset="utf8")


class CompetencyStaffMixin(XBlockMixin):
    """Cohort figures, the staff view, the statistics CSV, report rows and mobile data."""

    # ----- cohort figures ------------------------------------------------------------------------

    def cohort_rules(self, pack) -> cohort.CohortRules:
        """The block's settings that decide the figures (read once: a field read is dear in a long pass)."""
        return cohort.CohortRules(pack, tuple(self.active_items(pack)), self.effective_cut_scores(pack),
                                  self.effective_self_assessment_weight(pack), self.retake_policy, self.grading_mode)

    def cohort_report(self, pack) -> dict | None:
        """
        The figures of ``statistics.report`` over every learner who submitted, for today's
        questions, worked out here and now (the staff view runs ``cohort_jobs`` instead, on
        the platform's workers); None when the runtime gives no access to the learners' states.
        """
        client = self.user_state_client()
        if client is None:
            return None
        return cohort.figures(self.cohort_rules(pack), client.iter_all_for_block(self.scope_ids.usage_id))

    def _cohort_unavailable(self) -> str:
        kind = self.runtime_kind()
        if kind == runtimes.STUDIO_PREVIEW:
            return self.ugettext("Cohort figures are shown in the LMS, not in Studio's preview.")
        if kind == runtimes.LIBRARY:
            return self.ugettext("Cohort figures are shown where the assessment is used in a course, "
                                 "not in a content library.")
        return self.ugettext("Cohort figures are not available here: this platform does not let the block "
                             "read the learners' saved results.")

    # ----- staff view ----------------------------------------------------------------------------

    def add_staff_section(self, fragment) -> None:
        """
        Append the staff shell to ``fragment``; call it only for staff.

        It reads no learner state: working the figures out costs one pass over every
        learner's saved results (seconds in a large course), so the shell's button fetches
        them from ``staff_figures`` only when asked.
        """
        fragment.add_content(templates.render("static/html/staff.html", {}, self.i18n_service()))
        fragment.add_css(package_data.read_text("static/css/staff.css"))

    def staff_figures_html(self, pack, kept: dict | None) -> str:
        """The kept figures' HTML (when, learners, chart, tables, CSV link); "" when none are kept."""
        if not kept:
            return ""
        rules = self.cohort_rules(pack)
        context = reports.staff_context(kept["figures"], pack, rules.items, self.language(pack), self.ugettext,
                                        self.ngettext)
        context.update(loop.staff_loop_context(kept["figures"], pack, self.language(pack)))
        context.update({"retake_policy": rules.retake_policy, "computed_at": _shown_time(kept["computed_at"]),
                        "job_id": kept["job_id"],
                        "stale": kept["fingerprint"] != rules.fingerprint(),
                        "csv_url": self.runtime.handler_url(self, "staff_statistics_csv")})
        return templates.render("static/html/staff_figures.html", context, self.i18n_service())

    def _figures_status(self, pack) -> Response:
        """The staff shell's view of the job and the kept figures, as JSON (see ``staff_figures``)."""
        found = cohort_jobs.status(self.scope_ids.usage_id)
        job, kept = found["job"] or {}, found["kept"]
        state = job.get("state") or "none"
        return _json_response({"state": state, "job_id": job.get("id"), "read": job.get("read", 0),
                               "message": self._job_message(state, job), "kept": bool(kept),
                               "computed_at": kept["computed_at"] if kept else None,
                               "learners": kept["learners"] if kept else None,
                               "html": self.staff_figures_html(pack, kept)})

    def _job_message(self, state: str, job: dict) -> str:
        """What the staff shell says of the job: its progress, or why it failed."""
        _ = self.ugettext
        if state == cohort_jobs.QUEUED:
            return _("Waiting for a worker to start on the figures…")
        if state == cohort_jobs.RUNNING:
            return _("Working out the figures: {count} learners read so far…").format(count=f"{job.get('read', 0):,}")
        if state != cohort_jobs.FAILED:
            return ""
        reason = {
            cohort_jobs.BROKEN_PACK: _("the competency pack cannot be loaded"),
            cohort_jobs.UNREADABLE_STATE: _("the learners' saved results could not be read"),
            cohort_jobs.NOT_QUEUED: _("the job could not be handed to the platform's workers"),
            cohort_jobs.LOST: _("the job stopped without finishing"),
        }.get(job.get("reason"), _("an unexpected error"))
        detail = f" ({job['detail']})" if job.get("detail") else ""
        return _("The figures could not be worked out: {reason}{detail}. Nothing was changed; "
                 "press Try again.").format(reason=reason, detail=detail)

    def _refuse_figures(self) -> Response | None:
        """A 503 answer when the figures cannot be worked out here at all; None when they can."""
        try:
            self.load_pack()
        except PackError:
            return _json_response({"error": self.ugettext("This assessment is not available right now.")}, 503)
        if self.user_state_client() is None:
            return _json_response({"error": self._cohort_unavailable()}, 503)
        return None

    @XBlock.handler
    @staff_only
    def staff_figures(self, request, suffix=""):
        """
        Start the cohort figures job (POST), or join the one running, and answer at once with
        its status (``staff_figures_status``); 403 for learners, 503 when no figures can be had.
        """
        if request.method != "POST":
            return _json_response({"error": self.ugettext("Use POST to start the figures.")}, 405)
        refusal = self._refuse_figures()
        if refusal is not None:
            return refusal
        pack = self.load_pack()
        cohort_jobs.start(self.scope_ids.usage_id, cohort_jobs.job_settings(
            self.cohort_rules(pack), self.item_overrides, self.course_pack, self.COURSE_PACK_LABEL))
        return self._figures_status(pack)

    @XBlock.handler
    @staff_only
    def staff_figures_status(self, request, suffix=""):
        """
        The job and the kept figures as JSON (GET or POST): ``state`` (none, queued, running, done,
        failed), ``read``, ``message``, and ``html``, ``computed_at``, ``learners`` of the kept figures.
        Reads no learner state. 403 for learners.
        """
        refusal = self._refuse_figures()
        return refusal if refusal is not None else self._figures_status(self.load_pack())

    @XBlock.handler
    @staff_only
    def staff_statistics_csv(self, request, suffix=""):
        """The kept figures as CSV (GET); 404 before any were worked out; 403 for anyone but course staff."""
        refusal = self._refuse_figures()
        if refusal is not None:
            return refusal
        kept = cohort_jobs.status(self.scope_ids.usage_id)["kept"]
        if not kept:
            return _json_response({"error": self.ugettext("No figures yet: press Show the cohort figures first.")},
                                  404)
        buffer = io.StringIO()
        figures = kept["figures"]
        writer = csv.writer(buffer)
        writer.writerows(statistics.report_rows(figures))
        writer.writerows(growth.csv_rows(figures["loop"]["growth"], figures["loop"]["self_gaps"]))
        response = Response(buffer.getvalue(), content_type="text/csv", charset="utf-8")
        response.content_disposition = f'attachment; filename="{self.load_pack().id}-statistics.csv"'
        return response

    # ----- Open edX reports ----------------------------------------------------------------------

    def generate_report_data(self, user_state_iterator, limit_responses=None):
        """
        Yield ``(username, row)`` per learner who submitted, for Open edX's problem responses report.

        ``user_state_iterator`` yields objects with ``username`` and ``state`` (the
        platform's ``XBlockUserState``); ``limit_responses`` caps the rows, as for capa
        problems. The row shows the attempt that counts for the grade.
        """
        try:
            pack = self.load_pack()
        except PackError:
            # The platform then falls back to the raw state, which is better than nothing.
            raise NotImplementedError("the competency pack cannot be loaded") from None
        if limit_responses is not None and limit_responses <= 0:
            return
        items, language = self.active_items(pack), self.language(pack)
        row = reports.ReportRows(pack, items, language, self.ugettext).row
        change_columns = loop.report_change_columns(pack, language, self.ugettext)
        retake_policy, grading_mode = self.retake_policy, self.grading_mode  # read once per report
        count = 0
        for user_state in user_state_iterator:  # this loop runs for every learner of a course
            records = state_layout.saved_results(user_state.state)  # also upgrades an older layout
            if not records:
                continue
            counted = self.counted_result(records, retake_policy, grading_mode)
            number = next(n for n, record in enumerate(records, start=1) if record is counted)
            raw_score = user_state.state.get("raw_score")
            learner_row = row(counted, len(records), number, raw_score if isinstance(raw_score, dict) else {})
            learner_row.update(loop.report_changes(change_columns, records))
            yield user_state.username, learner_row
            count += 1
            if limit_responses is not None and count >= limit_responses:
                return

    # ----- mobile app ----------------------------------------------------------------------------

    def student_view_data(self, context=None) -> dict:
        """
        What a mobile app needs to show the assessment natively, for every learner alike.

        The LMS's course blocks API gathers this once per course, with no learner bound
        (``StudentViewTransformer.collect``, lms/djangoapps/course_api/blocks/transformers/student_view.py),
        and sends it when the app asks for the block type (``student_view_data=competency_assessment``),
        so it holds no learner's state: the learner's answers and result come from the
        ``student_view_user_state`` handler it names. Questions, options and scale labels in every
        pack language; never an option's points. The shape: docs/mobile-data.schema.json.
        """
        try:
            pack = self.load_pack()
        except PackError:
            return {"available": False, "title": self.display_name}
        return {
            "available": True,
            "title": self.display_name,
            "intro": self.intro,
            "languages": list(pack.languages),
            "competency": {"id": pack.id, "version": pack.version, "name": dict(pack.name),
                           "category": dict(pack.category), "definition": dict(pack.definition)},
            "dimensions": [{"id": d.id, "name": dict(d.name), "description": dict(d.description)}
                           for d in pack.dimensions],
            "scale": {language: list(labels) for language, labels in pack.scale.items()},
            "scale_values": list(range(SCALE_MIN, SCALE_MAX + 1)),
            "levels": [{"level": level.level, "name": dict(level.name), "description": dict(level.description)}
                       for level in pack.levels],
            "questions": [{
                "id": item.id, "type": item.type, "dimension": item.dimension, "prompt": dict(item.prompt),
                "options": [{"id": option.id, "text": dict(option.text)} for option in item.options],
            } for item in self.active_items(pack)],
            "max_attempts": self.max_attempts,
            "grading_mode": self.grading_mode,
            # handler names: the app calls <LMS>/courses/<course>/xblock/<usage>/handler/<name>
            "handlers": {"user_state": "student_view_user_state", "save": "save_answers", "submit": "submit"},
        }

    @XBlock.handler
    def student_view_user_state(self, request, suffix=""):
        """The learner's draft answers, results and attempts, as JSON (GET), for the mobile app."""
        self.upgrade_saved_state()
        results = [{"submitted_at": record.get("submitted_at"), "level": record.get("level"),
                    "overall": record.get("overall"), "borderline": record.get("borderline"),
                    "dimensions": record.get("dimensions")} for record in self.results]
        return _json_response({
            "answers": self.answers,
            "results": results,
            "current_level": self.current_level(),  # the counted attempt's level today (as the gates read it)
            "attempts_used": len(self.results),
            "attempts_left": self.attempts_left(),
            "score": self.raw_score or None,
            "completed": self.has_submitted_answer(),
        })
