/* Gradient Valley player: a static drawing of the map (the same picture and path, plain SVG)
 * shown while plotly.js is still loading; Plotly replaces it as soon as it can. Needs no Plotly
 * at all. Needs player_core.js (GV.Player). */
(function () {
  "use strict";
  var GV = window.GV;
  var SVGNS = "http://www.w3.org/2000/svg";

  /* Round tick positions for the range [a, b]: steps of 1, 2 or 5 times a power of ten. */
  function ticks(a, b, count) {
    var raw = (b - a) / count, p = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 5, 10].map(function (m) { return m * p; }).find(function (v) { return v >= raw; });
    var out = [];
    for (var v = Math.ceil(a / step) * step; v <= b + 1e-9 * step; v += step) out.push(+v.toPrecision(12));
    return out;
  }

  function svgEl(tag, attrs, parent, text) {
    var e = document.createElementNS(SVGNS, tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }

  GV.Player.prototype.preview = function (scene) {
    if (this.scene || !scene.bg) return;
    var image = GV.Player.background(scene);
    if (!image) return;
    this.fit(scene);
    var gd = this.ui.map, L = scene.map.layout, m = L.margin, d = scene.domain;
    var width = gd.clientWidth || 600, height = L.height;
    var dx = d[0][1] - d[0][0], dy = d[1][1] - d[1][0];
    var k = Math.min((width - m.l - m.r) / dx, (height - m.t - m.b) / dy);
    var pw = dx * k, ph = dy * k;
    var left = m.l + (width - m.l - m.r - pw) / 2, top = m.t + (height - m.t - m.b - ph) / 2;
    var X = function (x) { return left + (x - d[0][0]) * k; };
    var Y = function (y) { return top + (d[1][1] - y) * k; };
    var old = gd.querySelector(".gv-preview");
    if (old) old.remove();
    var font = (L.font && L.font.size) || 13;
    var svg = svgEl("svg", { class: "gv-preview", width: width, height: height,
      "font-size": font, "font-family": "sans-serif" }, gd);
    svgEl("image", { href: image, x: left, y: top, width: pw, height: ph,
      preserveAspectRatio: "none" }, svg);
    svgEl("rect", { x: left, y: top, width: pw, height: ph, fill: "none", stroke: "#262730" }, svg);
    ticks(d[0][0], d[0][1], 6).forEach(function (v) {
      svgEl("text", { x: X(v), y: top + ph + font + 6, "text-anchor": "middle" }, svg, v);
    });
    ticks(d[1][0], d[1][1], 6).forEach(function (v) {
      svgEl("text", { x: left - 6, y: Y(v) + font / 3, "text-anchor": "end" }, svg, v);
    });
    var x = GV.decode(scene.anim.x), y = GV.decode(scene.anim.y), pts = [];
    for (var i = 0; i < x.length; i++) pts.push(X(x[i]).toFixed(1) + "," + Y(y[i]).toFixed(1));
    var clip = svgEl("clipPath", { id: "gv-preview-clip" }, svg);
    svgEl("rect", { x: left, y: top, width: pw, height: ph }, clip);
    var g = svgEl("g", { "clip-path": "url(#gv-preview-clip)" }, svg);
    var trail = scene.map.data[scene.idx.trail];
    svgEl("polyline", { points: pts.join(" "), fill: "none", stroke: trail.line.color,
      "stroke-width": trail.line.width }, g);
    svgEl("circle", { cx: X(x[0]), cy: Y(y[0]), r: 6, fill: "#fff", stroke: "#000", "stroke-width": 2 }, g);
    var n = x.length - 1;
    svgEl("circle", { cx: X(x[n]), cy: Y(y[n]), r: 8, fill: trail.line.color, stroke: "#fff",
      "stroke-width": 2 }, g);
    this.ui.scrub.max = String(n);
    this.ui.showFrame(n, n);
    this.root.setAttribute("data-preview", "1");
  };
})();
