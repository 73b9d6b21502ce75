"""What both blocks ask of the runtime's services: translations, the staff flag, learners' saved state."""
import functools
import json

from webob import Response
from xblock.core import XBlock, XBlockMixin

from . import openedx_platform


def staff_only(handler):
    """Wrap an XBlock handler so that anyone but course staff gets a 403 JSON answer."""
    @functools.wraps(handler)
    def wrapper(self, request, suffix=""):
        if not self.user_is_staff():
            message = self.ugettext("Only course staff can do this.")
            return Response(json.dumps({"error": message}), status=403, content_type="application/json",
                            charset="utf8")
        return handler(self, request, suffix)
    wrapper.staff_only = True
    return wrapper


@XBlock.needs("i18n")
@XBlock.wants("user")
@XBlock.wants("user_state_client")
class RuntimeServicesMixin(XBlockMixin):
    """
    ``ugettext`` through the ``i18n`` service, ``user_is_staff`` the way Open edX reports
    it, and ``user_state_client``: every learner's saved state of a block.
    """

    # Open edX compiles the block's djangojs catalogue into this global (OEP-58).
    i18n_js_namespace = "CompetencyXBlockI18N"

    def add_javascript_catalog(self, fragment) -> None:
        """Add the platform's compiled JS translations when the runtime offers them (Open edX does)."""
        catalog_url = getattr(self.runtime.service(self, "i18n"), "get_javascript_i18n_catalog_url", None)
        url = catalog_url(self) if catalog_url else None
        if url:
            fragment.add_javascript_url(url)

    def ugettext(self, text: str) -> str:
        return self.runtime.service(self, "i18n").gettext(text)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        """The form of a counted string for ``count`` (Russian and Latvian have three)."""
        return self.runtime.service(self, "i18n").ngettext(singular, plural, count)

    def user_is_staff(self) -> bool:
        """True for course staff: the ``user`` service's ``edx-platform.user_is_staff``, never a request value."""
        user_service = self.runtime.service(self, "user")
        if user_service is None:
            return False
        user = user_service.get_current_user()
        return bool(user and user.opt_attrs.get("edx-platform.user_is_staff"))

    def user_state_client(self):
        """
        Read access to every learner's saved state of this block, or None where there is none.

        The object has ``iter_all_for_block(usage_key)``, yielding records with ``username``
        and ``state`` (a dict of the learner's field values), as edx-platform's
        ``XBlockUserStateClient`` does. It is the runtime's ``user_state_client`` service
        when it offers one (the workbench demo does: ``workbench_store``); in Open edX,
        which has no such service, it is the LMS's own client (``openedx_platform``).
        """
        client = self.runtime.service(self, "user_state_client")
        return client if client is not None else openedx_platform.user_state_client()
