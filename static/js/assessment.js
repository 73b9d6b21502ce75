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

  async function get(handler) {
    const response = await fetch(runtime.handlerUrl(root, handler), { credentials: "same-origin" });
    let data = {};
    try { data = await response.json(); } catch (ignored) { /* a non-JSON error page */ }
    if (!response.ok) {
      throw new Error(data.error || gettext("Something went wrong. Please try again."));
    }
    return data;
  }

  function bindStaffFigures() {
    // Staff only: a background job works the figures out (staff_figures starts or joins it); the shell
    // shows its progress, then the kept figures, which the next visit shows again without a new job.
    const show = root.querySelector(".ca-staff-show");
    const region = root.querySelector(".ca-staff-figures");
    if (!show || !region) { return; }
    const POLL_MS = 1000;
    let pollTimer = null;
    let pressed = false;  // move the focus to the figures only after a press, never on page load

    function showMessage(text, failed) {
      let line = region.querySelector(".ca-staff-job");
      if (!text) { if (line) { line.remove(); } return; }
      if (!line) {
        line = document.createElement("p");
        region.prepend(line);
      }
      line.className = failed ? "ca-staff-job ca-staff-failed" : "ca-staff-job";
      line.textContent = text;
    }

    function render(data) {
      const running = data.state === "queued" || data.state === "running";
      if (!running || !region.querySelector(".ca-staff-summary")) {
        region.innerHTML = data.html || "";  // rendered and escaped by the server
      }
      showMessage(data.message, data.state === "failed");
      show.textContent = data.state === "failed" ? gettext("Try again") : gettext("Show the cohort figures");
      clearTimeout(pollTimer);
      if (running) {
        pollTimer = setTimeout(() => refresh(get("staff_figures_status")), POLL_MS);
      } else if (pressed && data.state === "done") {
        pressed = false;
        const heading = region.querySelector("h4") || region;
        heading.tabIndex = -1;
        heading.focus();
      }
    }

    let asked = 0;  // answers to earlier requests (the status asked for on load, say) are not shown over later ones
    async function refresh(answer) {
      const mine = ++asked;
      try {
        const data = await answer;
        if (mine === asked) { render(data); }
      } catch (error) {
        if (mine === asked) {
          clearTimeout(pollTimer);
          showMessage(error.message, true);
        }
      }
    }

    show.addEventListener("click", () => {
      // not disabled while the job runs: a disabled button would drop the keyboard focus; a press joins it
      pressed = true;
      showMessage(gettext("Working out the figures…"), false);
      refresh(post("staff_figures", {}));
    });
    refresh(get("staff_figures_status"));
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
