/* Studio editor of the competency assessment: add and remove rows, collect the form, save.
   The server checks everything again and saves all or nothing; this only gathers values. */
function CompetencyAssessmentStudio(runtime, element, init) {
  "use strict";
  const root = element.jquery ? element[0] : element;
  const form = root.querySelector(".ca-studio-form");
  const errorBox = root.querySelector(".ca-studio-errors");
  const status = root.querySelector(".ca-studio-status");
  const questions = form.querySelector("[data-questions]");
  const packSelect = form.querySelector('[data-field="pack_id"]');
  const languageSelect = form.querySelector('[data-field="content_language"]');
  const gettext = window.CompetencyXBlockI18N?.gettext ?? window.gettext ?? ((text) => text);

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function rowsOf(list) {
    return Array.from(list.querySelectorAll(":scope > .ca-studio-rows > [data-row]"));
  }

  function valueOf(row, key) {
    const input = row.querySelector(`[data-key="${key}"]`);
    return input ? input.value.trim() : "";
  }

  function labelOf(input) {
    const label = input.closest("label");
    const name = label && label.querySelector("span");
    return name ? name.textContent.trim() : input.dataset.field || "";
  }

  function nextOptionId(list) {
    const used = new Set(Array.from(list.querySelectorAll('[data-key="id"]'), (input) => input.value));
    return Array.from("abcdefghijklmnop").find((letter) => !used.has(letter)) || "";
  }

  function addRow(button) {
    const kind = button.dataset.add;
    const list = button.closest("[data-list]").querySelector(":scope > .ca-studio-rows");
    const template = root.querySelector(`template[data-template="${kind}"]`);
    const row = template.content.firstElementChild.cloneNode(true);
    if (kind === "option") {
      row.querySelector('[data-key="id"]').value = nextOptionId(list);
      row.querySelector('[data-key="points"]').value = "0";
    }
    list.appendChild(row);
    const first = row.querySelector("input:not([type=checkbox]), textarea, select");
    if (first) first.focus();
  }

  form.addEventListener("click", (event) => {
    const add = event.target.closest("[data-add]");
    const remove = event.target.closest("[data-remove]");
    if (add) {
      event.preventDefault();
      addRow(add);
    } else if (remove) {
      event.preventDefault();
      const list = remove.closest("[data-list]");
      remove.closest("[data-row]").remove();
      const next = list && list.querySelector("[data-add]");
      if (next) next.focus();
    }
  });

  // Only reworded pack questions are sent; the server also drops texts equal to the pack's.
  form.addEventListener("input", (event) => {
    const item = event.target.closest("[data-item]");
    if (item && event.target.matches("[data-text], [data-option]")) item.dataset.edited = "1";
  });

  packSelect.addEventListener("change", () => {
    const changed = packSelect.value !== init.pack_id;
    form.querySelector("[data-pack-note]").hidden = !changed;
    if (questions) questions.disabled = changed;
    const languages = init.pack_languages[packSelect.value] || [];
    const current = languageSelect.value;
    Array.from(languageSelect.options).slice(1).forEach((option) => option.remove());
    languages.forEach((language) => languageSelect.add(new Option(language, language)));
    languageSelect.value = languages.includes(current) ? current : "";
  });

  function texts(scope, attribute, keep) {
    const result = {};
    scope.querySelectorAll(`[${attribute}]`).forEach((input) => {
      if (!keep(input)) return;
      const group = input.getAttribute(attribute);
      result[group] = result[group] || {};
      result[group][input.dataset.lang] = input.value;
    });
    return result;
  }

  function nonEmpty(localized) {
    return Object.fromEntries(Object.entries(localized || {}).filter(([, text]) => text.trim()));
  }

  function addedItem(row) {
    const type = row.dataset.addedType;
    const own = texts(row, "data-text", (input) => !input.closest("[data-option-row]"));
    const promptKey = type === "situational" ? "scene" : "statement";
    const item = { id: valueOf(row, "id"), type: type, dimension: valueOf(row, "dimension"),
                   behaviour: nonEmpty(own.behaviour), [promptKey]: nonEmpty(own[promptKey]) };
    if (row.dataset.weight) item.weight = Number(row.dataset.weight);
    if (type === "situational") {
      item.options = rowsOf(row.querySelector('[data-list="options"]')).map((option) => ({
        id: valueOf(option, "id"), points: Number(valueOf(option, "points")),
        text: nonEmpty(texts(option, "data-text", () => true).text),
      }));
    } else {
      item.reverse = row.querySelector('[data-key="reverse"]').checked;
    }
    return item;
  }

  function collectOverrides() {
    const overrides = { disabled: [], edited: {}, added: [] };
    questions.querySelectorAll("[data-item]").forEach((item) => {
      if (!item.querySelector('[data-key="enabled"]').checked) overrides.disabled.push(item.dataset.item);
      if (item.dataset.edited) {
        const edit = texts(item, "data-text", () => true);
        const options = texts(item, "data-option", () => true);
        if (Object.keys(options).length) edit.options = options;
        overrides.edited[item.dataset.item] = edit;
      }
    });
    overrides.added = rowsOf(questions.querySelector('[data-list="added"]')).map(addedItem);
    return overrides;
  }

  function collect() {
    const values = {};
    const defaults = [];
    const problems = [];
    form.querySelectorAll("[data-field]").forEach((input) => {
      const name = input.dataset.field;
      const type = input.dataset.type;
      if (!type) {
        values[name] = input.value;
      } else if (input.validity.badInput) {
        problems.push(`${labelOf(input)}: ` + gettext("enter a number."));  // outside the template literal, where extraction finds it
      } else if (input.value.trim() === "") {
        if (type === "optional-number") defaults.push(name);
        else values[name] = null;          // the server answers why a number is needed
      } else {
        values[name] = Number(input.value);
      }
    });
    const cuts = Array.from(form.querySelectorAll("[data-cut]"));
    if (cuts.some((input) => input.validity.badInput)) {
      problems.push(gettext("Cut scores: enter numbers."));
    } else if (cuts.every((input) => input.value.trim() === "")) {
      defaults.push("cut_scores");
    } else {
      values.cut_scores = cuts.map((input) => (input.value.trim() === "" ? null : Number(input.value)));
    }
    const lessons = {};
    form.querySelectorAll('[data-list="lessons"]').forEach((list) => {
      const rows = rowsOf(list).map((row) => ({ title: valueOf(row, "title"), url: valueOf(row, "url") }))
        .filter((lesson) => lesson.title || lesson.url);
      if (rows.length) lessons[list.dataset.level] = rows;
    });
    values.follow_up_lessons = lessons;
    const dimensionList = form.querySelector('[data-list="dimension-lessons"]');
    if (dimensionList) {
      // {dimension: {level: [lessons]}}; a row without a level goes under "" and the server asks for one
      const byDimension = {};
      rowsOf(dimensionList).forEach((row) => {
        const lesson = { title: valueOf(row, "title"), url: valueOf(row, "url") };
        if (!lesson.title && !lesson.url) return;
        const levels = (byDimension[valueOf(row, "dimension")] ||= {});
        (levels[valueOf(row, "level")] ||= []).push(lesson);
      });
      values.dimension_follow_ups = byDimension;
    }
    values.extra_links = rowsOf(form.querySelector('[data-list="links"]')).map((row) => ({
      levels: Array.from(row.querySelectorAll('[data-key="levels"]:checked'), (box) => Number(box.value)),
      kind: valueOf(row, "kind"), title: valueOf(row, "title"), url: valueOf(row, "url"),
    })).filter((link) => link.title || link.url);
    if (packSelect.value !== init.pack_id) {
      defaults.push("item_overrides");
    } else if (questions) {
      values.item_overrides = collectOverrides();
    }
    return { values: values, defaults: defaults, problems: problems };
  }

  function showProblems(messages) {
    errorBox.replaceChildren();
    if (messages.length) {
      const list = document.createElement("ul");
      messages.forEach((message) => {
        const entry = document.createElement("li");
        entry.textContent = message;
        list.appendChild(entry);
      });
      errorBox.appendChild(list);
    }
    errorBox.hidden = !messages.length;
    if (messages.length) errorBox.focus();
  }

  async function save() {
    const edits = collect();
    if (edits.problems.length) {
      showProblems(edits.problems);
      return;
    }
    showProblems([]);
    status.textContent = gettext("Saving…");
    runtime.notify("save", { state: "start", message: gettext("Saving") });
    let data = {};
    let ok = false;
    try {
      const response = await fetch(runtime.handlerUrl(root, "submit_studio_edits"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify({ values: edits.values, defaults: edits.defaults }),
      });
      ok = response.ok;
      data = await response.json().catch(() => ({}));
    } catch (error) {
      data = { error: gettext("The settings could not be sent. Check your connection and try again.") };
    }
    if (ok) {
      status.textContent = [gettext("Saved.")].concat(data.warnings || []).join(" ");
      runtime.notify("save", { state: "end" });
      return;
    }
    const messages = data.messages ? data.messages.map((message) => message.text)
      : [data.error || gettext("The settings could not be saved.")];
    status.textContent = "";
    showProblems(messages);
    runtime.notify("error", { title: gettext("Unable to update settings"), message: messages.join(" ") });
  }

  // The chance figure beside the cut scores follows what the designer types (the server works it out).
  const chanceLine = form.querySelector("[data-chance]");
  const selfWeightInput = form.querySelector('[data-field="self_assessment_weight"]');
  let chanceTimer = null;
  let chanceRequest = 0;

  async function updateChance() {
    const cuts = Array.from(form.querySelectorAll("[data-cut]"));
    const empty = cuts.every((input) => input.value.trim() === "");
    if (!chanceLine || cuts.some((input) => input.validity.badInput || (!empty && input.value.trim() === ""))) {
      if (chanceLine) chanceLine.textContent = "";
      return;
    }
    const weight = selfWeightInput && selfWeightInput.value.trim() !== "" ? Number(selfWeightInput.value) : null;
    const request = ++chanceRequest;
    try {
      const response = await fetch(runtime.handlerUrl(root, "chance_figure"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify({
          cut_scores: empty ? [] : cuts.map((input) => Number(input.value)),
          self_assessment_weight: weight,
        }),
      });
      const data = await response.json();
      if (request !== chanceRequest) return;   // a later keystroke has asked again
      chanceLine.textContent = data.text || "";
      chanceLine.classList.toggle("ca-studio-chance-unfair", data.fair === false);
    } catch (error) {
      if (request === chanceRequest) chanceLine.textContent = "";
    }
  }

  form.querySelectorAll("[data-cut], [data-field=\"self_assessment_weight\"]").forEach((input) => {
    input.addEventListener("input", () => {
      clearTimeout(chanceTimer);
      chanceTimer = setTimeout(updateChance, 250);
    });
  });

  // The course's own pack: saved on its own, checked whole by the server, problems listed as "line N: message".
  const packText = form.querySelector("[data-course-pack-text]");
  const packProblems = form.querySelector("[data-course-pack-problems]");
  const packStatus = form.querySelector("[data-course-pack-status]");

  function selectLine(number) {
    const lines = packText.value.split("\n");
    const start = lines.slice(0, number - 1).reduce((sum, line) => sum + line.length + 1, 0);
    packText.focus();
    packText.setSelectionRange(start, start + (lines[number - 1] || "").length);
  }

  function showPackProblems(problems) {
    packProblems.replaceChildren();
    if (problems.length) {
      const list = document.createElement("ul");
      problems.forEach((problem) => {
        const entry = document.createElement("li");
        const line = /^\D*(\d+)/.exec(problem);
        const button = document.createElement("button");
        button.type = "button";
        button.className = "ca-course-pack-line";
        button.textContent = problem;     // the server's text, never parsed as HTML
        if (line) button.addEventListener("click", () => selectLine(Number(line[1])));
        entry.appendChild(button);
        list.appendChild(entry);
      });
      packProblems.appendChild(list);
    }
    packProblems.hidden = !problems.length;
    if (problems.length) packProblems.focus();
  }

  form.querySelector("[data-pack-copy]").addEventListener("click", () => {
    const chosen = form.querySelector("[data-pack-start]").value;
    const source = Array.from(form.querySelectorAll("template[data-pack-source]"))
      .find((template) => template.dataset.packSource === chosen);
    if (!source) return;
    if (packText.value.trim() && !window.confirm(gettext("Replace the pack in the box? Unsaved changes are lost."))) return;
    packText.value = source.content.textContent;   // the pack's text, escaped in the page
    showPackProblems([]);
    packStatus.textContent = gettext("Copied. Edit the pack, then check and save it.");
    packText.focus();
  });

  form.querySelector("[data-course-pack-save]").addEventListener("click", async () => {
    packStatus.textContent = gettext("Checking…");
    let data = {};
    let ok = false;
    try {
      const response = await fetch(runtime.handlerUrl(root, "save_course_pack"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify({ yaml: packText.value }),
      });
      ok = response.ok;
      data = await response.json().catch(() => ({}));
    } catch (error) {
      data = { error: gettext("The pack could not be sent. Check your connection and try again.") };
    }
    if (ok) {
      showPackProblems([]);
      packStatus.textContent = [packText.value.trim() ? gettext("The pack is valid and saved.")
        : gettext("The course pack is removed; the installed pack is used.")].concat(data.warnings || []).join(" ");
      runtime.notify("save", { state: "end" });
      return;
    }
    packStatus.textContent = data.error || gettext("The pack could not be saved.");
    showPackProblems(data.problems || []);
  });

  root.querySelector(".save-button").addEventListener("click", (event) => {
    event.preventDefault();
    save();
  });
  root.querySelector(".cancel-button").addEventListener("click", (event) => {
    event.preventDefault();
    runtime.notify("cancel", {});
  });
}
