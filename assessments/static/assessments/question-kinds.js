// The question editor: show only the panels, and the fields of each option, of the chosen
// question type. Each such element names its types in data-question-kinds; the server already
// hid the panels of the saved type. The options panel is renamed by type (data-kind-headings).
(function () {
  "use strict";
  var select;

  function sync() {
    var panels = document.querySelectorAll("[data-question-kinds]");
    Array.prototype.forEach.call(panels, function (panel) {
      var kinds = panel.getAttribute("data-question-kinds").split(" ");
      var hidden = kinds.indexOf(select.value) === -1;
      if (panel.hidden !== hidden) { panel.hidden = hidden; }
    });
    var named = document.querySelectorAll("[data-kind-headings]");
    Array.prototype.forEach.call(named, function (panel) {
      var headings = JSON.parse(panel.getAttribute("data-kind-headings"));
      var label = panel.querySelector("[data-panel-heading-text]");
      var text = headings[select.value] || headings[""];
      if (label && label.textContent !== text) { label.textContent = text; }
    });
  }

  function start() {
    select = document.querySelector("select[name=kind]");
    if (!select) { return; }
    select.addEventListener("change", sync);
    // Options added with the panel's button arrive with every field shown: sync them too.
    new MutationObserver(sync).observe(document.body, {childList: true, subtree: true});
    sync();
  }

  // Wagtail loads a form's media in the page's head, before the form exists.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
