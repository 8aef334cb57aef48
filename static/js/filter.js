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

  // The box sticks to the top: anchor jumps must land below it (site.css reads the offset).
  function keepTargetsClear() {
    document.documentElement.style.setProperty("--sticky-offset", box.offsetHeight + "px");
  }
  keepTargetsClear();
  window.addEventListener("resize", keepTargetsClear);
  // The browser may have jumped to the fragment before the box was shown, and fonts or
  // images loading above the target move it again: jump now and once more when all is loaded.
  function jumpToTarget() {
    if (location.hash.length < 2) return;
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target) target.scrollIntoView();
  }
  jumpToTarget();
  window.addEventListener("load", jumpToTarget);
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
