// When the chart's card changes width (a phone turned, a window resized), lay the chart out again
// for the new width: plotly stretches the plot at once, the server re-wraps title and notes.
(function () {
  let timer = null;
  let laidOutFor = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      const card = document.getElementById("chart-card");
      const gd = document.querySelector("#chart .js-plotly-plot");
      if (!card || !gd) { return; }
      if (window.Plotly) { window.Plotly.Plots.resize(gd); }
      const width = card.clientWidth;
      if (laidOutFor === null) { laidOutFor = gd._fullLayout ? gd._fullLayout.width : width; }
      if (Math.abs(width - laidOutFor) > 40 && window.dash_clientside && window.dash_clientside.set_props) {
        laidOutFor = width;
        window.dash_clientside.set_props("resized", {data: width});
      }
    }, 200);
  });
}());
