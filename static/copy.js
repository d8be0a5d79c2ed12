// Optional: a "Copy citation" button. Without JavaScript the citation is a
// read-only text box to select and copy by hand.
document.querySelectorAll("button[data-copy]").forEach(function (button) {
  var field = document.getElementById(button.dataset.copy);
  if (!field || !navigator.clipboard) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(field.value).then(function () {
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = "Copy citation"; }, 2000);
    });
  });
});
