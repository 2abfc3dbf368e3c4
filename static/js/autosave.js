// Saves quiz answers in the background as they change. The form works without this:
// "Save my answers" and "Review and submit" post it normally.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var status = form.querySelector(".autosave-status");
  var timer = null;
  var saving = false;
  var again = false;

  function say(text) { if (status) { status.textContent = text; } }

  function save() {
    if (saving) { again = true; return; }
    saving = true;
    var data = new FormData(form);
    data.delete("action");
    // form.action would be the button named "action"; the attribute is the URL.
    fetch(form.getAttribute("action"), {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-Autosave": "1", "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (body) { say(body.message); });
    }).catch(function () {
      say("Your latest answers are not saved yet. Please press “Save my answers”.");
    }).finally(function () {
      saving = false;
      if (again) { again = false; save(); }
    });
  }

  form.addEventListener("change", function () {
    clearTimeout(timer);
    timer = setTimeout(save, 600);
  });
})();
