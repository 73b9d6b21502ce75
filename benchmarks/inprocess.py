"""
Items 1 and 2: our assessment against xblock-poll, in one process, on one workbench runtime.

Render: ``student_view`` through ``WorkbenchRuntime.render`` of a block loaded afresh (as
every request loads it), in two states: a learner who has not answered yet (our 36
questions of the customer-service pack; poll's 5-answer question) and one who has
(our result page; poll's tally). Submit: our ``submit`` handler (validate, score, keep
the attempt, update the cohort figures, publish grade and completion, render the
result) against poll's ``vote`` handler (validate, tally, publish), each time by a new
learner, since both are first-time actions for a learner.
"""
from __future__ import annotations

import json

from .env import Driver, setup_django
from .findings import Finding
from .timing import Ratio, interleaved

OUR_XML = '<competency_assessment pack_id="customer_service"/>'
POLL_ANSWERS = [
    ("greet", "Greet them and ask how you can help"),
    ("wait", "Wait until they speak to you"),
    ("offer", "Offer the product on sale"),
    ("point", "Point them to the information desk"),
    ("other", "Something else"),
]
POLL_CHOICE = "greet"


def poll_xml() -> str:
    """A 5-answer poll, its question and answers about as long as ours are."""
    answers = [[key, {"label": label, "img": None, "img_alt": None}] for key, label in POLL_ANSWERS]
    tally = {key: 0 for key, _label in POLL_ANSWERS}
    return ("<poll question=\"A customer walks in and looks around, unsure. What do you do first?\" "
            f"answers='{json.dumps(answers)}' tally='{json.dumps(tally)}'/>")


def complete_answers(pack) -> dict:
    """A full, valid answer set: a middle option of each scene, a spread of self-ratings."""
    answers = {}
    for index, item in enumerate(pack.items):
        if item.is_situational:
            answers[item.id] = item.options[len(item.options) // 2].id
        else:
            answers[item.id] = 1 + index % 5
    return answers


def _ok(name: str, response) -> None:
    """Refuse to time failures: every handler call must answer 200 with its success marker."""
    if response.status_code != 200:
        raise AssertionError(f"{name}: HTTP {response.status_code}: {response.body[:300]!r}")
    payload = json.loads(response.body)
    if "level" not in payload and payload.get("success") is not True:
        raise AssertionError(f"{name}: unexpected answer {payload!r}")


def _check(name: str, outcome) -> None:
    if hasattr(outcome, "status_code"):
        _ok(name, outcome)


class Stage:
    """One assessment and one poll, with learners before and after answering them."""

    def __init__(self):
        from competency_xblock.assessment import CompetencyAssessmentBlock  # pylint: disable=import-outside-toplevel
        setup_django()
        author = Driver("bench-author")
        self.ours = author.load(OUR_XML)
        self.poll = author.load(poll_xml())
        self.answers = complete_answers(author.block(self.ours).load_pack())
        self.submit_body = json.dumps({"answers": self.answers}).encode()
        self.vote_body = json.dumps({"choice": POLL_CHOICE}).encode()
        self.new_learner = Driver.fresh("bench-new")
        self.done_learner = Driver.fresh("bench-done")
        _ok("our submit", self.done_learner.post(self.ours, "submit", self.submit_body))
        _ok("poll vote", self.done_learner.post(self.poll, "vote", self.vote_body))
        assert isinstance(author.block(self.ours), CompetencyAssessmentBlock)

    # each returns the operation to time, its set-up done
    def render_ours_form(self):
        return lambda: self.new_learner.render(self.ours)

    def render_poll_form(self):
        return lambda: self.new_learner.render(self.poll)

    def render_ours_result(self):
        return lambda: self.done_learner.render(self.ours)

    def render_poll_result(self):
        return lambda: self.done_learner.render(self.poll)

    def submit_ours(self):
        learner = Driver.fresh("bench-submit")
        return lambda: learner.post(self.ours, "submit", self.submit_body)

    def vote_poll(self):
        learner = Driver.fresh("bench-vote")
        return lambda: learner.post(self.poll, "vote", self.vote_body)


def render_and_submit(rounds: int = 200, warmup: int = 10) -> list[Finding]:
    """Items 1 and 2."""
    stage = Stage()
    render = interleaved({
        "ours form": stage.render_ours_form, "poll form": stage.render_poll_form,
        "ours result": stage.render_ours_result, "poll result": stage.render_poll_result,
    }, rounds, warmup)
    submit = interleaved({"ours": stage.submit_ours, "poll": stage.vote_poll}, rounds, warmup, check=_check)
    findings = []
    for state, what in (("form", "not answered yet: our 36 questions vs poll's 5 answers"),
                        ("result", "after answering: our result page vs poll's tally")):
        ratio = Ratio(render[f"ours {state}"], render[f"poll {state}"])
        findings.append(Finding(
            "1 render", f"student_view, {what}", render[f"ours {state}"].ms(), render[f"poll {state}"].ms(),
            f"ratio {ratio.text()}", "ratio ≤ 1.0", ratio.value <= 1.0))
    ratio = Ratio(submit["ours"], submit["poll"])
    findings.append(Finding(
        "2 submit", "our submit (36 answers: score, save, publish, result) vs poll's vote",
        submit["ours"].ms(), submit["poll"].ms(), f"ratio {ratio.text()}", "ratio ≤ 1.0", ratio.value <= 1.0))
    return findings
