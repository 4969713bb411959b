// Draw every chart of the page: each `.chart` element carries its plotly figure (JSON) in a
// `data-figure` attribute, written by the server; no inline script (the CSP forbids them).
"use strict";
(function () {
  function draw(el) {
    var figure;
    try {
      figure = JSON.parse(el.getAttribute("data-figure"));
    } catch (err) {
      el.textContent = "chart data could not be read";
      return;
    }
    var layout = Object.assign({}, figure.layout || {});
    layout.autosize = true;
    delete layout.width;
    var narrow = el.clientWidth < 600;
    if (narrow) {
      layout.margin = Object.assign({}, layout.margin || {}, { l: 40, r: 10 });
      layout.legend = Object.assign({}, layout.legend || {}, { orientation: "h", y: -0.25 });
    }
    window.Plotly.newPlot(el, figure.data || [], layout, {
      displaylogo: false,
      responsive: true,
    }).then(function () {
      el.setAttribute("data-rendered", "true");
    });
  }
  function start() {
    if (!window.Plotly) {
      return;
    }
    document.querySelectorAll(".chart[data-figure]").forEach(draw);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
