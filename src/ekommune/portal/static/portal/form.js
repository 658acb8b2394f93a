// Conditional fields (show_if): show or hide as the answer they depend on changes.
// Without JavaScript the server decides the same when the page is sent.
(function () {
  function value(form, name) {
    var checked = form.querySelector('[name="' + name + '"]:checked');
    if (checked) return checked.value;
    var input = form.querySelector('input[name="' + name + '"]:not([type=radio]):not([type=checkbox]), select[name="' + name + '"]');
    return input ? input.value : "";
  }
  function update(form) {
    form.querySelectorAll("[data-show-if]").forEach(function (field) {
      field.hidden = value(form, field.dataset.showIf) !== field.dataset.equals;
    });
  }
  document.querySelectorAll("form.portal-form").forEach(function (form) {
    form.addEventListener("change", function () { update(form); });
    update(form);
  });
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
