// "Add to my programme" / "Remove" without leaving the page. The forms work without this script
// (a POST and a redirect back); with it, the form is sent with fetch and flips in place.
(function () {
  "use strict";
  function flip(form, inProgramme) {
    form.elements.action.value = inProgramme ? "remove" : "add";
    form.querySelector("button").textContent = form.getAttribute(inProgramme ? "data-label-remove" : "data-label-add");
    var tag = form.querySelector("[data-in-programme]");
    if (tag) tag.hidden = !inProgramme;
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-programme") || !window.fetch) return;
    event.preventDefault();
    var button = form.querySelector("button");
    var note = form.querySelector(".programme-note");
    button.disabled = true;
    // (form.action would be the hidden "action" field, not the address)
    fetch(form.getAttribute("action"), {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (r) {
        return r.json();
      })
      .then(function (body) {
        if (typeof body.in_programme === "boolean") flip(form, body.in_programme);
        if (note) note.textContent = body.message || "";
      })
      .catch(function () {
        form.submit(); // the network or the answer failed: fall back to the plain form
      })
      .then(function () {
        button.disabled = false;
      });
  });
})();
