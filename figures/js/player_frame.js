/* Gradient Valley player: one frame. What the map's moving traces hold at step i (trail, head
 * and the optimizer's arrows), drawing it on the map, the curves and the 3D view, and the
 * readout of the numbers at that step. Needs player_core.js (GV.Player). */
(function () {
  "use strict";
  var GV = window.GV, fmt = GV.fmt;
  var proto = GV.Player.prototype;

  /* An arrow of kind `kind` from point i: (ax[i], ay[i]), drawn longer when too short to see. */
  proto.arrow = function (kind, i, ax, ay) {
    var dx = ax[i], dy = ay[i];
    var len = Math.hypot(dx, dy);
    if (!(len > 0) || !isFinite(len)) return { x: [], y: [], enlarged: false };
    var d = this.scene.domain;
    var minLen = 0.04 * Math.min(d[0][1] - d[0][0], d[1][1] - d[1][0]);
    var k = len < minLen ? minLen / len : 1;
    var x0 = this.x[i], y0 = this.y[i];
    return { x: [x0, x0 + k * dx], y: [y0, y0 + k * dy], enlarged: k > 1 };
  };

  /* What the map's moving traces hold at frame i: trace indices and their x, y. */
  proto.frameData = function (i) {
    var idx = this.scene.idx;
    var out = {
      traces: [idx.trail, idx.head],
      xs: [this.x.subarray(0, i + 1), [this.x[i]]],
      ys: [this.y.subarray(0, i + 1), [this.y[i]]],
      notes: [],
    };
    var arrows = idx.arrows || {};
    var pairs = { gradient: ["ux", "uy"], step: ["sx", "sy"], velocity: ["vx", "vy"] };
    for (var kind in arrows) {
      var p = pairs[kind];
      if (!this.arr[p[0]]) continue;
      var a = this.arrow(kind, i, this.arr[p[0]], this.arr[p[1]]);
      out.traces.push(arrows[kind]);
      out.xs.push(a.x);
      out.ys.push(a.y);
      if (a.enlarged) out.notes.push(kind);
    }
    return out;
  };

  /* Show frame i. With `inFigure`, the figures already hold it (set before Plotly.react). */
  proto.draw = function (i, inFigure) {
    var Plotly = window.Plotly;
    var s = this.scene;
    if (!s) return;
    i = Math.max(0, Math.min(this.n - 1, Math.round(i)));
    this.frame = i;
    var f = this.frameData(i);
    if (!inFigure) {
      Plotly.restyle(this.ui.map, { x: f.xs, y: f.ys }, f.traces);
      if (s.curves) Plotly.relayout(this.ui.curves, { "shapes[0].x0": i, "shapes[0].x1": i });
      if (s.three) this.draw3d(i, false);
    }
    this.ui.showFrame(i, this.n - 1);
    this.readout(i, f.notes);
    this.root.setAttribute("data-frame", String(i));
  };

  proto.draw3d = function (i, force) {
    var now = performance.now();
    if (!force && this.playing && now - this.last3d < 100) return;  // software WebGL: 10 fps
    this.last3d = now;
    var path = this.ui.three.data && this.ui.three.data[1];
    if (!path) return;
    var px = GV.decode(path.x), py = GV.decode(path.y), pz = GV.decode(path.z);
    var j = Math.min(i, px.length - 1);
    if (j < 0) return;
    window.Plotly.restyle(this.ui.three, { x: [[px[j]]], y: [[py[j]]], z: [[pz[j]]] }, [2]);
  };

  proto.readout = function (i, notes) {
    var rows = [["point", "(" + fmt(this.x[i]) + ", " + fmt(this.y[i]) + ")"],
                ["loss f", fmt(this.loss[i])]];
    var A = this.arr;
    if (A.gx) rows.push(["gradient ∇f", "(" + fmt(A.gx[i]) + ", " + fmt(A.gy[i]) + ")"]);
    if (A.eta && i < this.n - 1) rows.push(["learning rate η", fmt(A.eta[i])]);
    if (A.vx && i < this.n - 1) rows.push(["−η·velocity", "(" + fmt(A.vx[i]) + ", " + fmt(A.vy[i]) + ")"]);
    if (A.ex && i < this.n - 1) rows.push(["effective rate (x, y)", "(" + fmt(A.ex[i]) + ", " + fmt(A.ey[i]) + ")"]);
    if (A.sx && i < this.n - 1) rows.push(["step taken", "(" + fmt(A.sx[i]) + ", " + fmt(A.sy[i]) + ")"]);
    var html = "<table>";
    rows.forEach(function (r) { html += "<tr><th>" + r[0] + "</th><td>" + r[1] + "</td></tr>"; });
    html += "</table>";
    if (notes.length) html += "<p class='gv-note'>Arrows too short to see are drawn longer: " + notes.join(", ") + ".</p>";
    this.ui.readout.innerHTML = html;
  };
})();
