/* The insights dashboard's charts. ECharts (vendor/echarts, served locally) draws them
   when it loaded; without it the page keeps its tables and the chart boxes stay hidden. */
(function () {
  "use strict";
  function start() {
    var source = document.getElementById("insights-data");
    if (!source || typeof window.echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    document.body.classList.add("insights-has-charts");
    // The charts show the trend: its table stays one tap away.
    document.querySelectorAll("details.insights-trend").forEach(function (d) { d.open = false; });
    var charts = [];
    function draw(el, option) {
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(option);
      charts.push(chart);
    }
    function pct(v) { return v === null ? null : Math.round(v * 1000) / 10; }
    document.querySelectorAll('[data-chart="trend"]').forEach(function (el) {
      var trend = data.trends[el.dataset.code];
      if (!trend) { return; }
      var share = el.dataset.unit === "share";
      draw(el, {
        animation: false,
        grid: { left: 32, right: 8, top: 8, bottom: 20 },
        tooltip: { trigger: "axis" },
        xAxis: { type: "category", data: data.months, axisLabel: { fontSize: 9 } },
        yAxis: { type: "value", max: share ? 100 : null, axisLabel: { fontSize: 9 } },
        series: [{ type: "line", name: trend.label, connectNulls: false, symbolSize: 4,
                   data: trend.values.map(share ? pct : function (v) { return v; }) }]
      });
    });
    document.querySelectorAll('[data-chart="bars"]').forEach(function (el) {
      var bars = data.bars;
      el.style.height = Math.max(160, 40 + bars.areas.length * 42) + "px";
      draw(el, {
        animation: false,
        legend: { top: 0, textStyle: { fontSize: 10 } },
        grid: { left: 72, right: 12, top: 48, bottom: 20 },
        tooltip: { trigger: "axis" },
        xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
        yAxis: { type: "category", data: bars.areas, axisLabel: { fontSize: 10 } },
        series: Object.keys(bars.series).map(function (code) {
          return { type: "bar", name: bars.series[code].label, data: bars.series[code].values.map(pct) };
        })
      });
    });
    document.querySelectorAll('[data-chart="mix"]').forEach(function (el) {
      draw(el, {
        animation: false,
        tooltip: { trigger: "item" },
        legend: { bottom: 0, textStyle: { fontSize: 10 } },
        series: [{ type: "pie", radius: ["35%", "65%"], center: ["50%", "42%"], data: data.mix }]
      });
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
