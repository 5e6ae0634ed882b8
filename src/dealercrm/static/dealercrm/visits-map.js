// The "today" page's map of the stops without any tile service: an ECharts scatter of the
// positions in kilometres east and north of the start (longitude scaled by the cosine of the
// latitude, so distances look right), numbered points, the route line and the start point.
(function () {
  "use strict";
  var source = document.getElementById("visits-map-data");
  var box = document.getElementById("visits-map");
  if (!source || !box || typeof echarts === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  if (!data.stops.length) {
    return;
  }
  var origin = data.start || { lat: data.stops[0].lat, lon: data.stops[0].lon };
  var KM_PER_DEGREE = 111.2;
  var scale = Math.cos((origin.lat * Math.PI) / 180);
  function project(point) {
    return [
      (point.lon - origin.lon) * KM_PER_DEGREE * scale,
      (point.lat - origin.lat) * KM_PER_DEGREE,
    ];
  }
  var stops = data.stops.map(function (stop) {
    var xy = project(stop);
    return { value: xy, name: stop.n + ". " + stop.name, n: stop.n, overdue: stop.overdue };
  });
  var line = [];
  if (data.start) {
    line.push(project(data.start));
  }
  stops.forEach(function (stop) {
    line.push(stop.value);
  });
  var all = line.slice();

  function bounds() {
    // Same kilometres per pixel on both axes, with a margin.
    var xs = all.map(function (p) { return p[0]; });
    var ys = all.map(function (p) { return p[1]; });
    var minX = Math.min.apply(null, xs), maxX = Math.max.apply(null, xs);
    var minY = Math.min.apply(null, ys), maxY = Math.max.apply(null, ys);
    var width = Math.max(box.clientWidth - 24, 1), height = Math.max(box.clientHeight - 24, 1);
    var spanX = Math.max(maxX - minX, 0.2), spanY = Math.max(maxY - minY, 0.2);
    var perPixel = Math.max(spanX / width, spanY / height) * 1.15;
    var cx = (minX + maxX) / 2, cy = (minY + maxY) / 2;
    return {
      x: [cx - (perPixel * width) / 2, cx + (perPixel * width) / 2],
      y: [cy - (perPixel * height) / 2, cy + (perPixel * height) / 2],
    };
  }

  var chart = echarts.init(box);
  function draw() {
    var b = bounds();
    var series = [
      {
        type: "line",
        data: line,
        symbol: "none",
        lineStyle: { width: 2, color: "#6c757d", type: "dashed" },
        silent: true,
        z: 1,
      },
      {
        type: "scatter",
        data: stops,
        symbolSize: 24,
        itemStyle: {
          color: function (item) {
            return item.data.overdue > 0 ? "#dc3545" : "#0d6efd";
          },
        },
        label: {
          show: true,
          formatter: function (item) { return String(item.data.n); },
          color: "#fff",
          fontWeight: "bold",
        },
        z: 3,
      },
    ];
    if (data.start) {
      series.push({
        type: "scatter",
        data: [{ value: project(data.start), name: data.labels.start }],
        symbol: "diamond",
        symbolSize: 18,
        itemStyle: { color: "#198754" },
        label: { show: true, position: "right", formatter: data.labels.start },
        z: 2,
      });
    }
    chart.setOption({
      animation: false,
      grid: { left: 12, right: 12, top: 12, bottom: 12 },
      tooltip: { trigger: "item", formatter: function (item) { return item.name; } },
      xAxis: { type: "value", min: b.x[0], max: b.x[1], show: false },
      yAxis: { type: "value", min: b.y[0], max: b.y[1], show: false },
      series: series,
    }, true);
  }
  draw();
  window.addEventListener("resize", function () {
    chart.resize();
    draw();
  });
})();
