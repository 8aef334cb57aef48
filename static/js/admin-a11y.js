// The admin's autocomplete (select2) puts an unlabelled search box beside each select it
// enhances; screen readers then announce an anonymous text field. Name each one after the
// select's own label. Runs again whenever select2 redraws (MutationObserver).
(function () {
  "use strict";
  function labelSearchFields() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var container = select.nextElementSibling;
      if (!container || !container.classList.contains("select2")) return;
      var field = container.querySelector(".select2-search__field");
      if (!field || field.hasAttribute("aria-label")) return;
      var label = document.querySelector('label[for="' + select.id + '"]');
      var name = label ? label.textContent.trim().replace(/:$/, "") : select.name;
      field.setAttribute("aria-label", "Search " + name);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    labelSearchFields();
    new MutationObserver(labelSearchFields).observe(document.body, { childList: true, subtree: true });
  });
})();
