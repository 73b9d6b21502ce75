"""
The assessment's instructor side: cohort statistics, the staff view and its CSV,
rows for Open edX reports, and the data the mobile app reads.

A mixin of :class:`~competency_xblock.assessment.CompetencyAssessmentBlock`; it uses
the block's ``load_pack``, ``active_items``, ``language``, ``counted_result``,
``rescored_counted_result``, ``attempts_left``, ``user_is_staff`` and ``ugettext``. The figures
come from ``statistics`` and the rows and texts from ``reports``, both pure.

Cohort statistics
    ``cohort_statistics`` (``Scope.user_state_summary``) holds sufficient statistics,
    so the staff view reads one small dict whatever the cohort's size. Each learner
    counts once, with the attempt that counts for the grade under ``retake_policy``
    (best or latest), scored with the current key and cut scores: the cohort figures
    then describe the grades instructors see. The learner's own ``statistics_counted``
    keeps the response exactly as it was added, so a retake or a rescore first takes
    it out again and then adds the new one. Sufficient statistics can only be updated
    with the item metadata they were built with; when the questions change (pack
    version, Studio overrides) the figures restart with the next submission, and the
    staff view says since when they run. Updates are read-modify-write on one shared
    value, and neither the LMS nor the workbench offers an atomic update for XBlock
    fields: under concurrent submissions many updates are lost (165 of 200 in the
    load test). Each learner's ``statistics_counted`` is written by that learner only
    and is never lost, so the figures are rebuilt from those records by
    ``aggregate_repair`` (``competency-xblock rebuild-stats`` in the workbench).
"""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone

from webob import Response
from xblock.core import XBlock, XBlockMixin
from xblock.fields import Dict, Scope
from xblock.utils.resources import ResourceLoader

from . import reports, state_layout, statistics
from .pack_loader import PackError
from .services import staff_only

loader = ResourceLoader(__name__)


def _json_response(payload, status: int = 200) -> Response:
    return Response(json.dumps(payload), status=status, content_type="application/json", charset="utf8")


class CompetencyStaffMixin(XBlockMixin):
    """Cohort statistics, the staff view, the statistics CSV, report rows and mobile data."""

    cohort_statistics = Dict(
        default={}, scope=Scope.user_state_summary,
        help="Sufficient statistics of every learner's counted attempt: "
             '{"signature", "epoch", "since", "summary"} (see competency_xblock.statistics).')
    statistics_counted = Dict(
        default={}, scope=Scope.user_state,
        help='This learner\'s response as counted in cohort_statistics: {"epoch", "response"}.')

    # ----- statistics upkeep ---------------------------------------------------------------------

    def _statistics_items(self, pack):
        items_meta = reports.statistics_items(self.active_items(pack))
        return items_meta, reports.items_signature(pack.id, items_meta)

    def update_cohort_statistics(self, pack=None) -> None:
        """Count this learner's counted attempt in the cohort figures, replacing what was counted before."""
        pack = pack or self.load_pack()
        items = self.active_items(pack)
        items_meta, signature = self._statistics_items(pack)
        stored = self.cohort_statistics or {}
        if stored.get("signature") != signature or not isinstance(stored.get("summary"), dict):
            since = datetime.now(timezone.utc).isoformat()
            stored = {"signature": signature, "epoch": f"{signature}@{since}", "since": since,
                      "summary": statistics.empty_summary()}
        summary = stored["summary"]
        previous = self.statistics_counted or {}
        if previous.get("epoch") == stored["epoch"] and isinstance(previous.get("response"), dict):
            summary = statistics.remove_response(summary, previous["response"], items_meta)
        record = self.rescored_counted_result(pack)
        response = reports.statistics_response(items, record) if record else None
        if response is not None:
            summary = statistics.add_response(summary, response, items_meta)
        self.cohort_statistics = {**stored, "summary": summary}
        self.statistics_counted = {"epoch": stored["epoch"], "response": response} if response else {}

    def cohort_report(self, pack) -> tuple[dict, str | None]:
        """The figures of ``statistics.report`` for today's questions, and since when they run."""
        items_meta, signature = self._statistics_items(pack)
        stored = self.cohort_statistics or {}
        current = stored.get("signature") == signature and isinstance(stored.get("summary"), dict)
        summary = stored["summary"] if current else statistics.empty_summary()
        figures = statistics.report(summary, items_meta, [dimension.id for dimension in pack.dimensions])
        return figures, stored.get("since") if current else None

    # ----- staff view ----------------------------------------------------------------------------

    def add_staff_section(self, fragment, pack) -> None:
        """Append the cohort figures to ``fragment``; call it only for staff."""
        figures, since = self.cohort_report(pack)
        context = reports.staff_context(figures, pack, self.active_items(pack), self.language(pack),
                                        self.ugettext)
        context.update({
            "since": (since or "")[:10],
            "retake_policy": self.retake_policy,
            "csv_url": self.runtime.handler_url(self, "staff_statistics_csv"),
        })
        fragment.add_content(loader.render_django_template("static/html/staff.html", context,
                                                           i18n_service=self.runtime.service(self, "i18n")))
        fragment.add_css(loader.load_unicode("static/css/staff.css"))

    @XBlock.handler
    @staff_only
    def staff_statistics_csv(self, request, suffix=""):
        """The staff view's figures as CSV (GET); 403 for anyone but course staff."""
        try:
            pack = self.load_pack()
        except PackError:
            return _json_response({"error": self.ugettext("This assessment is not available right now.")}, 503)
        figures, _since = self.cohort_report(pack)
        buffer = io.StringIO()
        csv.writer(buffer).writerows(statistics.report_rows(figures))
        response = Response(buffer.getvalue(), content_type="text/csv", charset="utf-8")
        response.content_disposition = f'attachment; filename="{pack.id}-statistics.csv"'
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
        rows = reports.ReportRows(pack, items, language, self.ugettext)
        count = 0
        for user_state in user_state_iterator:
            state = user_state.state if isinstance(user_state.state, dict) else {}
            records = [r for r in state.get("results") or [] if isinstance(r, dict)]
            try:  # stored state may predate the current layout; read it as the block would
                records = state_layout.upgrade(state.get("state_version"), {"results": records})[1]["results"]
            except (ValueError, KeyError, TypeError, AttributeError):
                pass  # a layout newer than this code, or an odd record: report it as stored
            if not records:
                continue
            counted = self.counted_result(records)
            number = next(n for n, record in enumerate(records, start=1) if record is counted)
            raw_score = state.get("raw_score") if isinstance(state.get("raw_score"), dict) else {}
            yield user_state.username, rows.row(counted, len(records), number, raw_score)
            count += 1
            if limit_responses is not None and count >= limit_responses:
                return

    # ----- mobile app ----------------------------------------------------------------------------

    def student_view_data(self, context=None) -> dict:
        """The questions and texts in every pack language, for the mobile app; no answer key."""
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
            "levels": [{"level": level.level, "name": dict(level.name), "description": dict(level.description)}
                       for level in pack.levels],
            "questions": [{
                "id": item.id, "type": item.type, "dimension": item.dimension, "prompt": dict(item.prompt),
                "options": [{"id": option.id, "text": dict(option.text)} for option in item.options],
            } for item in self.active_items(pack)],
            "max_attempts": self.max_attempts,
            "grading_mode": self.grading_mode,
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
            "attempts_used": len(self.results),
            "attempts_left": self.attempts_left(),
            "score": self.raw_score or None,
            "completed": self.has_submitted_answer(),
        })
