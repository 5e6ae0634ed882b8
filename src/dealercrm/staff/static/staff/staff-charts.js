// The employee page's charts: visits done vs expected, sales by month, skill levels over time.
// Data comes from json_script elements; amounts arrive as decimal strings, parsed only to draw.
(function () {
  "use strict";
  if (typeof echarts === "undefined") {
    return;
  }
  var charts = [];

  function read(id) {
    var source = document.getElementById(id);
    return source ? JSON.parse(source.textContent) : null;
  }

  function draw(boxId, option) {
    var box = document.getElementById(boxId);
    if (!box) {
      return;
    }
    var chart = echarts.init(box);
    chart.setOption(option);
    charts.push(chart);
  }

  var visits = read("staff-visits-data");
  if (visits) {
    draw("staff-visits-chart", {
      grid: { left: 40, right: 12, top: 32, bottom: 32 },
      legend: { top: 0 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: visits.months },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: visits.doneName, type: "bar", data: visits.done },
        { name: visits.expectedName, type: "line", data: visits.expected.map(Number) },
      ],
    });
  }

  var sales = read("staff-sales-data");
  if (sales) {
    draw("staff-sales-chart", {
      grid: { left: 64, right: 12, top: 16, bottom: 48 },
      tooltip: {
        trigger: "axis",
        formatter: function (items) {
          var item = items[0];
          return item.axisValue + ": " + sales.amounts[item.dataIndex];
        },
      },
      xAxis: { type: "category", data: sales.months, axisLabel: { rotate: 45 } },
      yAxis: { type: "value" },
      series: [{ name: sales.seriesName, type: "bar", data: sales.amounts.map(Number) }],
    });
  }

  var skills = read("staff-skills-data");
  if (skills && skills.series.length) {
    draw("staff-skills-chart", {
      grid: { left: 32, right: 12, top: 40, bottom: 32 },
      legend: { top: 0, type: "scroll" },
      tooltip: { trigger: "axis" },
      xAxis: { type: "time" },
      yAxis: { type: "value", min: 1, max: 5, interval: 1 },
      series: skills.series.map(function (serie) {
        return { name: serie.name, type: "line", step: "end", data: serie.points };
      }),
    });
  }

  window.addEventListener("resize", function () {
    charts.forEach(function (chart) {
      chart.resize();
    });
  });
})();
