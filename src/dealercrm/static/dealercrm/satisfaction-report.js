// The satisfaction report's charts: NPS (bars) and average score (line) by month, and NPS by
// class, sales region and rep. Data comes from the json_script "satisfaction-data"; the tables
// under each chart hold the exact figures.
(function () {
  "use strict";
  var source = document.getElementById("satisfaction-data");
  if (!source || typeof echarts === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var charts = [];
  document.querySelectorAll(".satisfaction-chart").forEach(function (box) {
    var series = data[box.getAttribute("data-series")];
    if (!series || !series.labels.length) {
      box.classList.add("d-none");
      return;
    }
    var withAverage = box.getAttribute("data-series") === "month";
    var chart = echarts.init(box);
    var option = {
      grid: { left: 40, right: withAverage ? 40 : 12, top: 28, bottom: 40 },
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      xAxis: { type: "category", data: series.labels, axisLabel: { interval: "auto", hideOverlap: true } },
      yAxis: [{ type: "value", name: "NPS", min: -100, max: 100 }],
      series: [{ name: data.names.nps, type: "bar", data: series.nps }],
    };
    if (withAverage) {
      option.yAxis.push({ type: "value", name: data.names.average, min: 0, max: 10 });
      option.series.push({
        name: data.names.average,
        type: "line",
        yAxisIndex: 1,
        connectNulls: true,
        data: series.average,
      });
    }
    chart.setOption(option);
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) {
      chart.resize();
    });
  });
})();
