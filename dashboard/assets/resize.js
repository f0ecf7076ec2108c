// When the chart's card changes width (a phone turned, a window resized), lay the chart out again
// for the new width: plotly stretches the plot at once, the server re-wraps title and notes.
// window.chartLaidOutFor is the width the server last laid the chart out for (set in app.py's
// clientside callback that sends the view to the server).
(function () {
  let timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      const card = document.getElementById("chart-card");
      const gd = document.querySelector("#chart .js-plotly-plot");
      if (!card || !gd) { return; }
      if (window.Plotly) { window.Plotly.Plots.resize(gd); }
      const width = card.clientWidth;
      const laidOutFor = window.chartLaidOutFor || width;
      if (Math.abs(width - laidOutFor) > 40 && window.dash_clientside && window.dash_clientside.set_props) {
        window.chartLaidOutFor = width;
        window.dash_clientside.set_props("resized", {data: width});
      }
    }, 200);
  });
}());
