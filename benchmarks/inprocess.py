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

from .env import Driver, poll_installed, setup_django
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
    if payload.get("success") is False or payload.get("error") or not payload:
        raise AssertionError(f"{name}: unexpected answer {payload!r}")


def _check(name: str, outcome) -> None:
    if hasattr(outcome, "status_code"):
        _ok(name, outcome)



class Stage:
    """One assessment (and one poll, when installed), with learners before and after answering."""

    def __init__(self, with_poll: bool | None = None):
        setup_django()
        self.with_poll = poll_installed() if with_poll is None else with_poll
        author = Driver("bench-author")
        self.ours = author.load(OUR_XML)
        self.poll = author.load(poll_xml()) if self.with_poll else None
        self.answers = complete_answers(author.block(self.ours).load_pack())
        self.submit_body = json.dumps({"answers": self.answers}).encode()
        self.vote_body = json.dumps({"choice": POLL_CHOICE}).encode()
        self.new_learner = Driver.fresh("bench-new")
        self.done_learner = Driver.fresh("bench-done")
        _ok("our submit", self.done_learner.post(self.ours, "submit", self.submit_body))
        if self.with_poll:
            _ok("poll vote", self.done_learner.post(self.poll, "vote", self.vote_body))

    # Each returns the operation to time, its set-up done.
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

    def vote_and_results_poll(self):
        """What one click on poll's Submit costs the server: ``vote``, then the ``get_results`` its JS asks for."""
        learner = Driver.fresh("bench-vote")

        def operation():
            voted = learner.post(self.poll, "vote", self.vote_body)
            _ok("vote", voted)
            return learner.post(self.poll, "get_results", b"{}")
        return operation


def _compare(section: str, measure: str, ours, peer, target: float = 1.0) -> Finding:
    if peer is None:
        return Finding(section, measure, ours.ms(), "xblock-poll not installed", "", f"ratio ≤ {target:g}", None)
    ratio = Ratio(ours, peer)
    return Finding(section, measure, ours.ms(), peer.ms(), f"ratio {ratio.text()}", f"ratio ≤ {target:g}",
                   ratio.value <= target)


def render_and_submit(rounds: int = 200, warmup: int = 10, with_poll: bool | None = None,
                      store: str = "workbench") -> list[Finding]:
    """
    Items 1 and 2 on the workbench's store; with ``store="lms"``, item 7's render and submit on the
    LMS-shaped store (``lms_store``), its sections named so.
    """
    if store == "lms":
        from . import lms_store  # pylint: disable=import-outside-toplevel
        with lms_store.installed():
            return _render_and_submit(rounds, warmup, with_poll, "7 LMS-shaped store: ")
    return _render_and_submit(rounds, warmup, with_poll, "")


def _render_and_submit(rounds: int, warmup: int, with_poll: bool | None, prefix: str) -> list[Finding]:
    stage = Stage(with_poll)
    render_cases = {"ours form": stage.render_ours_form, "ours result": stage.render_ours_result}
    submit_cases = {"ours": stage.submit_ours}
    if stage.with_poll:
        render_cases.update({"poll form": stage.render_poll_form, "poll result": stage.render_poll_result})
        submit_cases.update({"poll vote": stage.vote_poll, "poll click": stage.vote_and_results_poll})
    render = interleaved(render_cases, rounds, warmup)
    submit = interleaved(submit_cases, rounds, warmup, check=_check)
    render_section, submit_section = (f"{prefix}render", f"{prefix}submit") if prefix else ("1 render", "2 submit")
    return [
        _compare(render_section, "student_view, not answered yet: our 36 questions vs poll's 5 answers",
                 render["ours form"], render.get("poll form")),
        _compare(render_section, "student_view, answered: our result page vs poll's tally",
                 render["ours result"], render.get("poll result")),
        _compare(submit_section, "our submit (36 answers: check, score, save, publish, result page) vs poll's vote",
                 submit["ours"], submit.get("poll vote")),
        _compare(submit_section, "one click on Submit: our submit vs poll's vote + the get_results its JS then calls",
                 submit["ours"], submit.get("poll click")),
    ]
