// Page behaviours that were inline handlers (onclick="…"), which the Content-Security-Policy forbids:
// a `data-print` button prints the page; a `data-select-on-focus` field selects its text when tapped,
// so a read-only address can be copied at once.
(function () {
  "use strict";
  function selectField(event) {
    var field = event.target;
    if (field instanceof HTMLInputElement && field.hasAttribute("data-select-on-focus")) field.select();
  }
  document.addEventListener("click", function (event) {
    if (event.target instanceof Element && event.target.closest("[data-print]")) window.print();
    selectField(event);
  });
  document.addEventListener("focusin", selectField);
})();
