// Sort and filter a list page in place: filter-as-you-type, and the "Sort and filter" form
// (sort by name, stars, last activity or date added; licence, tag, maintained) over the
// data-* attributes each entry carries. Reading needs none of this: without JavaScript the
// text box stays hidden and the form asks the search page, which does the same on the server.
(function () {
  "use strict";
  var input = document.querySelector("[data-filter-entries]");
  if (!input) return;
  var box = input.closest(".filter-box");
  var status = document.getElementById("filter-status");
  var form = document.querySelector("[data-view-options]");
  var entries = Array.prototype.slice.call(document.querySelectorAll("li.entry"));
  var sections = Array.prototype.slice.call(document.querySelectorAll("[data-section]")).reverse();
  var texts = entries.map(function (li) { return li.textContent.toLowerCase(); });
  // Each section's entries in the list's order, to come back to it.
  var lists = Array.prototype.slice.call(document.querySelectorAll("ul.entries")).map(function (ul) {
    return { ul: ul, items: Array.prototype.slice.call(ul.children) };
  });
  var FIELDS = ["sort", "licence", "tag", "maintained"];
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

  function choices() {
    var found = {};
    if (!form) return found;
    FIELDS.forEach(function (name) {
      var field = form.elements.namedItem(name);
      if (!field) return;
      found[name] = field.type === "checkbox" ? (field.checked ? field.value : "") : field.value;
    });
    return found;
  }

  function title(li) {
    var el = li.querySelector(".entry-title, strong");
    return (el ? el.textContent : li.textContent).trim();
  }

  // Highest first; entries without the figure after the others, in the list's order.
  function descending(attribute, numeric) {
    return function (a, b) {
      var x = a.getAttribute(attribute), y = b.getAttribute(attribute);
      if (x === null || y === null) return (x === null) - (y === null);
      if (numeric) return Number(y) - Number(x);
      return x < y ? 1 : x > y ? -1 : 0;
    };
  }

  var ORDERS = {
    name: function (a, b) {
      return title(a).localeCompare(title(b), undefined, { sensitivity: "base", numeric: true });
    },
    stars: descending("data-stars", true),
    activity: descending("data-activity", false),
    added: descending("data-added", false)
  };

  function sort(key) {
    var order = ORDERS[key];
    lists.forEach(function (list) {
      // Array.prototype.sort is stable: ties keep the list's order.
      var items = order ? list.items.slice().sort(order) : list.items;
      items.forEach(function (li) { list.ul.appendChild(li); });
    });
  }

  function matches(li, i, words, chosen) {
    if (!words.every(function (w) { return texts[i].indexOf(w) !== -1; })) return false;
    if (chosen.licence && li.getAttribute("data-licence") !== chosen.licence) return false;
    if (chosen.tag && (" " + (li.getAttribute("data-tags") || "") + " ").indexOf(" " + chosen.tag + " ") === -1) return false;
    if (chosen.maintained && li.getAttribute("data-maintained") !== "1") return false;
    return true;
  }

  function apply() {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var chosen = choices();
    var filtering = words.length > 0 || !!(chosen.licence || chosen.tag || chosen.maintained);
    var shown = 0;
    entries.forEach(function (li, i) {
      var match = matches(li, i, words, chosen);
      li.hidden = !match;
      if (match) shown++;
    });
    // Innermost sections first (reversed document order), so a parent sees its children.
    sections.forEach(function (section) {
      section.hidden = filtering && !section.querySelector("li.entry:not([hidden])");
    });
    var message = filtering ? shown + " of " + entries.length + " links shown" : "";
    if (chosen.sort) {
      var option = form.elements.namedItem("sort").selectedOptions[0];
      message = (message ? message + ", " : "") + "sorted by " + option.textContent.toLowerCase();
    }
    status.textContent = message;
  }

  function applyChoices() {
    sort(choices().sort);
    apply();
    // The choices stay in the address, so a reload or a shared link shows the same view
    // (served from the same cached page: the server ignores these parameters here).
    var params = new URLSearchParams(location.search);
    var chosen = choices();
    FIELDS.forEach(function (name) {
      if (chosen[name]) params.set(name, chosen[name]); else params.delete(name);
    });
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(apply, 120);
  });

  if (form) {
    var submit = form.querySelector("[data-view-submit]");
    if (submit) submit.hidden = true;  // choices apply as they change
    var given = new URLSearchParams(location.search);
    var any = false;
    FIELDS.forEach(function (name) {
      var field = form.elements.namedItem(name), value = given.get(name);
      if (!field || !value) return;
      if (field.type === "checkbox") field.checked = value === field.value;
      else if (Array.prototype.some.call(field.options, function (o) { return o.value === value; })) field.value = value;
      any = true;
    });
    form.addEventListener("change", applyChoices);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      applyChoices();
    });
    if (any) applyChoices();
  }
})();
