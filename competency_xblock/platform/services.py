"""What both blocks ask of the runtime's services: translations, the staff flag, learners' saved state."""
import functools
import json

from django.utils import translation
from webob import Response
from xblock.core import XBlock, XBlockMixin

from . import openedx_platform, runtimes, translations


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

    # Open edX compiles an atlas-pulled djangojs catalogue into this global (OEP-58); the
    # block's own catalogue scripts (static/js/translations/) define the same one.
    i18n_js_namespace = "CompetencyXBlockI18N"

    def i18n_service(self):
        """
        The runtime's ``i18n`` service, or the block's own ``text`` catalogue for the active
        language when the service holds none of the block's (see ``translations``).

        Kept on the block for its language: Open edX's runtime builds a new ``XBlockI18nService``
        (a catalogue search on disk) at every ``service()`` call, and a block lives for one request.
        """
        language = translation.get_language()
        kept = self.__dict__.get("_i18n_service_kept")
        if kept is not None and kept[0] == language:
            return kept[1]
        service = self.runtime.service(self, "i18n")
        if not translations.has_block_catalogue(service):
            service = translations.python_translation() or service
        self._i18n_service_kept = (language, service)  # pylint: disable=attribute-defined-outside-init
        return service

    def add_javascript_catalog(self, fragment) -> None:
        """
        The JavaScript translations for the active language: the platform's compiled catalogue
        when its i18n service gives a URL (Open edX, for atlas-pulled translations), else the
        block's own script for the language, inline (no resource URL: it works in every runtime).
        """
        catalog_url = getattr(self.runtime.service(self, "i18n"), "get_javascript_i18n_catalog_url", None)
        url = catalog_url(self) if catalog_url else None
        if url:
            fragment.add_javascript_url(url)
            return
        own = translations.javascript_catalogue()
        if own:
            fragment.add_javascript(own)

    def ugettext(self, text: str) -> str:
        return self.i18n_service().gettext(text)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        """The form of a counted string for ``count`` (Russian and Latvian have three)."""
        return self.i18n_service().ngettext(singular, plural, count)

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
        which has no such service, it is the LMS's own client (``openedx_platform``). None in
        Studio's preview and in a content library (``runtimes``).
        """
        if runtimes.runtime_kind(self) != runtimes.LMS:
            return None  # a Studio preview or a content library: no course learners' results to read
        client = self.runtime.service(self, "user_state_client")
        return client if client is not None else openedx_platform.user_state_client()

    def runtime_kind(self) -> str:
        """``runtimes.LMS``, ``runtimes.STUDIO_PREVIEW`` or ``runtimes.LIBRARY``."""
        return runtimes.runtime_kind(self)
