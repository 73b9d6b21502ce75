"""
Studio authoring for the assessment: the editor, its all-or-nothing save, ``validate()``.

The rules live in ``authoring`` and ``overrides`` (pure); this mixin reads the fields,
renders the editor and stores a save only when every field passes. The save handler
keeps StudioEditableXBlockMixin's name and protocol (``{"values": {...}, "defaults":
[...]}``) so Studio's stock editor JS would work too; the editor here is a custom
form because follow-ups, links and question overrides are structured. OLX lives in
``olx``.
"""
from __future__ import annotations

import json

from web_fragments.fragment import Fragment
from webob import Response
from xblock.core import XBlock
from xblock.utils.studio_editable import FutureFields, StudioEditableXBlockMixin
from xblock.validation import ValidationMessage

from .. import package_data
from ..domain import authoring, chance, messages, pack_loader
from ..domain.overrides import OverridesError, apply_overrides, normalize_overrides, prompt_key
from ..domain.pack_library import PackLibrary
from ..domain.pack_loader import PackError
from ..domain.pack_model import LEVELS, SITUATIONAL, Pack, localize
from . import request_body, templates
from .olx import OlxError, OlxMixin

MAX_EDIT_BYTES = 1024 * 1024
# The course pack's save request: the YAML (at most MAX_PACK_BYTES, checked by the loader) in a JSON string.
MAX_COURSE_PACK_REQUEST_BYTES = 2 * pack_loader.MAX_PACK_BYTES
BLANK_OPTION_POINTS = (3, 2, 1, 0)


def _json_response(payload: dict, status: int = 200) -> Response:
    return Response(json.dumps(payload), status=status, content_type="application/json", charset="utf8")


def _text(value, language: str) -> str:
    """``value[language]`` when ``value`` is a localized text holding a string there, else ""."""
    text = value.get(language) if isinstance(value, dict) else None
    return text if isinstance(text, str) else ""


def _stripped(value):
    """Links and lessons with their title and url stripped; other shapes untouched."""
    if isinstance(value, dict) and ("title" in value or "url" in value):
        return {key: item.strip() if key in ("title", "url") and isinstance(item, str) else item
                for key, item in value.items()}
    if isinstance(value, dict):
        return {key: _stripped(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_stripped(item) for item in value]
    return value


class AssessmentStudioMixin(OlxMixin, StudioEditableXBlockMixin):
    """Studio editor, save handler and validation for CompetencyAssessmentBlock."""

    editable_fields = ("display_name", "pack_id", "content_language", "intro", "max_attempts", "grading_mode",
                       "weight", "retake_policy", "retake_wait_days", "cut_scores", "self_assessment_weight",
                       "follow_up_lessons", "dimension_follow_ups", "extra_links", "item_overrides")

    # ----- packs ---------------------------------------------------------------------------------

    def installed_packs(self) -> PackLibrary:
        return self.pack_library()

    def pack_issue_text(self, issue: pack_loader.PackIssue, with_file: bool = False) -> str:
        """A pack problem in the designer's language: "line N: ...", or with the file named "file:N: ..."."""
        message = messages.translate(issue.message, self.ugettext, self.ngettext)
        if with_file:
            return f"{issue.file}:{issue.line}: {message}"
        return self.ugettext("line {line}: {message}").format(line=issue.line, message=message)

    def _pack_and_issue(self, pack_id) -> tuple[Pack | None, str | None]:
        """The pack the block would use with ``pack_id`` (the course's own pack first), or why none."""
        if self.course_pack:
            try:
                return pack_loader.parse_pack_cached(self.course_pack, self.COURSE_PACK_LABEL), None
            except PackError as error:
                return None, self.ugettext("the course's own pack cannot be used: {issues}").format(
                    issues="; ".join(self.pack_issue_text(issue) for issue in error.issues[:3]))
        if not isinstance(pack_id, str) or not pack_id:
            return None, self.ugettext("choose one of the installed packs")
        try:
            return self.installed_packs().get(pack_id), None
        except PackError as error:
            shown = "; ".join(self.pack_issue_text(issue, with_file=True) for issue in error.issues[:3])
            more = len(error.issues) - 3
            return None, self.ugettext("the pack {pack!r} cannot be used: {issues}").format(
                pack=pack_id, issues=shown + (f" (+{more})" if more > 0 else ""))

    # ----- validation ----------------------------------------------------------------------------

    def settings_problems(self, data) -> list[authoring.Problem]:
        """Every problem with the settings ``data`` holds (the block itself or a FutureFields preview)."""
        settings = {name: getattr(data, name) for name in self.editable_fields}
        pack, issue = self._pack_and_issue(settings["pack_id"])
        choices = {name: tuple(self.fields[name].values) for name in ("grading_mode", "retake_policy")}
        problems = authoring.check_settings(settings, pack, choices)
        return ([authoring.Problem("pack_id", issue)] if issue else []) + problems

    def problem_text(self, problem: authoring.Problem) -> str:
        """The message, in the designer's language, with the field's name in front, as Studio shows it."""
        message = messages.translate(problem.message, self.ugettext, self.ngettext)
        message = message if message.endswith(".") else message + "."
        return f"{self.ugettext(self.fields[problem.field].display_name)}: {message}"

    def validate_field_data(self, validation, data):
        for problem in self.settings_problems(data):
            validation.add(ValidationMessage(problem.severity, self.problem_text(problem)))

    def clean_studio_edits(self, data):
        """Strip titles and URLs, and drop question overrides that change nothing."""
        for name in ("display_name", "pack_id", "content_language"):
            if isinstance(data.get(name), str):
                data[name] = data[name].strip()
        for name in ("follow_up_lessons", "dimension_follow_ups", "extra_links"):
            if name in data:
                data[name] = _stripped(data[name])
        if "item_overrides" in data:
            pack, _ = self._pack_and_issue(data.get("pack_id", self.pack_id))
            if pack is not None:
                data["item_overrides"] = normalize_overrides(data["item_overrides"], pack)

    # ----- the save handler ----------------------------------------------------------------------

    def _read_edits(self, request) -> tuple[dict, list]:
        """The ``values`` and ``defaults`` of a save request; raises ValueError with the reason."""
        data = request_body.json_object(request, MAX_EDIT_BYTES, self.ugettext)
        values, defaults = data.get("values", {}), data.get("defaults", [])
        if not isinstance(values, dict) or not isinstance(defaults, list):
            raise ValueError(self.ugettext('"values" must be an object and "defaults" a list of field names.'))
        unknown = sorted({str(name) for name in list(values) + defaults if name not in self.editable_fields})
        if unknown:
            raise ValueError(self.ugettext("Unknown field(s): {names}.").format(names=", ".join(unknown)))
        return values, [name for name in defaults if name not in values]

    @XBlock.handler
    def submit_studio_edits(self, request, suffix=""):
        """Save the editor: every field passes, or nothing is stored and the answer says why."""
        if request.method != "POST":
            return _json_response({"error": self.ugettext("Only POST is allowed.")}, 405)
        try:
            values, defaults = self._read_edits(request)
        except ValueError as error:
            return _json_response({"error": str(error)}, 400)
        self.clean_studio_edits(values)
        preview = FutureFields(new_fields_dict=values, newly_removed_fields=defaults, fallback_obj=self)
        problems = self.settings_problems(preview)
        # A pack broken on disk should not block editing other settings; choosing one does.
        pack_changes = preview.pack_id != self.pack_id
        refusals = [p for p in problems if p.severity == authoring.ERROR and (p.field != "pack_id" or pack_changes)]
        if refusals:
            messages = [{"type": p.severity, "field": p.field, "text": self.problem_text(p)} for p in refusals]
            return _json_response({"error": " ".join(m["text"] for m in messages), "messages": messages}, 400)
        for name, value in values.items():
            if value == self.fields[name].default:
                self.fields[name].delete_from(self)   # keeps the OLX free of defaults
            else:
                setattr(self, name, self.fields[name].from_json(value))   # 2 -> 2.0 for a Float
        for name in defaults:
            self.fields[name].delete_from(self)
        warnings = [self.problem_text(p) for p in problems if p.severity == authoring.WARNING]
        return _json_response({"result": "success", "warnings": warnings})

    # ----- the chance figure beside the cut scores --------------------------------------------------

    def chance_text(self, settings: dict) -> tuple[str, bool | None]:
        """The sentence shown beside the cut scores for ``settings`` (cut_scores, self_assessment_weight)."""
        pack, _ = self._pack_and_issue(self.pack_id)
        if pack is None or authoring.cut_score_problems(settings.get("cut_scores")):
            return "", None
        try:
            items = apply_overrides(pack, self.item_overrides)
        except OverridesError:
            items = pack.items
        self_weight = settings.get("self_assessment_weight")
        if self_weight is not None and not (authoring.is_number(self_weight)
                                            and 0 <= self_weight <= authoring.MAX_SELF_ASSESSMENT_WEIGHT):
            return "", None
        figures = authoring.chance_for_settings(settings, pack, items)
        if figures is None:
            return "", None
        text = self.ugettext("Random answering reaches level 2 in {share} % of cases and level 3 in {share3} % "
                             "(at most 5 % may reach level 2).").format(
            share=chance.percent(figures.level_2_or_3), share3=chance.percent(figures.level_3))
        return text, figures.fair

    @XBlock.handler
    def chance_figure(self, request, suffix=""):
        """Studio's live figure: how often random answering reaches the levels with the typed cut scores."""
        if request.method != "POST":
            return _json_response({"error": self.ugettext("Only POST is allowed.")}, 405)
        try:
            data = request_body.json_object(request, MAX_EDIT_BYTES, self.ugettext)
        except request_body.BadRequestBody as error:
            return _json_response({"error": str(error)}, error.status)
        text, fair = self.chance_text({"cut_scores": data.get("cut_scores", []),
                                       "self_assessment_weight": data.get("self_assessment_weight")})
        return _json_response({"text": text, "fair": fair})

    # ----- the course's own pack ------------------------------------------------------------------

    @classmethod
    def check_imported_value(cls, name: str, value, where: str) -> None:
        """An imported course pack must be valid, as a saved one is: else the import names the block and the lines."""
        if name != "course_pack" or not value.strip():
            return
        try:
            pack_loader.parse_pack(value, cls.COURSE_PACK_LABEL)
        except PackError as error:
            shown = "; ".join(f"line {issue.line}: {issue.message}" for issue in error.issues[:5])
            more = f" (and {len(error.issues) - 5} more)" if len(error.issues) > 5 else ""
            raise OlxError(f"{where}: the course pack is not valid: {shown}{more}") from None

    def course_pack_starts(self) -> list[dict]:
        """
        What a course pack may start from: the empty template, or a copy of an installed pack.
        Sent with the editor only (studio_view), never through a handler a learner could call:
        a pack's text holds its key.
        """
        starts = [{"id": "", "text": pack_loader.TEMPLATE_PATH.read_text(encoding="utf-8")}]
        library = self.installed_packs()
        for pack_id in library.pack_ids():
            try:
                path = library.path_of(pack_id)
                if path.stat().st_size <= pack_loader.MAX_PACK_BYTES:
                    starts.append({"id": pack_id, "text": path.read_text(encoding="utf-8")})
            except (PackError, OSError, UnicodeDecodeError):
                continue   # a duplicate or unreadable pack is no start; the pack list says why
        return starts

    def _course_pack_text(self, request) -> str:
        """The ``yaml`` of a course-pack save request; raises ValueError with the reason."""
        data = request_body.json_object(request, MAX_COURSE_PACK_REQUEST_BYTES, self.ugettext)
        if not isinstance(data.get("yaml"), str):
            raise ValueError(self.ugettext('The request must be a JSON object with the pack as text in "yaml".'))
        return data["yaml"]

    @XBlock.handler
    def save_course_pack(self, request, suffix=""):
        """
        Save the course's own pack (YAML): checked whole by the pack loader, stored only when
        valid, each problem answered as "line N: message". An empty text removes it, and the
        block uses the installed pack again.
        """
        if request.method != "POST":
            return _json_response({"error": self.ugettext("Only POST is allowed.")}, 405)
        try:
            text = self._course_pack_text(request)
        except ValueError as error:
            return _json_response({"error": str(error)}, 400)
        pack_id = self.pack_id
        if not text.strip():
            self.fields["course_pack"].delete_from(self)
        else:
            try:
                pack = pack_loader.parse_pack(text, self.COURSE_PACK_LABEL)
            except PackError as error:
                problems = [self.pack_issue_text(issue) for issue in error.issues]
                return _json_response({"error": self.ugettext("The pack was not saved; problems found: {count}.")
                                       .format(count=len(problems)), "problems": problems}, 400)
            self.course_pack, pack_id = text, pack.id
            # Settings made for the former pack (reworded questions, a content language) may not fit this one.
        warnings = [self.problem_text(problem) for problem in self.settings_problems(self)]
        return _json_response({"result": "success", "warnings": warnings, "pack_id": pack_id})

    # ----- the editor ----------------------------------------------------------------------------

    def studio_view(self, context=None):
        pack, issue = self._pack_and_issue(self.pack_id)
        language = self.language(pack) if pack else ""
        render = self._render_part
        level_names = {level.level: localize(level.name, language, pack.default_language)
                       for level in pack.levels} if pack else {}
        follow_ups = self.follow_up_lessons if isinstance(self.follow_up_lessons, dict) else {}
        dimension_choices = [{"id": d.id, "name": localize(d.name, language, pack.default_language)}
                             for d in pack.dimensions] if pack else []
        context = {
            "block": self,
            "packs": self._pack_choices(),
            "pack": pack, "pack_issue": issue,
            "languages": list(pack.languages) if pack else [],
            "cut_scores": self.cut_scores if authoring.cut_score_problems(self.cut_scores) == [] else [],
            "pack_cut_scores": pack.scoring.cut_scores if pack else ("", ""),
            "pack_self_weight": pack.scoring.self_assessment_weight if pack else "",
            "chance": self.chance_text({"cut_scores": self.cut_scores,
                                        "self_assessment_weight": self.self_assessment_weight}),
            "grading_modes": self.fields["grading_mode"].values,
            "retake_policies": self.fields["retake_policy"].values,
            "follow_up_levels": [
                {"level": level, "name": level_names.get(level, ""),
                 "rows": [render("lesson", lesson) for lesson in self._rows(follow_ups.get(str(level)))]}
                for level in LEVELS],
            "lesson_template": render("lesson", {}),
            "dimension_lesson_rows": [render("dimension_lesson", row, dimensions=dimension_choices)
                                      for row in self._dimension_lesson_rows()],
            "dimension_lesson_template": render("dimension_lesson", {}, dimensions=dimension_choices),
            "link_rows": [render("link", link) for link in self._rows(self.extra_links)],
            "link_template": render("link", {"levels": list(LEVELS)}),
            "problems": [{"type": m.type, "text": m.text} for m in self.validate().messages],
            "pack_starts": self.course_pack_starts(),
            "source_problems": [f"{issue.file}: {messages.translate(issue.message, self.ugettext, self.ngettext)}"
                                for issue in self.installed_packs().problems()],
        }
        if pack:
            context.update(self._question_context(pack, language))
        fragment = Fragment(templates.render("static/html/studio.html", context, self.i18n_service()))
        fragment.add_css(package_data.read_text("static/css/studio.css"))
        self.add_javascript_catalog(fragment)
        fragment.add_javascript(package_data.read_text("static/js/studio.js"))
        fragment.initialize_js("CompetencyAssessmentStudio", {
            "pack_id": self.pack_id,
            "pack_languages": {choice["id"]: choice["languages"] for choice in context["packs"]},
        })
        return fragment

    def _dimension_lesson_rows(self) -> list[dict]:
        """The lessons per dimension as flat editor rows {dimension, level, title, url}."""
        value = self.dimension_follow_ups if isinstance(self.dimension_follow_ups, dict) else {}
        return [{"dimension": dimension, "level": level, **lesson}
                for dimension, by_level in value.items() if isinstance(by_level, dict)
                for level, lessons in by_level.items() for lesson in self._rows(lessons)]

    @staticmethod
    def _rows(value) -> list[dict]:
        return [row for row in value if isinstance(row, dict)] if isinstance(value, list) else []

    def _render_part(self, part: str, values: dict, **extra) -> str:
        """One repeatable row of the editor (also rendered blank as the template JS copies)."""
        context = {"row": values, "levels": LEVELS, "point_choices": BLANK_OPTION_POINTS, **extra}
        return templates.render(f"static/html/studio_{part}.html", context, self.i18n_service())

    def _pack_choices(self) -> list[dict]:
        """The installed packs, broken ones not selectable; a missing current pack is kept selected."""
        pack_ids = self.installed_packs().pack_ids()
        if self.pack_id not in pack_ids:
            pack_ids.append(self.pack_id)
        choices = []
        for pack_id in pack_ids:
            pack, _ = self._pack_and_issue(pack_id)
            choices.append({"id": pack_id, "usable": pack is not None, "selected": pack_id == self.pack_id,
                            "disabled": pack is None and pack_id != self.pack_id,
                            "name": localize(pack.name, self.language(pack), pack.default_language) if pack else "",
                            "languages": list(pack.languages) if pack else []})
        return choices

    def _question_context(self, pack: Pack, language: str) -> dict:
        overrides = self.item_overrides if isinstance(self.item_overrides, dict) else {}
        disabled = overrides.get("disabled") if isinstance(overrides.get("disabled"), list) else []
        edited = overrides.get("edited") if isinstance(overrides.get("edited"), dict) else {}
        dimensions = []
        for dimension in pack.dimensions:
            questions = []
            for item in (i for i in pack.items if i.dimension == dimension.id):
                edit = edited.get(item.id) if isinstance(edited.get(item.id), dict) else {}
                key = prompt_key(item.type)
                option_edits = edit.get("options") if isinstance(edit.get("options"), dict) else {}
                questions.append({
                    "id": item.id, "situational": item.is_situational, "enabled": item.id not in disabled,
                    "edited": bool(edit), "summary": localize(item.prompt, language, pack.default_language),
                    "texts": [{"language": lang, "key": key,
                               "prompt": _text(edit.get(key), lang) or item.prompt.get(lang, ""),
                               "behaviour": _text(edit.get("behaviour"), lang) or item.behaviour.get(lang, ""),
                               "options": [{"id": o.id, "points": o.points,
                                            "text": _text(option_edits.get(o.id), lang) or o.text.get(lang, "")}
                                           for o in item.options]}
                              for lang in pack.languages]})
            dimensions.append({"id": dimension.id, "questions": questions,
                               "name": localize(dimension.name, language, pack.default_language)})
        added = overrides.get("added") if isinstance(overrides.get("added"), list) else []
        dimension_choices = [{"id": d["id"], "name": d["name"]} for d in dimensions]
        return {
            "dimensions": dimensions,
            "min_items": pack.scoring.min_items_per_dimension,
            "added_rows": [self._added_item_html(item, pack, dimension_choices) for item in added
                           if isinstance(item, dict)],
            "added_templates": {kind: self._added_item_html({"type": kind}, pack, dimension_choices)
                                for kind in (SITUATIONAL, "self_assessment")},
            "option_template": self._option_html({}, pack),
        }

    def _option_html(self, option: dict, pack: Pack) -> str:
        texts = [{"language": lang, "text": _text(option.get("text"), lang)} for lang in pack.languages]
        return self._render_part("option", option, texts=texts)

    def _added_item_html(self, item: dict, pack: Pack, dimension_choices: list[dict]) -> str:
        situational = item.get("type") == SITUATIONAL
        options = item.get("options") if isinstance(item.get("options"), list) else None
        if situational and options is None:    # a blank question starts with four options, keyed 3..0
            options = [{"id": option_id, "points": points} for option_id, points in zip("abcd", BLANK_OPTION_POINTS)]
        texts = [{"language": lang, "prompt": _text(item.get(prompt_key(item.get("type"))), lang),
                  "behaviour": _text(item.get("behaviour"), lang)} for lang in pack.languages]
        return self._render_part(
            "added", item, situational=situational, texts=texts, dimensions=dimension_choices,
            options=[self._option_html(option, pack) for option in (options or []) if isinstance(option, dict)])
