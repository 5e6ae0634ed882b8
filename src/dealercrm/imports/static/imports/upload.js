// Upload form: one click uploads once (slow phone connections invite a second tap).
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.matches("form[data-upload]")) {
    return;
  }
  form.querySelectorAll("button[type=submit]").forEach(function (button) {
    button.disabled = true;
    var busy = button.getAttribute("data-busy-text");
    if (busy) {
      button.textContent = busy;
    }
  });
});
