"""A workbench user service that reports staff the way Open edX's does."""
from django.conf import settings
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
