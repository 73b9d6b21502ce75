"""What both blocks ask of the runtime's services: translations and the staff flag."""
from xblock.core import XBlock, XBlockMixin


@XBlock.needs("i18n")
@XBlock.wants("user")
class RuntimeServicesMixin(XBlockMixin):
    """``ugettext`` through the ``i18n`` service, ``user_is_staff`` the way Open edX reports it."""

    def ugettext(self, text: str) -> str:
        return self.runtime.service(self, "i18n").gettext(text)

    def user_is_staff(self) -> bool:
        """True for course staff: the ``user`` service's ``edx-platform.user_is_staff``, never a request value."""
        user_service = self.runtime.service(self, "user")
        if user_service is None:
            return False
        user = user_service.get_current_user()
        return bool(user and user.opt_attrs.get("edx-platform.user_is_staff"))
