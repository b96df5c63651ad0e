// Follows background jobs on their page: every element with data-job-progress="<status URL>" is
// updated from the JSON state that URL answers (core.jobs.job_progress_state, or {"jobs": [...]}
// holding several, picked by data-job-id) until the job has finished. The labels come translated
// from the server, so nothing here is language-specific. An element with data-reload-after="<ms>"
// reloads its page after that delay instead.
(function () {
  "use strict";
  // A page may include the progress box more than once; follow each box once.
  if (window.jobProgressLoaded) { return; }
  window.jobProgressLoaded = true;

  function apply(box, state) {
    box.querySelectorAll("[data-field]").forEach(function (el) {
      var name = el.dataset.field;
      var value = state[name] || "";
      if (name === "stage_label" && value) { value = " · " + value; }
      el.textContent = value;
      if (name === "error") { el.hidden = !value; }
    });
    box.querySelectorAll("[data-show]").forEach(function (el) {
      el.hidden = !state[el.dataset.show];
    });
    box.querySelectorAll("[data-href]").forEach(function (el) {
      if (state[el.dataset.href]) { el.href = state[el.dataset.href]; }
    });
    var bar = box.querySelector("progress");
    if (bar) { bar.value = state.percent; }
  }

  function follow(box) {
    var url = box.dataset.jobProgress;
    function poll() {
      fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) {
          if (!response.ok) { throw new Error(response.status); }
          return response.json();
        })
        .then(function (data) {
          var state = data.jobs ? data.jobs.filter(function (job) {
            return String(job.id) === box.dataset.jobId;
          })[0] : data;
          if (!state) { return; }
          apply(box, state);
          if (!state.finished) {
            setTimeout(poll, 1500);
          } else if (box.hasAttribute("data-reload-when-finished")) {
            window.location.reload();
          }
        })
        .catch(function () { setTimeout(poll, 5000); });
    }
    setTimeout(poll, 1000);
  }

  function start() {
    document.querySelectorAll("[data-job-progress]").forEach(follow);
    // A page whose job has no status URL (an import, a regrade) is shown again while it runs.
    document.querySelectorAll("[data-reload-after]").forEach(function (el) {
      setTimeout(function () { window.location.reload(); }, Number(el.dataset.reloadAfter));
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
