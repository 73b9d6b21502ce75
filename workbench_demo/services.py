"""Workbench services that answer as Open edX's do: the user (with the staff flag) and completion."""
from django.conf import settings
from django.core.cache import cache
from xblock.completable import XBlockCompletionMode
from xblock.reference.user_service import UserService, XBlockUser


class DemoUserService(UserService):
    """
    The current workbench user, with ``opt_attrs['edx-platform.user_is_staff']`` set as the LMS sets it.

    The workbench builds services before it knows the user and assigns ``runtime``
    afterwards, so the user is read from the runtime at call time.
    """

    runtime = None

    def __init__(self):
        super().__init__()

    def get_current_user(self):
        user_id = getattr(self.runtime, "user_id", None)
        user = XBlockUser(is_current_user=True, emails=[f"{user_id}@example.com"],
                          full_name=f"Workbench user {user_id}")
        user.opt_attrs["xblock-workbench.user_id"] = user_id
        user.opt_attrs["edx-platform.user_id"] = user_id
        user.opt_attrs["edx-platform.username"] = user_id
        user.opt_attrs["edx-platform.user_is_staff"] = str(user_id) in settings.COMPETENCY_DEMO_STAFF_USERS
        return user


class DemoCompletionService:
    """
    The workbench's stand-in for edx-completion's ``CompletionService`` (``completion/services.py``),
    with the methods the block uses and the same answers: ``completion_tracking_enabled()``,
    ``get_completions(candidates)`` (usage id -> 0.0..1.0, 0.0 when nothing is recorded),
    ``blocks_to_mark_complete_on_view(blocks)``, ``get_complete_on_view_delay_ms()`` and
    ``submit_completion(block_key, completion)``. Completions live in the demo's shared
    cache, per workbench user. The LMS records them when the learner views or finishes a
    block; the workbench has nothing that does, so the tests (and a demo operator) call
    ``submit_completion``.
    """

    runtime = None   # set by the workbench after construction (see DemoUserService)

    @staticmethod
    def completion_tracking_enabled() -> bool:
        return True

    def _key(self, block_key) -> str:
        return f"competency-demo-completion:{getattr(self.runtime, 'user_id', '')}:{block_key}"

    def get_completions(self, candidates) -> dict:
        return {candidate: float(cache.get(self._key(candidate), 0.0)) for candidate in candidates}

    @staticmethod
    def get_complete_on_view_delay_ms() -> int:
        return 5000   # the platform's default (COMPLETION_BY_VIEWING_DELAY_MS)

    @staticmethod
    def can_mark_block_complete_on_view(block) -> bool:
        """Any completable block without custom completion and without a score, as the platform says."""
        return (XBlockCompletionMode.get_mode(block) == XBlockCompletionMode.COMPLETABLE
                and not getattr(block, "has_custom_completion", False) and not getattr(block, "has_score", False))

    def blocks_to_mark_complete_on_view(self, blocks) -> list:
        blocks = [block for block in blocks if self.can_mark_block_complete_on_view(block)]
        completions = self.get_completions({block.scope_ids.usage_id for block in blocks})
        return [block for block in blocks if completions.get(block.scope_ids.usage_id, 0) < 1.0]

    def submit_completion(self, block_key, completion: float):
        if not 0.0 <= completion <= 1.0:
            raise ValueError("completion must lie between 0.0 and 1.0")
        cache.set(self._key(block_key), float(completion), None)
        return completion, True
