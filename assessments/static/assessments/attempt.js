// The exam page: its clock, autosave of each answer, ordering by buttons, the submit check.
// Everything it needs comes from data- attributes of the form (see attempt.html).
(function () {
  "use strict";
  var form = document.getElementById("attempt-form");
  if (!form || !window.fetch) { return; }
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var clock = document.getElementById("clock");
  var deadline = Date.now() + Number(form.dataset.secondsLeft) * 1000;
  var leaving = false;
  var timers = {};

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function tick() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
    clock.textContent = (h ? h + ":" + pad(m) : m) + ":" + pad(s);
    clock.classList.toggle("ending", left <= 60);
    if (left === 0) {
      // The server's time is up: hand in what is on the page (it still takes it in the grace period).
      if (!leaving) { leaving = true; form.submit(); }
      return;
    }
    setTimeout(tick, 1000);
  }

  function inputs(box, extra) {
    return Array.prototype.slice.call(box.querySelectorAll("input[name='q-" + box.dataset.position + "']" + (extra || "")));
  }

  function responseOf(box) {
    var kind = box.dataset.kind;
    var values = function (list) { return list.map(function (i) { return i.value; }); };
    if (kind === "multiple") { return values(inputs(box, ":checked")); }
    if (kind === "ordering") { return values(inputs(box)); }
    if (kind === "numeric" || kind === "short_answer") {
      var text = inputs(box)[0].value.trim();
      return text === "" ? null : text;
    }
    if (kind === "matching") {
      // {item number: choice number}; items left on "Choose…" are left out.
      var chosen = {}, any = false;
      Array.prototype.forEach.call(box.querySelectorAll("select[data-item]"), function (select) {
        if (select.value !== "") { chosen[select.dataset.item] = select.value; any = true; }
      });
      return any ? chosen : null;
    }
    var checked = inputs(box, ":checked")[0];
    if (!checked) { return null; }
    return kind === "true_false" ? checked.value === "true" : checked.value;
  }

  function show(box, text, failed) {
    var state = box.querySelector(".save-state");
    state.textContent = text;
    state.classList.toggle("bad", Boolean(failed));
  }

  // One save per question at a time: two in flight could arrive in either order, and the older
  // answer (a matching question's first pair only) would overwrite the newer one.
  var inFlight = {};
  var again = {};

  function save(box) {
    var position = box.dataset.position;
    if (inFlight[position]) { again[position] = true; return; }
    inFlight[position] = true;
    show(box, form.dataset.textSaving);
    fetch(form.dataset.answerUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
      body: JSON.stringify({position: Number(position), response: responseOf(box)})
    }).then(function (reply) {
      return reply.json();
    }).then(function (data) {
      if (typeof data.seconds_left === "number") { deadline = Date.now() + data.seconds_left * 1000; }
      if (data.finished) { leaving = true; window.location.assign(data.result_url); return; }
      if (again[position]) { return; }
      if (data.saved) { show(box, form.dataset.textSaved); return; }
      show(box, data.error || form.dataset.textFailed, true);
    }).catch(function () {
      // No connection: keep the answer on the page and try again; the submit carries it too.
      show(box, form.dataset.textOffline, true);
      later(box, 5000);
    }).then(function () {
      inFlight[position] = false;
      // A change made while this save was on its way goes now, as the page has it.
      if (again[position] && !leaving) { again[position] = false; save(box); }
    });
  }

  function later(box, wait) {
    var position = box.dataset.position;
    clearTimeout(timers[position]);
    timers[position] = setTimeout(function () { save(box); }, wait);
  }

  function boxOf(element) { return element.closest("fieldset[data-position]"); }

  form.addEventListener("change", function (event) {
    var box = boxOf(event.target);
    if (box) { later(box, 0); }
  });
  form.addEventListener("input", function (event) {
    var box = boxOf(event.target);
    if (box && (box.dataset.kind === "numeric" || box.dataset.kind === "short_answer")) { later(box, 800); }
  });
  form.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-move]");
    if (!button) { return; }
    var item = button.closest("li"), list = item.parentNode;
    if (button.dataset.move === "up" && item.previousElementSibling) {
      list.insertBefore(item, item.previousElementSibling);
    } else if (button.dataset.move === "down" && item.nextElementSibling) {
      list.insertBefore(item.nextElementSibling, item);
    } else { return; }
    inputs(boxOf(list)).forEach(function (i) { i.disabled = false; });
    button.focus();
    later(boxOf(list), 400);
  });
  form.addEventListener("submit", function (event) {
    if (!leaving && !window.confirm(form.dataset.textConfirm)) { event.preventDefault(); return; }
    leaving = true;
  });
  tick();
})();
