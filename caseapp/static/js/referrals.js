// Referral form: list only the providers offering the chosen service (the server checks it again).
(function () {
  "use strict";
  var form = document.querySelector("[data-referral-form]");
  if (!form) { return; }
  var select = form.querySelector("select[name=provider]");
  function update() {
    var checked = form.querySelector("input[name=category]:checked");
    var category = checked ? checked.value : null;
    Array.prototype.forEach.call(select.options, function (option) {
      if (!option.value) { return; }
      var offered = (option.getAttribute("data-categories") || "").split(" ");
      var ok = !category || offered.indexOf(category) >= 0;
      option.hidden = !ok;
      option.disabled = !ok;
      if (!ok && option.selected) { select.value = ""; }
    });
  }
  form.addEventListener("change", function (event) {
    if (event.target.name === "category") { update(); }
  });
  update();
})();
