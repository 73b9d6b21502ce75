/* The block's JavaScript translations (pl), made by `make i18n-compile` from
   competency_xblock/conf/locale/pl/LC_MESSAGES/djangojs.po: do not edit. */
(function (global) {
  "use strict";
  if (global.CompetencyXBlockI18N) { return; }
  const catalog = {
 "%(done)s of %(total)s question answered": [
  "Odpowiedzi: %(done)s z %(total)s pytania",
  "Odpowiedzi: %(done)s z %(total)s pytań",
  "Odpowiedzi: %(done)s z %(total)s pytań"
 ],
 "Checking…": "Sprawdzanie…",
 "Copied. Edit the pack, then check and save it.": "Skopiowano. Zmień pakiet, a potem go sprawdź i zapisz.",
 "Cut scores: enter numbers.": "Progi: wpisz liczby.",
 "Replace the pack in the box? Unsaved changes are lost.": "Zastąpić pakiet w polu? Niezapisane zmiany przepadną.",
 "Saved.": "Zapisano.",
 "Saving": "Zapisywanie",
 "Saving…": "Zapisywanie…",
 "Show the cohort figures": "Pokaż dane grupy",
 "Something went wrong. Please try again.": "Coś poszło nie tak. Spróbuj ponownie.",
 "The course pack is removed; the installed pack is used.": "Usunięto pakiet kursu; używany jest zainstalowany pakiet.",
 "The pack could not be saved.": "Nie udało się zapisać pakietu.",
 "The pack could not be sent. Check your connection and try again.": "Nie udało się wysłać pakietu. Sprawdź połączenie i spróbuj ponownie.",
 "The pack is valid and saved.": "Pakiet jest poprawny i zapisany.",
 "The settings could not be saved.": "Nie udało się zapisać ustawień.",
 "The settings could not be sent. Check your connection and try again.": "Nie udało się wysłać ustawień. Sprawdź połączenie i spróbuj ponownie.",
 "Try again": "Spróbuj ponownie",
 "Unable to update settings": "Nie można zaktualizować ustawień",
 "Working out the figures…": "Obliczanie danych…",
 "enter a number.": "wpisz liczbę."
};
  const pluralIndex = (n) => Number((n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2));
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
