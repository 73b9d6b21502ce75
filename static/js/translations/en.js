/* The block's JavaScript translations (en), made by `make i18n-compile` from
   competency_xblock/conf/locale/en/LC_MESSAGES/djangojs.po: do not edit. */
(function (global) {
  "use strict";
  if (global.CompetencyXBlockI18N) { return; }
  const catalog = {};
  const pluralIndex = (n) => Number((n != 1));
  global.CompetencyXBlockI18N = {
    gettext(msgid) {
      const value = catalog[msgid];
      return typeof value === "string" ? value : Array.isArray(value) ? value[0] : msgid;
    },
    ngettext(singular, plural, count) {
      const value = catalog[singular];
      if (Array.isArray(value) && value[pluralIndex(count)] !== undefined) { return value[pluralIndex(count)]; }
      return count === 1 ? singular : plural;
    },
  };
}(window));
