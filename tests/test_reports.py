"""
Rows for Open edX's problem responses report, the workbench ``report`` command, and mobile data.

``generate_report_data`` is fed what edx-platform's user state client yields:
``XBlockUserState(username, block_key, state, updated, scope)`` records.
"""
from __future__ import annotations

import csv
import io
import json
import random
from collections import namedtuple
from types import MappingProxyType

import pytest

from competency_xblock import cli

from competency_xblock.domain import reports
from competency_xblock.domain.pack_loader import load_pack_file

from .conftest import PACKS, stored_answers
from .test_staff import COHORT, WORST, XML, mini_library  # noqa: F401  (fixture)
from .workbench import Learner

XBlockUserState = namedtuple("XBlockUserState", ["username", "block_key", "state", "updated", "scope"])

# u2's answers in words (see tests/packs/mini.yaml), and the figures worked out in test_staff.py
U2_ANSWERS = ("l_scene: Nod; l_self: Sometimes; l_interrupt: Never; "
              "c_scene: Stay calm; c_scene2: Ask the parent kindly; c_self: Sometimes")


@pytest.fixture(scope="module")
def mini():
    return load_pack_file(PACKS / "mini.yaml")


def stored_state(learner, usage_id) -> dict:
    """The learner's user_state fields, as the platform stores them."""
    block = learner.block(usage_id)
    return {name: field.read_json(block) for name, field in block.fields.items()
            if field.scope.name == "user_state" and field.is_set_on(block)}


def user_states(usage_id, users):
    return [XBlockUserState(user, usage_id, stored_state(Learner(user), usage_id), None, "user_state")
            for user in users]


def submit(user, usage_id, answers):
    learner = Learner(user)
    status, body = learner.call(learner.block(usage_id), "submit", {"answers": answers})
    assert status == 200, body


# ----- pure rows ---------------------------------------------------------------------------------

def test_learner_row_in_words(mini):
    record = {"submitted_at": "2025-01-02T03:04:05+00:00", "answers": COHORT["u2"], "level": 2,
              "overall": 64.16666, "dimensions": {"listening": 45.8333, "calm": 73.3333}}
    row = reports.learner_row(mini, mini.items, "en", record, attempts=2, attempt_number=2,
                              grade={"raw_earned": 64.17, "raw_possible": 100.0})
    assert row == {
        "Level": 2, "Level name": "Medium", "Overall (%)": 64.1, "Listening (%)": 45.8, "Calm (%)": 73.3,
        "Grade": "64.17/100", "Attempts": 2, "Counted attempt": 2,
        "Submitted at": "2025-01-02T03:04:05+00:00", "Answers": U2_ANSWERS,
    }
    assert reports.learner_row(mini, mini.items, "pl", record, 1)["Answers"].startswith("l_scene: Kiwnij; l_self: Czasami")


def test_learner_row_survives_odd_records(mini):
    assert reports.learner_row(mini, mini.items, "en", None, 0) is None
    row = reports.learner_row(mini, mini.items, "en", {"answers": {"l_self": "9", "gone": "x"}, "level": 7,
                                                       "overall": "high", "dimensions": None}, 1)
    assert row["Level"] == "" and row["Overall (%)"] == "" and row["Listening (%)"] == ""
    assert row["Answers"] == "l_self: 9; gone: x"


def test_statistics_response_uses_item_points(mini):
    response = reports.statistics_response(mini.items, {"answers": COHORT["u2"], "level": 2, "overall": 64.2,
                                                        "dimensions": {"calm": 73.3}})
    assert response["items"] == {"l_scene": 1.0, "l_self": 2.0, "l_interrupt": 4.0,
                                 "c_scene": 3.0, "c_scene2": 2.0, "c_self": 2.0}
    assert response["level"] == 2 and response["dimensions"] == {"calm": 73.3}


# Stored figures and what a row shows for them: one decimal, cut down as the learner sees it
# beside the level (64.16666 is 64.1, never 64.2; 79.99999999999999 is 80.0), and "" for what is no number. Rows keep their roundings for speed
# (ReportRows.percents), so equal but differently written figures come in both orders.
FIGURES = [(64.16666, 64.1), (79.99999999999999, 80.0), (64.96, 64.9), (2.25, 2.2), (0.0, 0.0), (-0.0, -0.0), (1, 1.0), (1.0, 1.0), (True, ""),
           (50, 50.0), ("55.5", ""), (None, ""), ([1], ""), (float("inf"), float("inf"))]
GRADES = [(64.17, "64.17/100"), (0.0, "0/100"), (-0.0, "-0/100"), (1, "1/100"), (1.0, "1/100"),
          (True, ""), ("5", ""), (None, "")]


def test_report_rows_write_each_figure_as_it_is_stored(mini):
    rows = reports.ReportRows(mini, mini.items, "en")
    for stored, shown in FIGURES + FIGURES[::-1]:
        row = rows.row({"overall": stored, "dimensions": {"listening": stored, "calm": stored}}, 1)
        assert repr(row["Overall (%)"]) == repr(row["Calm (%)"]) == repr(shown), stored  # repr: -0.0, 1.0 vs 1
        assert rows.row({"overall": stored, "dimensions": {"calm": stored}}, 1)["Listening (%)"] == ""
    for earned, shown in GRADES + GRADES[::-1]:
        assert rows.row({}, 1, grade={"raw_earned": earned, "raw_possible": 100.0})["Grade"] == shown, earned


def test_report_rows_word_any_stored_answers_as_answers_text_does(mini):
    """The quick path for complete, valid answers and the careful one write the same text."""
    rng = random.Random(6)
    odd = [True, False, 1.0, 3.0, "3", None, [1], {"a": 1}, 0, 6, "zz", "a", 2]
    for language in ("en", "pl"):
        rows = reports.ReportRows(mini, mini.items, language)
        for _ in range(400):
            answers = stored_answers(rng, mini, odd, odd_share=0.1, answered_share=0.95)
            expected = reports.answers_text(mini, mini.items, answers, language)
            assert rows.answers_text(answers) == rows.answers_text(MappingProxyType(answers)) == expected
    assert reports.ReportRows(mini, mini.items, "en").answers_text(dict(COHORT["u2"], l_self=3.0)) == \
        U2_ANSWERS.replace("l_self: Sometimes", "l_self: 3.0")  # 3.0 is no scale value, though it equals 3


# ----- generate_report_data ----------------------------------------------------------------------

@pytest.fixture
def assessment(db, mini_library):  # noqa: F811
    staff = Learner("staff")
    block = staff.load(XML.format(policy="best"))
    usage_id = block.scope_ids.usage_id
    submit("u2", usage_id, WORST)
    submit("u2", usage_id, COHORT["u2"])
    submit("u5", usage_id, COHORT["u5"])
    drafter = Learner("u9")
    drafter.call(drafter.block(usage_id), "save_answers", {"answers": {"l_scene": "a"}})
    return block, usage_id


def test_report_rows_per_learner(assessment):
    block, usage_id = assessment
    rows = dict(block.generate_report_data(iter(user_states(usage_id, ["u2", "u5", "u9"]))))
    assert set(rows) == {"u2", "u5"}  # u9 only has a draft
    u2 = rows["u2"]
    assert (u2["Level"], u2["Level name"], u2["Overall (%)"]) == (2, "Medium", 64.1)
    assert (u2["Listening (%)"], u2["Calm (%)"]) == (45.8, 73.3)
    assert (u2["Attempts"], u2["Counted attempt"], u2["Grade"]) == (2, 2, "64.17/100")
    assert u2["Answers"] == U2_ANSWERS and u2["Submitted at"].startswith("20")
    assert (rows["u5"]["Level"], rows["u5"]["Overall (%)"], rows["u5"]["Attempts"]) == (1, 34.5, 1)  # cut down to one decimal, as the learner sees it
    text = json.dumps(rows)
    assert '"username"' not in text and '"state"' not in text  # the platform's own columns


def test_report_follows_the_retake_policy(assessment):
    block, usage_id = assessment
    block.retake_policy = "latest"
    submit("u5", usage_id, WORST)
    rows = dict(block.generate_report_data(iter(user_states(usage_id, ["u5"]))))
    assert (rows["u5"]["Attempts"], rows["u5"]["Counted attempt"], rows["u5"]["Level"]) == (2, 2, 1)


def test_report_limit_and_odd_states(assessment):
    block, usage_id = assessment
    odd = [XBlockUserState("x1", usage_id, {"results": "nonsense"}, None, "user_state"),
           XBlockUserState("x2", usage_id, {"results": [42, {"level": None}]}, None, "user_state"),
           XBlockUserState("x3", usage_id, None, None, "user_state")]
    states = odd + user_states(usage_id, ["u2", "u5"])
    rows = list(block.generate_report_data(iter(states)))
    assert [name for name, _ in rows] == ["x2", "u2", "u5"]
    assert rows[0][1]["Level"] == "" and rows[0][1]["Attempts"] == 1
    assert [name for name, _ in block.generate_report_data(iter(states), limit_responses=2)] == ["x2", "u2"]
    assert list(block.generate_report_data(iter(states), limit_responses=0)) == []


def test_report_reads_an_older_layout_as_the_block_does(assessment):
    """Version 1 state (no state_version, self-ratings stored as digit strings) gives the same row."""
    block, usage_id = assessment
    (current,) = user_states(usage_id, ["u2"])
    state = json.loads(json.dumps(current.state))
    del state["state_version"]
    for record in state["results"]:
        record["answers"] = {key: str(value) for key, value in record["answers"].items()}
        del record["borderline"], record["pack_version"]
    old = current._replace(username="old", state=state)
    rows = dict(block.generate_report_data(iter([current, old])))
    assert rows["old"] == rows["u2"] and rows["old"]["Answers"] == U2_ANSWERS


@pytest.mark.parametrize("grading_mode, odd", [("score", {"overall": "high"}), ("score", {"overall": [1]}),
                                               ("level", {"level": [1]}), ("level", {"level": "x"})])
def test_report_of_attempts_whose_score_is_no_number(assessment, grading_mode, odd):
    """A stored score that is no number counts as 0 (as in grading): the other attempt is reported."""
    block, usage_id = assessment
    block.grading_mode = grading_mode
    (stored,) = user_states(usage_id, ["u2"])
    state = json.loads(json.dumps(stored.state))
    state["results"][0].update(odd)
    rows = dict(block.generate_report_data(iter([stored._replace(state=state)] + user_states(usage_id, ["u5"]))))
    assert set(rows) == {"u2", "u5"}
    assert (rows["u2"]["Attempts"], rows["u2"]["Counted attempt"], rows["u2"]["Answers"]) == (2, 2, U2_ANSWERS)


def test_report_of_a_broken_pack_falls_back_to_the_platform(assessment):
    block, usage_id = assessment
    block.pack_id = "no_such_pack"
    with pytest.raises(NotImplementedError):
        list(block.generate_report_data(iter(user_states(usage_id, ["u2"]))))


# ----- the workbench command ---------------------------------------------------------------------

@pytest.fixture
def scenario(db, mini_library):  # noqa: F811
    """Load an assessment as the workbench loads a scenario, under the slug ``report-demo``."""
    learner = Learner("staff")
    ids = learner.runtime.id_generator
    previous = ids.scenario
    ids.set_scenario("report-demo")
    try:
        usage_id = learner.load(XML.format(policy="best")).scope_ids.usage_id
    finally:
        ids.set_scenario(previous)
    return usage_id


def test_report_command_writes_the_rows(scenario, tmp_path, capsys):
    for user in ("u1", "u2"):
        submit(user, scenario, COHORT[user])
    output = tmp_path / "report.csv"
    assert cli.main(["report", "--scenario", "report-demo", "--output", str(output)]) == 0
    assert "2 learner rows" in capsys.readouterr().err
    rows = list(csv.DictReader(io.StringIO(output.read_text(encoding="utf-8"))))
    assert [(row["username"], row["scenario"], row["block"]) for row in rows] == [
        ("u1", "report-demo", scenario), ("u2", "report-demo", scenario)]
    assert (rows[0]["Level"], rows[0]["Overall (%)"], rows[1]["Level"]) == ("3", "96.2", "2")
    assert rows[1]["Answers"] == U2_ANSWERS


def test_report_command_to_stdout_and_unknown_scenario(scenario, capsys):
    submit("u3", scenario, COHORT["u3"])
    assert cli.main(["report"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("username,scenario,block,title,Level,") and "\nu3,report-demo," in out
    assert cli.main(["report", "--scenario", "no-such-scenario"]) == 1
    assert "no competency assessment with stored state" in capsys.readouterr().err


# ----- mobile app --------------------------------------------------------------------------------

def test_student_view_data_has_texts_and_no_key(db, mini_library, mini):  # noqa: F811
    block = Learner("u1").load(XML.format(policy="best"))
    data = block.student_view_data()
    json.dumps(data)  # the mobile API serialises it
    assert [q["id"] for q in data["questions"]] == [item.id for item in mini.items]
    scene = next(q for q in data["questions"] if q["id"] == "c_scene2")
    assert scene["prompt"] == {"en": "Kids run around.", "pl": "Dzieci biegają."}
    assert scene["options"] == [{"id": "a", "text": {"en": "Ask the parent kindly", "pl": "Poproś rodzica"}},
                                {"id": "b", "text": {"en": "Offer crayons", "pl": "Daj kredki"}},
                                {"id": "c", "text": {"en": "Yell", "pl": "Krzycz"}}]
    assert data["scale"]["en"][0] == "Never" and data["dimensions"][1]["name"]["pl"] == "Spokój"
    for question in data["questions"]:
        assert set(question) == {"id", "type", "dimension", "prompt", "options"}  # no reverse, weight, points
        for option in question["options"]:
            assert set(option) == {"id", "text"}
    text = json.dumps(data)
    assert "points" not in text and "reverse" not in text and "weight" not in text and "cut" not in text


def test_student_view_user_state(db, mini_library):  # noqa: F811
    learner = Learner("u1")
    block = learner.load(XML.format(policy="best").replace("/>", ' max_attempts="2"/>'))
    learner.call(block, "submit", {"answers": COHORT["u2"]})
    learner.call(block, "save_answers", {"answers": {"l_scene": "b"}})
    status, body = learner.call(block, "student_view_user_state", b"", method="GET")
    assert status == 200
    assert body["answers"] == {"l_scene": "b"}
    assert (body["attempts_used"], body["attempts_left"], body["completed"]) == (1, 1, True)
    (result,) = body["results"]
    assert result["level"] == 2 and round(result["overall"], 2) == 64.17 and "answers" not in result
    assert body["score"] == {"raw_earned": 64.17, "raw_possible": 100.0}
