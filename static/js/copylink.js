// Adds a "Copy link" button beside each verification link. Without JavaScript the link
// is still there to select and copy by hand.
(function () {
  "use strict";
  if (!navigator.clipboard) { return; }
  document.querySelectorAll("input[data-copy]").forEach(function (input) {
    var button = document.createElement("button");
    var status = document.createElement("span");
    button.type = "button";
    button.className = "button button-secondary";
    button.textContent = "Copy link";
    status.setAttribute("role", "status");
    status.className = "meta";
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(function () {
        status.textContent = "Link copied.";
      }, function () {
        input.select();
        status.textContent = "Select the link and copy it.";
      });
    });
    input.insertAdjacentElement("afterend", status);
    input.insertAdjacentElement("afterend", button);
  });
}());
