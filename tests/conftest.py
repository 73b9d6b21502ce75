"""Shared fixtures: the customer-service pack, answer sets, and workbench learners."""
from __future__ import annotations

from pathlib import Path

import pytest

from competency_xblock.domain.pack_loader import CONTENT_DIR, load_pack_file
from competency_xblock.domain.pack_model import SCALE_MAX, SCALE_MIN

from .workbench import Learner

PACKS = Path(__file__).parent / "packs"
TEAMWORK_PATH = CONTENT_DIR / "examples" / "teamwork.yaml"   # the second worked example


@pytest.fixture(scope="session")
def pack():
    return load_pack_file(CONTENT_DIR / "customer_service.yaml")


@pytest.fixture(scope="session")
def mini_pack():
    return load_pack_file(PACKS / "mini.yaml")


def answer_set(pack, quality: str) -> dict:
    """Answers of a given quality: ``best``, ``worst`` or ``middling``, from the pack's own key.

    ``middling`` is a realistic middle learner: the second-best reaction to every scene, and
    self-ratings one step on the good side of the middle ("often" for a positive statement,
    "rarely" for a negative one), since self-ratings run high. (Second-best scenes with
    "sometimes" throughout scores 61.7 on customer service, within the reach of random
    clicking: see README "Scoring".)
    """
    answers = {}
    for item in pack.items:
        if item.is_situational:
            ranked = sorted(item.options, key=lambda option: option.points)
            target = {"best": 3, "worst": 0, "middling": 2}[quality]
            answers[item.id] = min(ranked, key=lambda option: abs(option.points - target)).id
        else:
            high, low = (SCALE_MIN, SCALE_MAX) if item.reverse else (SCALE_MAX, SCALE_MIN)
            answers[item.id] = {"best": high, "worst": low, "middling": 2 if item.reverse else 4}[quality]
    return answers


def stored_answers(rng, pack, odd: list, odd_share: float, answered_share: float) -> dict:
    """
    Answers as they might be stored: most questions answered with a valid option or rating,
    ``odd_share`` of those with a value from ``odd`` instead, and now and then an answer to a
    question the pack no longer has.
    """
    answers = {item.id: (rng.choice(odd) if rng.random() < odd_share else
                         rng.choice(item.options).id if item.is_situational else rng.randint(1, 5))
               for item in pack.items if rng.random() < answered_share}
    if rng.random() < 0.1:
        answers["a_removed_question"] = "x"
    return answers


@pytest.fixture
def learner(db):
    return Learner("learner")


@pytest.fixture
def staff(db):
    return Learner("staff")
