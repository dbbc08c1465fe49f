/*! charts.js: moves the bars of a chart the server drew (events/charts.py) to values a page was pushed.
 *
 * ServerCharts.update(svg, {key: value, ...}) sets every bar's length, its number, its tooltip and
 * the chart's description (what a screen reader reads) and answers true; it changes nothing and
 * answers false when the chart cannot show the values as drawn: a key it has no bar for, or a value
 * past its scale. The page then asks the server to draw the chart again. A key older than the first
 * bar of a time chart is outside its window and ignored. */
(function (root) {
  "use strict";

  function fill(format, label, value) {
    return format.replace("%(label)s", label).replace("%(value)s", String(value));
  }

  function update(svg, values) {
    if (!svg) return false;
    var scale = Number(svg.getAttribute("data-scale")) || 1;
    var groups = Array.prototype.slice.call(svg.querySelectorAll("g.bar"));
    var known = {};
    groups.forEach(function (g) { known[g.getAttribute("data-key")] = true; });
    var first = groups.length ? Date.parse(groups[0].getAttribute("data-key")) : NaN;
    var isTime = svg.classList.contains("chart-time");
    for (var key in values) {
      if (!Object.prototype.hasOwnProperty.call(values, key)) continue;
      var value = Number(values[key]) || 0;
      if (!known[key]) {
        if (isTime && !isNaN(first) && Date.parse(key) < first) continue;
        if (value > 0 || !isTime) return false;
      }
      if (value > scale) return false;
    }
    var format = svg.getAttribute("data-item-format") || "%(label)s: %(value)s";
    var items = [];
    groups.forEach(function (g) {
      var value = Number(values[g.getAttribute("data-key")]) || 0;
      var label = g.getAttribute("data-label");
      var rect = g.querySelector("rect"), number = g.querySelector("text.value"), title = g.querySelector("title");
      var origin = Number(rect.getAttribute("data-origin")), dir = Number(rect.getAttribute("data-dir"));
      var length = (Number(rect.getAttribute("data-full")) * value) / scale;
      if (rect.getAttribute("data-axis") === "x") {
        rect.setAttribute("x", (dir > 0 ? origin : origin - length).toFixed(1));
        rect.setAttribute("width", length.toFixed(1));
        if (number) { number.setAttribute("x", (origin + dir * (length + 4)).toFixed(1)); number.textContent = String(value); }
      } else {
        rect.setAttribute("y", (origin - length).toFixed(1));
        rect.setAttribute("height", length.toFixed(1));
        if (number) { number.setAttribute("y", (origin - length - 4).toFixed(1)); number.textContent = value ? String(value) : ""; }
      }
      if (title) title.textContent = fill(format, label, value);
      items.push(fill(format, label, value));
    });
    var desc = svg.querySelector("desc");
    if (desc && items.length) desc.textContent = items.join(svg.getAttribute("data-separator") || ", ");
    return true;
  }

  root.ServerCharts = { update: update };
})(this);
