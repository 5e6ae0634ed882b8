// The customer page's sales by month: a bar chart of the last 24 months. Data comes from the
// json_script "sales-chart-data"; amounts arrive as decimal strings and are parsed only to draw.
(function () {
  "use strict";
  var source = document.getElementById("sales-chart-data");
  var box = document.getElementById("sales-chart");
  if (!source || !box || typeof echarts === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  box.style.height = "260px";
  var chart = echarts.init(box);
  chart.setOption({
    grid: { left: 56, right: 12, top: 16, bottom: 48 },
    tooltip: {
      trigger: "axis",
      formatter: function (items) {
        var item = items[0];
        return item.axisValue + ": " + data.amounts[item.dataIndex];
      },
    },
    xAxis: { type: "category", data: data.months, axisLabel: { rotate: 45 } },
    yAxis: { type: "value" },
    series: [{ name: data.seriesName, type: "bar", data: data.amounts.map(Number) }],
  });
  window.addEventListener("resize", function () {
    chart.resize();
  });
})();
