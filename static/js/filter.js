// Filter-as-you-type on a list page. Reading needs none of this: without JavaScript the box
// stays hidden and the search form does the same job on the server.
(function () {
  "use strict";
  var input = document.querySelector("[data-filter-entries]");
  if (!input) return;
  var box = input.closest(".filter-box");
  var status = document.getElementById("filter-status");
  var entries = Array.prototype.slice.call(document.querySelectorAll("li.entry"));
  var sections = Array.prototype.slice.call(document.querySelectorAll("[data-section]")).reverse();
  var texts = entries.map(function (li) { return li.textContent.toLowerCase(); });
  box.hidden = false;
  var timer = null;

  function apply() {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    entries.forEach(function (li, i) {
      var match = words.every(function (w) { return texts[i].indexOf(w) !== -1; });
      li.hidden = !match;
      if (match) shown++;
    });
    // Innermost sections first (reversed document order), so a parent sees its children.
    sections.forEach(function (section) {
      section.hidden = words.length > 0 &&
        !section.querySelector("li.entry:not([hidden])");
    });
    status.textContent = words.length ? shown + " of " + entries.length + " links shown" : "";
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(apply, 120);
  });
})();
