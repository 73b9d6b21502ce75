"""
Synthetic data for the scaling and report benchmarks.

Packs of any length are made from the customer-service pack: its dimensions, levels,
links and texts, with its 36 items repeated under new ids (so a 500-item pack has
items of realistic length, spread over the same six dimensions). Learner states for
the report benchmark are made by the block itself (see ``report_rows``); this module
only repeats them under many user names.
"""
from __future__ import annotations

import contextlib
import copy
import random
import tempfile
from pathlib import Path
from typing import Iterator, NamedTuple

import yaml

from competency_xblock.domain.pack_library import PackLibrary
from competency_xblock.domain.pack_loader import CONTENT_DIR


def base_pack_data() -> dict:
    return yaml.safe_load((CONTENT_DIR / "customer_service.yaml").read_text(encoding="utf-8"))


def synthetic_pack_data(item_count: int, base: dict | None = None) -> dict:
    """A valid pack ``synthetic_<item_count>`` whose items cycle through the base pack's."""
    base = base or base_pack_data()
    data = copy.deepcopy(base)
    data["id"] = f"synthetic_{item_count}"
    items = []
    for index in range(item_count):
        item = copy.deepcopy(base["items"][index % len(base["items"])])
        item["id"] = f"i{index:04d}_{item['id']}"[:64]
        items.append(item)
    data["items"] = items
    return data


@contextlib.contextmanager
def synthetic_library(item_counts) -> Iterator[dict[int, str]]:
    """
    Write packs of ``item_counts`` items to a temporary folder and let the assessment
    block load its packs from there (as ``pack_sources.installed_library``) until the block exits;
    yields {item count: pack id}.
    """
    from competency_xblock.platform import pack_sources  # pylint: disable=import-outside-toplevel
    base = base_pack_data()
    with tempfile.TemporaryDirectory(prefix="competency-bench-packs-") as folder:
        pack_ids = {}
        for count in item_counts:
            data = synthetic_pack_data(count, base)
            Path(folder, f"{data['id']}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
            pack_ids[count] = data["id"]
        library = PackLibrary(folder)
        for pack_id in pack_ids.values():
            library.get(pack_id)  # parse and check now, not inside a timed render
        saved = pack_sources.installed_library
        pack_sources.installed_library = lambda: library
        try:
            yield pack_ids
        finally:
            pack_sources.installed_library = saved


class UserState(NamedTuple):
    """What Open edX's ``user_state_client.iter_all_for_block`` yields (``XBlockUserState``'s fields we use)."""
    username: str
    state: dict


def random_answers(pack, rng: random.Random) -> dict:
    """A complete answer set drawn at random from the pack's options and scale."""
    return {item.id: (rng.choice(item.options).id if item.is_situational else rng.randint(1, 5))
            for item in pack.items}


def cycle_states(pool: list[dict], count: int) -> Iterator[UserState]:
    """
    ``count`` learner states under distinct user names, repeating the states of ``pool``:
    the input then costs little memory, so a benchmark measures the report, not its input.
    """
    for number in range(count):
        yield UserState(f"learner{number:06d}", pool[number % len(pool)])
