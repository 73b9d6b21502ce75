/* The block's JavaScript translations (lv), made by `make i18n-compile` from
   competency_xblock/conf/locale/lv/LC_MESSAGES/djangojs.po: do not edit. */
(function (global) {
  "use strict";
  if (global.CompetencyXBlockI18N) { return; }
  const catalog = {
 "%(done)s of %(total)s question answered": [
  "Atbildes: %(done)s no %(total)s jautājuma",
  "Atbildes: %(done)s no %(total)s jautājumiem",
  "Atbildes: %(done)s no %(total)s jautājumiem"
 ],
 "Checking…": "Pārbauda…",
 "Copied. Edit the pack, then check and save it.": "Nokopēts. Rediģējiet pakotni, tad pārbaudiet un saglabājiet to.",
 "Cut scores: enter numbers.": "Robežvērtības: ievadi skaitļus.",
 "Replace the pack in the box? Unsaved changes are lost.": "Aizstāt pakotni laukā? Nesaglabātās izmaiņas zudīs.",
 "Saved.": "Saglabāts.",
 "Saving": "Saglabā",
 "Saving…": "Saglabā…",
 "Show the cohort figures": "Rādīt grupas datus",
 "Something went wrong. Please try again.": "Kaut kas nogāja greizi. Lūdzu, mēģini vēlreiz.",
 "The course pack is removed; the installed pack is used.": "Kursa pakotne noņemta; tiek izmantota instalētā pakotne.",
 "The pack could not be saved.": "Pakotni neizdevās saglabāt.",
 "The pack could not be sent. Check your connection and try again.": "Pakotni neizdevās nosūtīt. Pārbaudiet savienojumu un mēģiniet vēlreiz.",
 "The pack is valid and saved.": "Pakotnē nav kļūdu, un tā ir saglabāta.",
 "The settings could not be saved.": "Iestatījumus neizdevās saglabāt.",
 "The settings could not be sent. Check your connection and try again.": "Iestatījumus neizdevās nosūtīt. Pārbaudi savienojumu un mēģini vēlreiz.",
 "Try again": "Mēģināt vēlreiz",
 "Unable to update settings": "Neizdevās atjaunināt iestatījumus",
 "Working out the figures…": "Aprēķina datus…",
 "enter a number.": "ievadi skaitli."
};
  const pluralIndex = (n) => Number((n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2));
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
