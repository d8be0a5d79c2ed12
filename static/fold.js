// Facets and other side panels: folded on a phone, open beside the content on
// a wide screen. Without JavaScript the stylesheet shows them open on a wide
// screen all the same; this keeps the disclosure's state (what a screen
// reader announces) in step with what is shown.
(function () {
  var wide = window.matchMedia("(min-width: 62rem)");
  function sync() {
    document.querySelectorAll("details[data-open-wide]").forEach(function (panel) {
      panel.open = wide.matches;
    });
  }
  sync();
  wide.addEventListener("change", sync);
})();
