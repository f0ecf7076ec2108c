// The data table sizes its columns to their contents, but only where it can be measured: its panel
// starts hidden, and columnSize="autoSize" there left every column 200 px wide (long names cut off).
// So: when new rows arrive in a shown table (app.py's eventListeners), and when the panel is shown.
(function () {
  function shown() {
    const panel = document.getElementById("panel-data");
    return panel !== null && !panel.hidden;
  }
  window.dashAgGridFunctions = window.dashAgGridFunctions || {};
  window.dashAgGridFunctions.sizeColumnsToContents = function (params) {
    if (shown()) { params.api.autoSizeAllColumns(); }
  };
  new MutationObserver(function (changes) {
    if (window.dash_ag_grid && shown() && changes.some(c => c.target.id === "panel-data")) {
      window.dash_ag_grid.getApiAsync("grid").then(api => api.autoSizeAllColumns());
    }
  }).observe(document.body, {attributes: true, attributeFilter: ["hidden"], subtree: true});
}());
