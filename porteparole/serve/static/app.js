// porteparole: tap or focus a highlighted statement to see who said it (the page works without this script).
(function () {
  "use strict";
  var pop = document.getElementById("popover");
  if (!pop) return;
  function show(idx) {
    var item = document.getElementById("s" + idx);
    if (!item) return;
    document.querySelectorAll(".st.active").forEach(function (el) { el.classList.remove("active"); });
    document.querySelectorAll('.st[data-s="' + idx + '"]').forEach(function (el) { el.classList.add("active"); });
    pop.textContent = "#" + (Number(idx) + 1) + " · " + item.getAttribute("data-attribution");
    pop.hidden = false;
  }
  document.addEventListener("click", function (ev) {
    var el = ev.target.closest ? ev.target.closest("[data-s]") : null;
    if (el) { show(el.getAttribute("data-s")); } else { pop.hidden = true; }
  });
  document.addEventListener("focusin", function (ev) {
    var el = ev.target.closest ? ev.target.closest(".st[data-s]") : null;
    if (el) show(el.getAttribute("data-s"));
  });
})();
