/* Learner view of the competency assessment: autosave, submit, retake. Plain JS, no framework. */
function CompetencyAssessment(runtime, element, init) {
  "use strict";
  const root = element.jquery ? element[0] : element;
  const form = root.querySelector(".ca-form");
  const questions = form.querySelector(".ca-questions");
  const resultBox = root.querySelector(".ca-result");
  const errorBox = root.querySelector(".ca-error");
  const progress = root.querySelector(".ca-progress");
  const gettext = window.CompetencyXBlockI18N?.gettext ?? window.gettext ?? ((text) => text);
  // The catalogue's own plural rule (Russian and Latvian have three forms); English's without one.
  const ngettext = window.CompetencyXBlockI18N?.ngettext ?? window.ngettext
    ?? ((singular, plural, count) => (count === 1 ? singular : plural));
  const FOCUS_RESULT_KEY = "competency-assessment-focus-result";
  const section = root.matches(".competency-assessment") ? root : root.querySelector(".competency-assessment");
  let saveTimer = null;

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  async function post(handler, payload) {
    const response = await fetch(runtime.handlerUrl(root, handler), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(payload),
    });
    let data = {};
    try { data = await response.json(); } catch (ignored) { /* a non-JSON error page */ }
    if (!response.ok) {
      throw new Error(data.error || gettext("Something went wrong. Please try again."));
    }
    return data;
  }

  function collectAnswers() {
    const answers = {};
    form.querySelectorAll("fieldset[data-item]").forEach((fieldset) => {
      const checked = fieldset.querySelector("input:checked");
      if (checked) {
        const selfRating = fieldset.classList.contains("ca-self");
        answers[fieldset.dataset.item] = selfRating ? Number(checked.value) : checked.value;
      }
    });
    return answers;
  }

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = !message;
  }

  function updateProgress() {
    const total = form.querySelectorAll("fieldset[data-item]").length;
    const done = Object.keys(collectAnswers()).length;
    progress.textContent = ngettext("%(done)s of %(total)s question answered",
                                    "%(done)s of %(total)s questions answered", total)
      .replace("%(done)s", done).replace("%(total)s", total);
  }

  function scheduleSave() {
    updateProgress();
    clearTimeout(saveTimer);
    saveTimer = setTimeout(async () => {
      try {
        await post("save_answers", { answers: collectAnswers() });
        showError("");
      } catch (error) {
        showError(error.message);
      }
    }, 400);
  }

  function bindRetake() {
    // The invitation at the top of the result and the button at its end do the same.
    let fetching = false;  // not disabled while it works: a disabled button would drop the keyboard focus
    resultBox.querySelectorAll(".ca-retake").forEach((retake) => retake.addEventListener("click", async () => {
      // A result page comes without the questions: fetch them, blank or with the saved draft.
      if (fetching) { return; }
      fetching = true;
      try {
        questions.innerHTML = (await post("question_form", {})).html;  // rendered and escaped by the server
        showError("");
        form.hidden = false;
        updateProgress();
        form.querySelector("input")?.focus();
      } catch (error) {
        showError(error.message);
      } finally {
        fetching = false;
      }
    }));
  }

  function bindStaffFigures() {
    // Staff only: the figures read every learner's saved results, so they are fetched on request.
    const show = root.querySelector(".ca-staff-show");
    const region = root.querySelector(".ca-staff-figures");
    if (!show || !region) { return; }
    let fetching = false;  // not disabled while it works: a disabled button would drop the keyboard focus
    show.addEventListener("click", async () => {
      if (fetching) { return; }
      fetching = true;
      region.textContent = gettext("Working out the figures…");
      try {
        region.innerHTML = (await post("staff_figures", {})).html;  // rendered and escaped by the server
        show.hidden = true;
        const heading = region.querySelector("h4") || region;
        heading.tabIndex = -1;
        heading.focus();
      } catch (error) {
        const message = document.createElement("p");
        message.className = "ca-staff-failed";
        message.textContent = error.message;
        region.replaceChildren(message);
      } finally {
        fetching = false;
      }
    });
  }

  form.addEventListener("change", scheduleSave);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearTimeout(saveTimer);
    const button = form.querySelector(".ca-submit");
    button.disabled = true;
    try {
      const data = await post("submit", { answers: collectAnswers() });
      showError("");
      if (document.querySelector(".competency-gate")) {
        // Level gates on this page are rendered by the server for the old level: reload so
        // they open and close at once, then bring the learner back to the result.
        sessionStorage.setItem(FOCUS_RESULT_KEY, section.id);
        window.location.reload();
        return;
      }
      resultBox.innerHTML = data.result_html;  // rendered and escaped by the server
      form.hidden = true;
      bindRetake();
      resultBox.focus();
    } catch (error) {
      showError(error.message);
    } finally {
      button.disabled = false;
    }
  });

  bindRetake();
  bindStaffFigures();
  updateProgress();
  if (section.id && sessionStorage.getItem(FOCUS_RESULT_KEY) === section.id) {
    sessionStorage.removeItem(FOCUS_RESULT_KEY);
    resultBox.focus();
    resultBox.scrollIntoView({ block: "start" });
  }
}
