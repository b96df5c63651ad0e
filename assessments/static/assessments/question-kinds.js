// The question editor: show only the panels of the chosen question type. Each such panel names
// its types in data-question-kinds; the server already hid those of the saved type.
(function () {
  "use strict";
  var select = document.querySelector("select[name=kind]");
  if (!select) { return; }

  function sync() {
    var panels = document.querySelectorAll("[data-question-kinds]");
    Array.prototype.forEach.call(panels, function (panel) {
      var kinds = panel.getAttribute("data-question-kinds").split(" ");
      panel.hidden = kinds.indexOf(select.value) === -1;
    });
  }

  select.addEventListener("change", sync);
  sync();
})();
