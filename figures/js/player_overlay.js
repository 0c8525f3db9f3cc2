/* Gradient Valley player: a canvas laid over a Plotly chart's plot area, for what must be
 * redrawn within a frame. A Plotly.restyle replots the whole chart (its surface picture
 * included): 40-120 ms here, more than a frame; a canvas line of 500 points takes well under
 * one. While a fan's path is shown (player_fan.js) the chart's own moving traces are hidden
 * and the path is drawn on the canvas, in the chart's own axes (read off Plotly's layout).
 * GV.overlay(gd) -> {clear(), hide(traceIndices), line(...), dots(...), text(...), x(v), y(v)}.
 */
(function () {
  "use strict";
  var GV = window.GV;
  if (GV.overlay) return;

  /* The pixel of a data value on a Plotly axis (linear or log), inside the plot area. */
  function scale(ax) {
    var r = ax.range, log = ax.type === "log";
    var a = log ? r[0] : +r[0], b = log ? r[1] : +r[1];
    return function (v) {
      var u = log ? Math.log10(Math.max(v, 1e-300)) : v;
      return ((u - a) / (b - a)) * ax._length;
    };
  }

  function Overlay(gd) {
    this.gd = gd;
    var c = gd.querySelector("canvas.gv-overlay");
    if (!c) {
      c = document.createElement("canvas");
      c.className = "gv-overlay";
      c.style.cssText = "position:absolute;pointer-events:none;z-index:5";
      if (getComputedStyle(gd).position === "static") gd.style.position = "relative";
      gd.appendChild(c);
    }
    this.canvas = c;
    this.hidden = [];
  }

  /* Fit the canvas to the plot area of axes xa/ya (Plotly's names: "xaxis", "yaxis") and
   * clear it; optionally with other ranges than the axes show (a log axis's in decades). */
  Overlay.prototype.begin = function (xa, ya, xRange, yRange) {
    var fl = this.gd._fullLayout, X = fl[xa], Y = fl[ya];
    var dpr = window.devicePixelRatio || 1, c = this.canvas;
    var w = X._length, h = Y._length;
    c.style.left = X._offset + "px";
    c.style.top = Y._offset + "px";
    c.style.width = w + "px";
    c.style.height = h + "px";
    if (c.width !== Math.round(w * dpr)) c.width = Math.round(w * dpr);
    if (c.height !== Math.round(h * dpr)) c.height = Math.round(h * dpr);
    c.style.display = "";
    var g = c.getContext("2d");
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, h);
    var xs = scale(xRange ? { range: xRange, type: X.type, _length: w } : X);
    var ys = scale(yRange ? { range: yRange, type: Y.type, _length: h } : Y);
    this.g = g;
    this.x = xs;
    this.y = function (v) { return h - ys(v); };
    return this;
  };

  /* Hide the chart's own traces (by index in gd.data), and any elements matching `also`
   * (".annotation", ".shapelayer"), while the canvas shows their stand-in. */
  Overlay.prototype.hide = function (indices, also) {
    var gd = this.gd, groups = gd.querySelectorAll(".scatterlayer > .trace");
    var els = indices.map(function (i) { return groups[i]; });
    if (also) els = els.concat(Array.prototype.slice.call(gd.querySelectorAll(also)));
    this.show();
    var self = this;
    els.forEach(function (el) {
      if (el) { el.style.visibility = "hidden"; self.hidden.push(el); }
    });
  };

  Overlay.prototype.show = function () {
    this.hidden.forEach(function (el) { el.style.visibility = ""; });
    this.hidden = [];
  };

  Overlay.prototype.clear = function () {
    this.show();
    this.canvas.style.display = "none";
  };

  Overlay.prototype.line = function (xs, ys, color, width, dash) {
    var g = this.g, i;
    g.beginPath();
    g.setLineDash(dash || []);
    g.strokeStyle = color;
    g.lineWidth = width;
    g.lineJoin = "round";
    for (i = 0; i < xs.length; i++) {
      var px = this.x(xs[i]), py = this.y(ys[i]);
      if (i) g.lineTo(px, py); else g.moveTo(px, py);
    }
    g.stroke();
    g.setLineDash([]);
  };

  Overlay.prototype.dots = function (xs, ys, color, radius, edge, edgeWidth) {
    var g = this.g;
    g.fillStyle = color;
    g.strokeStyle = edge;
    g.lineWidth = edgeWidth;
    for (var i = 0; i < xs.length; i++) {
      g.beginPath();
      g.arc(this.x(xs[i]), this.y(ys[i]), radius, 0, 2 * Math.PI);
      g.fill();
      if (edgeWidth) g.stroke();
    }
  };

  Overlay.prototype.text = function (text, px, py, size) {
    var g = this.g;
    g.fillStyle = "#000000";
    g.font = size + "px sans-serif";
    g.textAlign = "right";
    g.textBaseline = "top";
    g.fillText(text, px, py);
  };

  GV.overlay = function (gd) {
    var ov = gd.__gvOverlay;
    if (!ov || !ov.canvas.isConnected) ov = gd.__gvOverlay = new Overlay(gd);
    return ov;
  };
})();
