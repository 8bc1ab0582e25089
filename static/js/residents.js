// Print buttons on the Burenbox print pages. Without JavaScript the browser's own Print command is used.
document.querySelectorAll(".js-print").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
