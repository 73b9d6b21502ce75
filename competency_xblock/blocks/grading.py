"""
The assessment's grade: which attempt counts, the ``Score`` the grades app gets, rescoring.

A mixin of the assessment block (``ScorableXBlockMixin``'s methods live here); it reads the
block's fields (``results``, ``grading_mode``, ``retake_policy``, ``raw_score``) and asks the
block to load its pack and score answers.
"""
from __future__ import annotations

from xblock.scorable import Score

from ..domain import scoring
from ..domain.pack_model import Pack
from ..domain.state_layout import stored_number


class AssessmentGradingMixin:
    """Grades from the kept attempts, rescored with today's key and cut scores."""

    def score_for(self, result: dict, grading_mode: str | None = None) -> Score:
        """The grade of an attempt record; a level or overall that is no number (odd stored state) is 0."""
        if (grading_mode or self.grading_mode) == "level":
            return Score(raw_earned=stored_number(result.get("level")), raw_possible=3.0)
        return Score(raw_earned=round(stored_number(result.get("overall")), 2), raw_possible=100.0)

    def counted_result(self, records: list | None = None, retake_policy: str | None = None,
                       grading_mode: str | None = None) -> dict | None:
        """
        The attempt whose score counts under the retake policy (of ``records``, else the
        learner's). Reports pass ``retake_policy`` and ``grading_mode``, read once: for each
        learner, reading a field costs more than scoring the attempts it decides between.
        """
        records = self.results if records is None else records
        if not records:
            return None
        if len(records) == 1 or (retake_policy or self.retake_policy) == "latest":
            return records[-1]
        grading_mode = grading_mode or self.grading_mode
        return max(records, key=lambda record: self.score_for(record, grading_mode).raw_earned)

    # ----- ScorableXBlockMixin -------------------------------------------------------------------

    def has_submitted_answer(self) -> bool:
        return bool(self.results)

    def max_score(self) -> float:
        return 3.0 if self.grading_mode == "level" else 100.0

    def get_score(self) -> Score | None:
        if not self.raw_score:
            return None
        return Score(self.raw_score["raw_earned"], self.raw_score["raw_possible"])

    def set_score(self, score: Score) -> None:
        self.raw_score = {"raw_earned": score.raw_earned, "raw_possible": score.raw_possible}

    def calculate_score(self) -> Score:
        """Rescore every kept attempt from its answers with today's key and cut scores."""
        pack = self.load_pack()
        return self.score_for(self.rescored_counted_result(pack))

    def rescore(self, only_if_higher):
        """Publish a recomputed grade and keep it, unless ``only_if_higher`` and it is not higher."""
        self.upgrade_saved_state()
        if not self.has_submitted_answer():
            raise ValueError(self.ugettext("Cannot rescore an assessment nobody has submitted."))
        new_score = self.calculate_score()
        current = self.get_score()
        if not only_if_higher or current is None or new_score.raw_earned > current.raw_earned:
            self.set_score(new_score)
        self._publish_grade(new_score, only_if_higher)

    def rescored_counted_result(self, pack: Pack) -> dict | None:
        """The attempt that counts, every attempt rescored first with today's key and cut scores."""
        return self.counted_result([self.rescored(pack, record) for record in self.results])

    def rescored(self, pack: Pack, record: dict) -> dict:
        """``record`` scored again from its answers with today's questions, key and cut scores."""
        answers = record.get("answers")
        answers = self._valid_answers(pack, answers if isinstance(answers, dict) else {})
        return self._result_record(pack, self.score_answers(pack, answers), answers, record.get("submitted_at"))

    def _valid_answers(self, pack: Pack, answers: dict) -> dict:
        items = {item.id: item for item in self.active_items(pack)}
        return {k: v for k, v in answers.items() if k in items and self._is_valid(items[k], v)}

    @staticmethod
    def _is_valid(item, value) -> bool:
        try:
            scoring.clean_answer(item, value)
        except scoring.AnswerError:
            return False
        return True
