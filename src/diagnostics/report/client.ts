/**
 * The small browser script inlined into the report. It reads the JSON in
 * `<script id="report-data">` and draws every `<canvas data-chart>` with Chart.js (inlined
 * just before it): per variant a loss chart (data and regularization loss, train and val, on
 * a left and a right axis), a chart of any other logged metric, and per layer three
 * histograms (weights | pre-activation | activation) that follow the layer's epoch slider.
 * When done it sets `data-charts` on <html> to the number of charts drawn.
 *
 * Plain ES5-style JavaScript in a string: it runs in the page, not in Node, so it is not
 * compiled; the browser test (test/report-browser.test.ts) is what exercises it.
 */
export const CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var DATA_COLOR = '#2f6db5';
  var REG_COLOR = '#e0701b';
  var PALETTE = ['#2f6db5', '#e0701b', '#3a9a4f', '#c03a3a', '#7b5ea7', '#8c6d31'];
  var PART = {
    weights: { title: 'weights', color: '#4e79a7' },
    recurrentWeights: { title: 'recurrent weights', color: '#f28e2b' },
    preActivation: { title: 'pre-activation', color: '#b07aa1' },
    activation: { title: 'activation (output)', color: '#59a14f' }
  };
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = '#3c4350';
  Chart.defaults.plugins.legend.labels.usePointStyle = true;
  Chart.defaults.plugins.legend.labels.pointStyle = 'line';
  Chart.defaults.plugins.legend.labels.pointStyleWidth = 36;

  var charts = [];
  var histCharts = [];

  function fmt(x) {
    if (x === null || x === undefined) return '?';
    var a = Math.abs(x);
    if (a !== 0 && (a < 1e-3 || a >= 1e4)) return x.toExponential(2);
    return String(Number(x.toPrecision(3)));
  }

  function find(selector) {
    return Array.prototype.slice.call(document.querySelectorAll(selector));
  }

  function lossChart(canvas, loss) {
    var hasReg = loss.series.some(function (s) { return s.kind === 'regularization'; });
    var datasets = loss.series.map(function (s) {
      var color = s.kind === 'data' ? DATA_COLOR : REG_COLOR;
      return {
        label: s.label, data: s.values, borderColor: color, backgroundColor: color,
        borderDash: s.split === 'val' ? [6, 4] : [], pointRadius: 2, borderWidth: 2,
        yAxisID: s.kind === 'data' ? 'y' : 'y1'
      };
    });
    return new Chart(canvas, {
      type: 'line',
      data: { labels: loss.epochs, datasets: datasets },
      options: {
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { title: { display: true, text: 'epoch' } },
          y: { position: 'left', title: { display: true, text: 'data loss', color: DATA_COLOR } },
          y1: {
            display: hasReg, position: 'right', grid: { drawOnChartArea: false },
            title: { display: true, text: 'regularization loss', color: REG_COLOR }
          }
        }
      }
    });
  }

  function metricsChart(canvas, metrics) {
    var datasets = metrics.series.map(function (s, i) {
      var color = PALETTE[s.colorIndex % PALETTE.length];
      return {
        label: s.label, data: s.values, borderColor: color, backgroundColor: color,
        borderDash: s.split === 'val' ? [6, 4] : [], pointRadius: 2, borderWidth: 2
      };
    });
    return new Chart(canvas, {
      type: 'line',
      data: { labels: metrics.epochs, datasets: datasets },
      options: {
        interaction: { mode: 'index', intersect: false },
        scales: { x: { title: { display: true, text: 'epoch' } } }
      }
    });
  }

  function binLabels(h) {
    if (!h) return [];
    return h.counts.map(function (_, i) { return fmt((h.edges[i] + h.edges[i + 1]) / 2); });
  }

  function setHistogram(chart, h) {
    chart.$histogram = h;
    chart.data.labels = binLabels(h);
    chart.data.datasets[0].data = h ? h.counts : [];
  }

  function histChart(canvas, part, h) {
    var chart = new Chart(canvas, {
      type: 'bar',
      data: {
        labels: binLabels(h),
        datasets: [{
          label: PART[part].title, data: h ? h.counts : [], backgroundColor: PART[part].color,
          borderWidth: 0, barPercentage: 1, categoryPercentage: 1
        }]
      },
      options: {
        plugins: {
          legend: { display: false },
          title: { display: true, text: PART[part].title },
          tooltip: {
            callbacks: {
              title: function (items) {
                var hist = items[0].chart.$histogram;
                var i = items[0].dataIndex;
                return '[' + fmt(hist.edges[i]) + ', ' + fmt(hist.edges[i + 1]) + ')';
              }
            }
          }
        },
        scales: {
          x: { ticks: { maxTicksLimit: 6, maxRotation: 0 }, grid: { display: false } },
          y: { type: 'linear', beginAtZero: true, title: { display: true, text: 'count' } }
        }
      }
    });
    chart.$histogram = h;
    histCharts.push(chart);
    return chart;
  }

  data.variants.forEach(function (variant, v) {
    find('canvas[data-chart="loss"][data-variant="' + v + '"]').forEach(function (canvas) {
      charts.push(lossChart(canvas, variant.loss));
    });
    find('canvas[data-chart="metrics"][data-variant="' + v + '"]').forEach(function (canvas) {
      charts.push(metricsChart(canvas, variant.metrics));
    });
    variant.layers.forEach(function (layer, l) {
      var at = '[data-variant="' + v + '"][data-layer="' + l + '"]';
      var last = layer.epochs.length - 1;
      var byPart = {};
      find('canvas[data-chart="histogram"]' + at).forEach(function (canvas) {
        var part = canvas.getAttribute('data-part');
        byPart[part] = histChart(canvas, part, layer.epochs[last][part]);
        charts.push(byPart[part]);
      });
      find('input[data-epoch-slider]' + at).forEach(function (slider) {
        var label = find('output[data-epoch-label]' + at)[0];
        slider.addEventListener('input', function () {
          var e = layer.epochs[Number(slider.value)];
          Object.keys(byPart).forEach(function (part) {
            setHistogram(byPart[part], e[part]);
            byPart[part].update('none');
          });
          if (label) label.textContent = String(e.epoch);
        });
      });
    });
  });

  var logToggle = document.getElementById('log-counts');
  if (logToggle) {
    logToggle.addEventListener('change', function () {
      histCharts.forEach(function (chart) {
        chart.options.scales.y.type = logToggle.checked ? 'logarithmic' : 'linear';
        chart.update('none');
      });
    });
  }
  document.documentElement.setAttribute('data-charts', String(charts.length));
})();
`;
