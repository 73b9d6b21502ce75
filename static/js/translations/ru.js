/* The block's JavaScript translations (ru), made by `make i18n-compile` from
   competency_xblock/conf/locale/ru/LC_MESSAGES/djangojs.po: do not edit. */
(function (global) {
  "use strict";
  if (global.CompetencyXBlockI18N) { return; }
  const catalog = {
 "%(done)s of %(total)s question answered": [
  "Отвечено: %(done)s из %(total)s вопроса",
  "Отвечено: %(done)s из %(total)s вопросов",
  "Отвечено: %(done)s из %(total)s вопросов"
 ],
 "Checking…": "Проверка…",
 "Copied. Edit the pack, then check and save it.": "Скопировано. Отредактируйте пакет, затем проверьте и сохраните его.",
 "Cut scores: enter numbers.": "Пороговые баллы: введите числа.",
 "Replace the pack in the box? Unsaved changes are lost.": "Заменить пакет в поле? Несохранённые изменения будут потеряны.",
 "Saved.": "Сохранено.",
 "Saving": "Сохранение",
 "Saving…": "Сохранение…",
 "Show the cohort figures": "Показать данные группы",
 "Something went wrong. Please try again.": "Что-то пошло не так. Попробуйте ещё раз.",
 "The course pack is removed; the installed pack is used.": "Пакет курса удалён; используется установленный пакет.",
 "The pack could not be saved.": "Не удалось сохранить пакет.",
 "The pack could not be sent. Check your connection and try again.": "Не удалось отправить пакет. Проверьте соединение и попробуйте ещё раз.",
 "The pack is valid and saved.": "Пакет без ошибок и сохранён.",
 "The settings could not be saved.": "Не удалось сохранить настройки.",
 "The settings could not be sent. Check your connection and try again.": "Не удалось отправить настройки. Проверьте подключение и попробуйте ещё раз.",
 "Try again": "Повторить",
 "Unable to update settings": "Не удалось обновить настройки",
 "Working out the figures…": "Идёт расчёт данных…",
 "enter a number.": "введите число."
};
  const pluralIndex = (n) => Number((n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2));
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
