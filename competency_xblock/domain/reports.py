"""
What instructors read: one row per learner for reports, and the cohort figures for the staff view.

Plain data in, plain data out; nothing here knows of XBlock or Django. The block
(``staff.py``) picks the pack, the language and the attempt that counts, and hands
them over; stored learner state is read defensively, because a report must not
stop at one odd record.

Rows follow Open edX's ``generate_report_data`` contract: a flat dict of
human-readable column names to strings or numbers. The platform merges these dicts
into its "problem responses" report beside its own ``username``, ``title``,
``location``, ``block_key`` and ``state`` columns, so none of those names is used.
The platform keeps a row's column order only when the row is an ``OrderedDict`` and
sorts the names of any other mapping (lms/djangoapps/instructor_task/tasks_helper/grades.py),
so rows are ``OrderedDict``s in the order of ``ReportRows.columns``: level, level name,
overall, one column per dimension in pack order, grade, attempts, counted attempt,
submitted at, answers.
"""
from __future__ import annotations

import hashlib
import json
import operator
from collections import OrderedDict
from typing import Callable, Iterable, Mapping

from . import statistics
from .charts import bar_chart
from .pack_model import SCALE_MAX, SCALE_MIN, Item, Pack, localize
from .scoring import AnswerError, clean_answer, item_points, shown_score

Gettext = Callable[[str], str]

ANSWER_SEPARATOR = "; "
KEPT_FIGURES = 10_000  # distinct percents, and grades, a report keeps worded (see _keep)


def _identity(text: str) -> str:
    return text


# ----- statistics input ----------------------------------------------------------------------

def statistics_items(items: Iterable[Item], self_weight: float | None = None) -> dict:
    """The ``items`` metadata that :mod:`statistics` expects: dimension and maximum points per item.

    With ``self_weight`` (the self-assessment weight in force) each item also gets its
    ``weight``: the percent points of its dimension's score one point earns, so alpha and
    the SEM are those of the dimension score as learners see it.
    """
    items = tuple(items)
    meta = {item.id: {"dimension": item.dimension, "max": item.max_points} for item in items}
    if self_weight is not None:
        for item_id, weight in dimension_score_weights(items, self_weight).items():
            meta[item_id]["weight"] = weight
    return meta


def dimension_score_weights(items: Iterable[Item], self_weight: float) -> dict[str, float]:
    """Percent points of its dimension's score that one point of each item earns (all answered)."""
    possible: dict[tuple[str, bool], float] = {}
    for item in items:
        key = (item.dimension, item.is_situational)
        possible[key] = possible.get(key, 0.0) + item.weight * item.max_points
    weights = {}
    for item in items:
        both = (item.dimension, not item.is_situational) in possible
        share = ((1 - self_weight) if item.is_situational else self_weight) if both else 1.0
        weights[item.id] = 100 * share * item.weight / possible[(item.dimension, item.is_situational)]
    return weights


def items_signature(pack_id: str, items_meta: Mapping) -> str:
    """
    A short fingerprint of the questions the figures are about.

    Sufficient statistics can only be updated with the item metadata they were built
    with, so a change of questions starts the figures afresh (see ``staff.py``).
    """
    text = json.dumps([pack_id, sorted((key, value["dimension"], value["max"])
                                       for key, value in items_meta.items())])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def statistics_response(items: Iterable[Item], record: Mapping) -> dict:
    """One learner's response for :func:`statistics.add_response`, from a scored attempt record."""
    answers = record.get("answers") if isinstance(record.get("answers"), dict) else {}
    points = {}
    for item in items:
        if item.id in answers:
            try:
                points[item.id] = item_points(item, clean_answer(item, answers[item.id]))
            except AnswerError:
                continue  # an answer the current key no longer knows counts as unanswered
    dimensions = record.get("dimensions") if isinstance(record.get("dimensions"), dict) else {}
    return {"level": record.get("level"), "overall": record.get("overall"),
            "dimensions": dict(dimensions), "items": points}


# ----- report rows ---------------------------------------------------------------------------

def answer_text(pack: Pack, item: Item, answer, language: str) -> str:
    """The chosen option's text, or the self-rating's scale label; the raw value if unknown."""
    try:
        value = clean_answer(item, answer)
    except AnswerError:
        return str(answer)
    if item.is_situational:
        return localize(item.option(value).text, language, pack.default_language)
    labels = pack.scale.get(language) or pack.scale[pack.default_language]
    return labels[value - 1] if 0 < value <= len(labels) else str(value)


def answers_text(pack: Pack, items: Iterable[Item], answers: Mapping, language: str) -> str:
    """Every answer as ``item id: text``, in question order; answers to removed questions last."""
    items = list(items)
    known = {item.id for item in items}
    parts = [f"{item.id}: {answer_text(pack, item, answers[item.id], language)}"
             for item in items if item.id in answers]
    parts += [f"{key}: {value}" for key, value in answers.items() if key not in known]
    return ANSWER_SEPARATOR.join(parts)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _percent(value):
    """A percent as learners see it beside their level (cut down to one decimal), or "" if it is no number."""
    return float(shown_score(float(value))) if _is_number(value) else ""


def _mapping_or_empty(value) -> Mapping:
    return value if value.__class__ is dict or isinstance(value, Mapping) else {}  # dict first: it is quick


class ReportRows:
    """
    Report rows for one pack, list of questions and language.

    What is the same for every learner (column names, level names, the words of each
    answer) is worked out once, so that a report of a large cohort costs little more per
    learner than copying their figures (benchmarks/README.md, item 6). The per-learner
    methods run for every learner of a cohort, hence their style: lookups through
    ``map`` over lists made here, and a plain path for the usual stored state with a
    careful one, item by item, for anything else.
    """

    def __init__(self, pack: Pack, items: Iterable[Item], language: str, gettext: Gettext = _identity):
        _ = gettext

        def text(value):
            return localize(value, language, pack.default_language)

        self.pack, self.items, self.language = pack, list(items), language
        self.known = {item.id for item in self.items}
        self.valid_parts = [self._valid_parts(item) for item in self.items]
        self.entries = [(item.id, item, parts, not item.is_situational)
                        for item, parts in zip(self.items, self.valid_parts)]
        # what a valid answer to each item is stored as: an option id, or a whole number on the scale
        self.answer_types = [str if item.is_situational else int for item in self.items]
        self.answers_of = operator.itemgetter(*[item.id for item in self.items]) if len(self.items) > 1 else None
        self.level_names = {info.level: text(info.name) for info in pack.levels}
        self.level_column, self.level_name_column, self.overall_column = _("Level"), _("Level name"), _("Overall (%)")
        self.dimension_ids = [dimension.id for dimension in pack.dimensions]
        self.percent_columns = [self.overall_column] + [_("{dimension} (%)").format(dimension=text(dimension.name))
                                                        for dimension in pack.dimensions]
        self.all_floats = [float] * len(self.percent_columns)
        self.rounded: dict[float, float] = {}  # see percents
        self.grades: dict[tuple[float, float], str] = {}  # see grade_text
        self.grade_column, self.attempts_column, self.counted_column = _("Grade"), _("Attempts"), _("Counted attempt")
        self.submitted_column, self.answers_column = _("Submitted at"), _("Answers")

    @property
    def columns(self) -> list[str]:
        """The columns of every row, in their documented order."""
        return [self.level_column, self.level_name_column, *self.percent_columns, self.grade_column,
                self.attempts_column, self.counted_column, self.submitted_column, self.answers_column]

    def _valid_parts(self, item: Item) -> dict:
        """``item id: text`` for every valid answer to ``item``: its option ids, or the scale's values."""
        values = [option.id for option in item.options] if item.is_situational else range(SCALE_MIN, SCALE_MAX + 1)
        return {value: f"{item.id}: {answer_text(self.pack, item, value, self.language)}" for value in values}

    def answers_text(self, answers: Mapping) -> str:
        """As :func:`answers_text`."""
        # The usual case, quickly: a plain dict, every question answered and nothing else, each answer
        # of the type a valid one has (so no unhashable value, and no True or 1.0 taken for 1).
        if answers.__class__ is dict and len(answers) == len(self.answer_types) and self.answers_of is not None:
            try:
                values = self.answers_of(answers)
                if list(map(type, values)) == self.answer_types:
                    return ANSWER_SEPARATOR.join(map(dict.__getitem__, self.valid_parts, values))
            except KeyError:  # a question not answered, or an answer no option or scale value has
                pass
        return self._answers_text_item_by_item(answers)

    def _answers_text_item_by_item(self, answers: Mapping) -> str:
        """As :func:`answers_text`, for missing, extra and odd answers; the valid ones still looked up whole."""
        parts = []
        for item_id, item, valid_parts, on_scale in self.entries:
            if item_id in answers:
                answer = answers[item_id]
                try:
                    part = valid_parts.get(answer)
                except TypeError:  # an unhashable value in odd stored state
                    part = None
                if part is None or (on_scale and answer.__class__ is not int):  # 1.0 and True equal 1
                    part = f"{item_id}: {answer_text(self.pack, item, answer, self.language)}"
                parts.append(part)
        if len(parts) < len(answers):  # answers to questions no longer asked come last, as stored
            parts += [f"{key}: {value}" for key, value in answers.items() if key not in self.known]
        return ANSWER_SEPARATOR.join(parts)

    def row(self, record: Mapping | None, attempts: int, attempt_number: int | None = None,
            grade: Mapping | None = None) -> OrderedDict | None:
        """As :func:`learner_row`."""
        if not (record.__class__ is dict or isinstance(record, Mapping)) or attempts <= 0:
            return None
        get = record.get
        level = get("level")
        try:
            level_name = self.level_names.get(level)
        except TypeError:  # an unhashable level from odd stored state
            level_name = None
        if level_name is None:
            level = level_name = ""
        dimension_percents = get("dimensions")
        if dimension_percents.__class__ is not dict:
            dimension_percents = _mapping_or_empty(dimension_percents)
        # An OrderedDict, not a dict: the platform sorts a plain dict's column names (see the module's doc)
        row = OrderedDict(((self.level_column, level), (self.level_name_column, level_name)))
        row.update(zip(self.percent_columns,
                       self.percents([get("overall"), *map(dimension_percents.get, self.dimension_ids)])))
        row[self.grade_column] = self.grade_text(grade.get("raw_earned"), grade.get("raw_possible")) if grade else ""
        row[self.attempts_column] = attempts
        row[self.counted_column] = attempt_number or ""
        row[self.submitted_column] = str(get("submitted_at") or "")
        answers = get("answers")
        row[self.answers_column] = self.answers_text(answers if answers.__class__ is dict
                                                     else _mapping_or_empty(answers))
        return row

    def percents(self, values: list) -> list:
        """
        Each value as :func:`_percent` gives it: cut down to one decimal, or "" if it is no number.

        Cutting down in decimal (``scoring.shown_score``) costs more than a whole row; a
        cohort's percents take few distinct values (points over fixed maxima), so the shown
        floats are kept (see :func:`_keep`).
        """
        if list(map(type, values)) != self.all_floats:  # ints and odd values (True equals 1: no lookup)
            return list(map(_percent, values))
        rounded = list(map(self.rounded.get, values))
        if None in rounded:
            rounded = [value if value is not None else float(shown_score(percent)) for percent, value in zip(values, rounded)]
            _keep(self.rounded, ((percent, value) for percent, value in zip(values, rounded) if percent))  # no 0.0
        return rounded

    def grade_text(self, earned, possible) -> str:
        """``earned/possible`` in the shortest form (``53.06/100``); "" unless both are numbers."""
        if earned.__class__ is float and possible.__class__ is float:  # the usual case, kept as percents are
            text = self.grades.get((earned, possible))
            if text is None:
                text = f"{earned:g}/{possible:g}"
                if earned and possible:  # see _keep
                    _keep(self.grades, [((earned, possible), text)])
            return text
        return f"{earned:g}/{possible:g}" if _is_number(earned) and _is_number(possible) else ""


def _keep(kept: dict, pairs) -> None:
    """
    Keep ``(figures, text)`` pairs for a report's next rows, up to :data:`KEPT_FIGURES`
    (a MB or two). Callers keep only floats (True equals 1, but is written otherwise) and
    never zeros (0.0 and -0.0 are equal keys, but are written "0.0" and "-0.0").
    """
    if len(kept) < KEPT_FIGURES:
        kept.update(pairs)


def learner_row(pack: Pack, items: Iterable[Item], language: str, record: Mapping | None,
                attempts: int, attempt_number: int | None = None, grade: Mapping | None = None,
                gettext: Gettext = _identity) -> OrderedDict | None:
    """
    The report row of one learner: the counted attempt's level, overall and dimension
    percents, when it was submitted, the answers, and how many attempts were made.
    None when the learner has submitted nothing. For many learners, build one
    :class:`ReportRows` and call its ``row``.
    """
    return ReportRows(pack, items, language, gettext).row(record, attempts, attempt_number, grade)


# ----- staff view ----------------------------------------------------------------------------

def _english_ngettext(singular: str, plural: str, count: int) -> str:
    return singular if count == 1 else plural


def warning_texts(codes: Iterable[str], gettext: Gettext = _identity,
                  ngettext: Callable[[str, str, int], str] = _english_ngettext) -> list[str]:
    """The warning codes of :func:`statistics.report` in words."""
    _ = gettext
    words = {
        "no_responses": _("Not enough data: nobody has answered this yet."),
        "not_enough_data": ngettext("Not enough data: fewer than {count} complete response.",
                                    "Not enough data: fewer than {count} complete responses.",
                                    statistics.MIN_RESPONSES).format(count=statistics.MIN_RESPONSES),
        "zero_variance": _("Not enough data: every learner scored the same."),
        "invalid_max": _("Not enough data: the question has no points to earn."),
        "zero_variance_items_left_out": _("Questions every learner scored the same on are left out of "
                                          "alpha and SEM (as R's psych::alpha does)."),
        "too_easy": _("Too easy: p above {limit:.2f}.").format(limit=statistics.P_MAX),
        "too_hard": _("Too hard: p below {limit:.2f}.").format(limit=statistics.P_MIN),
        "low_discrimination": _("Weak discrimination: r below {limit:.2f}.").format(limit=statistics.R_MIN),
        "low_reliability": _("Low reliability: alpha below {limit:.2f}.").format(limit=statistics.ALPHA_MIN),
    }
    return [words.get(code, code) for code in codes]


def _fixed(value, places: int = 2) -> str:
    return "" if value is None else f"{value:.{places}f}"


def staff_context(report: Mapping, pack: Pack, items: Iterable[Item], language: str,
                  gettext: Gettext = _identity,
                  ngettext: Callable[[str, str, int], str] = _english_ngettext) -> dict:
    """The staff view's figures, formatted: level chart and table, means, item and dimension rows."""
    def text(value):
        return localize(value, language, pack.default_language)

    items = {item.id: item for item in items}
    learners = report["learners"]
    levels = []
    for key in statistics.LEVEL_KEYS:
        count = report["levels"].get(key, 0)
        if key == "none" and not count:
            continue  # only shown when some learner got no level
        info = next((level for level in pack.levels if str(level.level) == key), None)
        levels.append({"key": key, "name": text(info.name) if info else gettext("No level"),
                       "count": count, "share": _fixed(100 * count / learners, 0) if learners else ""})
    largest = max([level["count"] for level in levels] + [1])
    dimension_names = {dimension.id: text(dimension.name) for dimension in pack.dimensions}
    return {
        "learners": learners,
        "overall_mean": _fixed(report["overall_mean"], 1),
        "levels": levels,
        "chart": bar_chart([{**level, "value": level["count"]} for level in levels],
                           [level["count"] / largest for level in levels], label_width=150, value_room=50),
        "dimension_means": [{"name": dimension_names.get(key, key), "mean": _fixed(mean, 1)}
                            for key, mean in report["dimension_means"].items()],
        "items": [{"id": row["id"], "dimension": dimension_names.get(row["dimension"], row["dimension"]),
                   "behaviour": text(items[row["id"]].behaviour) if row["id"] in items else "",
                   "responses": row["responses"], "p": _fixed(row["p"]), "r": _fixed(row["item_total_r"]),
                   "warnings": warning_texts(row["warnings"], gettext, ngettext)} for row in report["items"]],
        "dimensions": [{"name": dimension_names.get(row["id"], row["id"]), "k": row["k"],
                        "responses": row["complete_responses"], "alpha": _fixed(row["alpha"]),
                        "sem": _fixed(row["sem"]), "sem_percent": _fixed(row["sem_percent"], 1),
                        "warnings": warning_texts(row["warnings"], gettext, ngettext)} for row in report["dimensions"]],
        "thresholds": {"p_min": f"{statistics.P_MIN:.2f}", "p_max": f"{statistics.P_MAX:.2f}",
                       "r_min": f"{statistics.R_MIN:.2f}", "alpha_min": f"{statistics.ALPHA_MIN:.2f}",
                       "min_responses": statistics.MIN_RESPONSES},
    }
