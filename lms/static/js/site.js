// What every page of the site shares: a select marked data-autosubmit submits its form on change
// (the language chooser), so that no page needs an inline handler under the CSP.
document.addEventListener("change", function (event) {
  var select = event.target.closest && event.target.closest("select[data-autosubmit]");
  if (select && select.form) { select.form.submit(); }
});
