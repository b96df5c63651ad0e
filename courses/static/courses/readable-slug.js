// The page editor: a Chinese title fills the slug with its pinyin, as Wagtail's own sync fills
// it for a Latin title (with WAGTAIL_ALLOW_UNICODE_SLUGS off it would leave it empty). The
// slug keeps following the title until the trainer types a slug of their own.
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.getAttribute("data-slug-url");
  var title = document.querySelector("input[name=title]");
  var slug = document.querySelector("input[name=slug]");
  if (!url || !title || !slug || !window.fetch) { return; }
  var han = /[\u3400-\u9fff\uf900-\ufaff]/;
  var auto = slug.value === "";
  var asked = 0;

  // Wagtail's sync wrote the slug from the title: it is still automatic.
  slug.addEventListener("w-slug:applied", function (event) {
    if (event.detail && event.detail.action === "urlify") { auto = true; }
  });
  slug.addEventListener("input", function (event) {
    if (event.isTrusted) { auto = false; }
  });

  function fill() {
    if (!auto || !han.test(title.value)) { return; }
    var ask = ++asked;
    fetch(url + "?title=" + encodeURIComponent(title.value), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && data.slug && ask === asked && auto) { slug.value = data.slug; }
      });
  }

  title.addEventListener("change", fill);
  title.addEventListener("blur", fill);
})();
