// The Pareto curve of the classes page: customers ranked (x) against the cumulative share of
// sales (y), with the A and B thresholds as lines. Data comes from the json_script "pareto-data".
(function () {
  "use strict";
  var source = document.getElementById("pareto-data");
  var box = document.getElementById("pareto-chart");
  if (!source || !box || typeof echarts === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var points = data.points.map(function (p) {
    return [p[0], Number(p[1])];
  });
  var last = points.length ? points[points.length - 1][0] : 0;
  var chart = echarts.init(box);
  var mark = function (value, name) {
    return {
      yAxis: Number(value),
      name: name,
      label: { position: "insideStartTop", formatter: name + " " + Number(value) + "%" },
    };
  };
  chart.setOption({
    grid: { left: 48, right: 16, top: 16, bottom: 40 },
    tooltip: { trigger: "axis", valueFormatter: function (v) { return v + "%"; } },
    xAxis: { type: "value", name: data.xLabel, nameLocation: "middle", nameGap: 26, min: 0, max: last || null },
    yAxis: { type: "value", name: data.yLabel, min: 0, max: 100 },
    series: [
      {
        type: "line",
        data: points,
        showSymbol: false,
        areaStyle: { opacity: 0.15 },
        markLine: { symbol: "none", silent: true, data: [mark(data.a, "A"), mark(data.b, "B")] },
      },
    ],
  });
  window.addEventListener("resize", function () {
    chart.resize();
  });
})();
