/* Gradient Valley player: plays a path over a surface, client-side.
 *
 * One "scene" (built by figures/scene.py) holds figure dicts for the map, the curves and the
 * optional 3D view, plus the per-frame arrays. Playback moves a marker with Plotly.restyle
 * inside requestAnimationFrame: no Plotly.animate (which hides contour traces, plotly.js
 * #4491) and no server round trip per frame. The surface is a layout image, so it is never
 * redrawn while the marker moves.
 *
 * Used by the Streamlit component (ui/valley_component) and by the standalone HTML export
 * (figures/export.py): window.GVPlayer.render(root, scene, hooks).
 */
(function () {
  "use strict";
  if (window.GVPlayer) return;

  var SPEEDS = [1, 2, 5, 10, 20, 50, 100, 200];
  var bgCache = (window.__gvBackgrounds = window.__gvBackgrounds || {});

  var CSS = [
    ".gv{color:inherit;font-family:inherit}",
    ".gv-bar{display:flex;align-items:center;gap:.75rem;flex-wrap:wrap;margin:0 0 .35rem}",
    ".gv-play{font:inherit;padding:.3rem .9rem;min-width:6.5em;border-radius:.5rem;",
    "border:1px solid rgba(49,51,63,.35);background:#fff;color:#262730;cursor:pointer}",
    ".gv-play:hover{border-color:#D55E00;color:#D55E00}",
    ".gv-scrub{flex:1 1 180px;accent-color:#D55E00}",
    ".gv-speed{font:inherit}",
    ".gv-row{display:flex;gap:.75rem;flex-wrap:wrap}",
    ".gv-map{flex:1.35 1 360px;min-width:280px}",
    ".gv-side{flex:1 1 280px;min-width:240px}",
    ".gv-3d{margin-top:.5rem}",
    ".gv-readout table{border-collapse:collapse;font-size:.92em;margin-top:.4rem}",
    ".gv-readout th{text-align:left;font-weight:600;padding:.1rem 1rem .1rem 0}",
    ".gv-readout td{font-variant-numeric:tabular-nums}",
    ".gv-note{font-size:.85em;opacity:.8;margin:.3rem 0}",
    ".gv-present{font-size:1.45em}",
    ".gv-present .gv-play{border-width:2px;color:#000}",
    ".gv-present .gv-scrub{height:1.6em}",
  ].join("");
  if (!document.getElementById("gv-player-style")) {
    var style = document.createElement("style");
    style.id = "gv-player-style";
    style.textContent = CSS;
    document.head.appendChild(style);
  }

  function decode(spec) {
    if (spec == null) return null;
    if (Array.isArray(spec)) return Float32Array.from(spec);
    var raw = atob(spec.bdata);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return new Float32Array(bytes.buffer);
  }

  function fmt(v) {
    if (!isFinite(v)) return String(v);
    if (v === 0) return "0";
    var a = Math.abs(v);
    return a >= 1e-3 && a < 1e5 ? String(+v.toPrecision(4)) : v.toExponential(3);
  }

  function el(tag, cls, parent, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }

  function build(root) {
    root.innerHTML = "";
    var box = el("div", "gv", root);
    var bar = el("div", "gv-bar", box);
    var play = el("button", "gv-play", bar, "▶ Play");
    play.type = "button";
    play.setAttribute("aria-label", "Play");
    var scrub = el("input", "gv-scrub", bar);
    scrub.type = "range";
    scrub.min = "0";
    scrub.step = "1";
    scrub.setAttribute("aria-label", "Frame");
    var label = el("span", "gv-frame", bar, "");
    var speedLabel = el("label", "gv-speed-label", bar, "Speed ");
    var speed = el("select", "gv-speed", speedLabel);
    speed.setAttribute("aria-label", "Speed");
    SPEEDS.forEach(function (s) {
      var o = el("option", null, speed, s + " steps/s");
      o.value = String(s);
    });
    speed.value = "20";
    var row = el("div", "gv-row", box);
    var map = el("div", "gv-map", row);
    var side = el("div", "gv-side", row);
    var curves = el("div", "gv-curves", side);
    var readout = el("div", "gv-readout", side);
    var three = el("div", "gv-3d", box);
    return {
      box: box, play: play, scrub: scrub, label: label, speed: speed,
      map: map, curves: curves, readout: readout, three: three,
    };
  }

  function Player(root, hooks) {
    this.root = root;
    this.hooks = hooks || {};
    this.ui = build(root);
    this.scene = null;
    this.frame = 0;
    this.playing = false;
    this.raf = 0;
    this.reportTimer = 0;
    this.last3d = 0;
    var self = this;
    this.ui.play.addEventListener("click", function () {
      self.playing ? self.pause(true) : self.start();
    });
    this.ui.scrub.addEventListener("input", function () {
      self.pause(false);
      self.draw(+self.ui.scrub.value);
      self.report();
    });
    this.ui.speed.addEventListener("change", function () {
      self.stepsPerSecond = +self.ui.speed.value;
    });
    this.stepsPerSecond = 20;
  }

  /* Round tick positions for the range [a, b]: steps of 1, 2 or 5 times a power of ten. */
  function ticks(a, b, count) {
    var raw = (b - a) / count, p = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 5, 10].map(function (m) { return m * p; }).find(function (v) { return v >= raw; });
    var out = [];
    for (var v = Math.ceil(a / step) * step; v <= b + 1e-9 * step; v += step) out.push(+v.toPrecision(12));
    return out;
  }

  var SVGNS = "http://www.w3.org/2000/svg";
  function svgEl(tag, attrs, parent, text) {
    var e = document.createElementNS(SVGNS, tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }

  /* A static drawing of the map (the same picture and path) while plotly.js is still loading;
   * Plotly replaces it as soon as it can. Needs no Plotly at all. */
  Player.prototype.preview = function (scene) {
    if (this.scene || !scene.bg) return;
    var image = scene.bg.uri || bgCache[scene.bg.key];
    if (!image) return;
    if (scene.bg.uri) bgCache[scene.bg.key] = scene.bg.uri;
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
    var x = decode(scene.anim.x), y = decode(scene.anim.y), pts = [];
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
    this.ui.scrub.value = String(n);
    this.ui.label.textContent = "step " + n + " / " + n;
    this.root.setAttribute("data-preview", "1");
  };

  Player.prototype.setScene = function (scene) {
    var Plotly = window.Plotly;
    var t0 = performance.now();
    if (this.scene && this.scene.id === scene.id) {
      this.ensureBackground(scene);
      return;
    }
    this.pause(false);
    var first = !this.scene;
    this.scene = scene;
    var a = scene.anim;
    this.x = decode(a.x);
    this.y = decode(a.y);
    this.loss = decode(a.loss);
    this.n = this.x.length;
    this.arr = {};
    for (var k in a) if (k !== "x" && k !== "y" && k !== "loss") this.arr[k] = decode(a[k]);
    this.ui.box.classList.toggle("gv-present", !!scene.present);
    this.ui.scrub.max = String(this.n - 1);
    var config = { displayModeBar: false, responsive: true, scrollZoom: false, staticPlot: false };
    var layout = scene.map.layout;
    var image = scene.bg && (scene.bg.uri || bgCache[scene.bg.key]);
    if (scene.bg && scene.bg.uri) bgCache[scene.bg.key] = scene.bg.uri;
    if (layout.images && layout.images.length) layout.images[0].source = image || "";
    this.hasImage = !!image;
    var ghost = scene.map.data[scene.idx.ghost];
    ghost.x = this.x;
    ghost.y = this.y;
    // The first frame goes into the figures themselves: one render each, no restyle after.
    var start = scene.frame == null ? this.n - 1 : Math.min(scene.frame, this.n - 1);
    var f = this.frameData(start);
    for (var k = 0; k < f.traces.length; k++) {
      scene.map.data[f.traces[k]].x = f.xs[k];
      scene.map.data[f.traces[k]].y = f.ys[k];
    }
    if (scene.curves && scene.curves.layout.shapes) {
      scene.curves.layout.shapes[0].x0 = scene.curves.layout.shapes[0].x1 = start;
    }
    var preview = this.ui.map.querySelector(".gv-preview");
    if (preview) preview.remove();
    Plotly.react(this.ui.map, scene.map.data, layout, config);
    if (scene.curves) Plotly.react(this.ui.curves, scene.curves.data, scene.curves.layout, config);
    this.ui.three.style.display = scene.three ? "" : "none";
    if (scene.three) Plotly.react(this.ui.three, scene.three.data, scene.three.layout, config);
    else if (this.ui.three.data) Plotly.purge(this.ui.three);
    if (first) this.bindClick();
    if (!image && scene.bg && this.hooks.onNeedBackground) this.hooks.onNeedBackground(scene.bg.key);
    this.draw(start, true);
    this.root.setAttribute("data-scene", scene.id);
    this.timing = { received: t0, drawn: performance.now() };
    if (scene.autoplay) this.start();
  };

  Player.prototype.ensureBackground = function (scene) {
    if (this.hasImage || !scene.bg) return;
    var image = scene.bg.uri || bgCache[scene.bg.key];
    if (!image) return;
    bgCache[scene.bg.key] = image;
    this.hasImage = true;
    window.Plotly.relayout(this.ui.map, { "images[0].source": image });
  };

  Player.prototype.bindClick = function () {
    var self = this;
    var gd = this.ui.map;
    gd.addEventListener("click", function (ev) {
      if (!self.scene || !self.scene.clickable || !self.hooks.onPick) return;
      var drag = gd.querySelector(".nsewdrag");
      var fl = gd._fullLayout;
      if (!drag || !fl) return;
      var r = drag.getBoundingClientRect();
      var px = ev.clientX - r.left, py = ev.clientY - r.top;
      if (px < 0 || py < 0 || px > r.width || py > r.height) return;
      var x = fl.xaxis.p2d(px), y = fl.yaxis.p2d(py);
      self.hooks.onPick([+x.toPrecision(4), +y.toPrecision(4)]);
    });
  };

  Player.prototype.arrow = function (kind, i, ax, ay) {
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
  Player.prototype.frameData = function (i) {
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
  Player.prototype.draw = function (i, inFigure) {
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
    this.ui.scrub.value = String(i);
    this.ui.label.textContent = "step " + i + " / " + (this.n - 1);
    this.readout(i, f.notes);
    this.root.setAttribute("data-frame", String(i));
  };

  Player.prototype.draw3d = function (i, force) {
    var now = performance.now();
    if (!force && this.playing && now - this.last3d < 100) return;  // software WebGL: 10 fps
    this.last3d = now;
    var path = this.ui.three.data && this.ui.three.data[1];
    if (!path) return;
    var px = decode(path.x), py = decode(path.y), pz = decode(path.z);
    var j = Math.min(i, px.length - 1);
    if (j < 0) return;
    window.Plotly.restyle(this.ui.three, { x: [[px[j]]], y: [[py[j]]], z: [[pz[j]]] }, [2]);
  };

  Player.prototype.readout = function (i, notes) {
    var s = this.scene;
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
    if (s.readout === false) html = "";
    this.ui.readout.innerHTML = html;
  };

  Player.prototype.start = function () {
    if (!this.scene || this.n < 2) return;
    if (this.frame >= this.n - 1) this.draw(0);
    this.playing = true;
    this.root.setAttribute("data-playing", "1");
    this.ui.play.textContent = "❚❚ Pause";
    this.ui.play.setAttribute("aria-label", "Pause");
    var self = this;
    var pos = this.frame;
    var t0 = performance.now();
    var tick = function (t) {
      if (!self.playing) return;
      pos += ((t - t0) / 1000) * self.stepsPerSecond;
      t0 = t;
      var next = Math.min(self.n - 1, Math.floor(pos));
      if (next !== self.frame) self.draw(next);
      if (next >= self.n - 1) { self.pause(true); return; }
      self.raf = requestAnimationFrame(tick);
    };
    this.raf = requestAnimationFrame(tick);
  };

  Player.prototype.pause = function (report) {
    if (this.raf) cancelAnimationFrame(this.raf);
    this.raf = 0;
    var was = this.playing;
    this.playing = false;
    this.root.setAttribute("data-playing", "0");
    this.ui.play.textContent = "▶ Play";
    this.ui.play.setAttribute("aria-label", "Play");
    if (was && this.scene && this.scene.three) this.draw3d(this.frame, true);
    if (was && report) this.report();
  };

  Player.prototype.report = function () {
    var self = this;
    if (!this.hooks.onFrame) return;
    clearTimeout(this.reportTimer);
    this.reportTimer = setTimeout(function () {
      if (!self.playing && self.scene) self.hooks.onFrame(self.scene.id, self.frame);
    }, 300);
  };

  Player.prototype.destroy = function () {
    this.pause(false);
    clearTimeout(this.reportTimer);
    var P = window.Plotly;
    [this.ui.map, this.ui.curves, this.ui.three].forEach(function (gd) { if (gd.data) P.purge(gd); });
  };

  window.GVPlayer = {
    /* Render (or update) the player inside root; returns the Player. */
    render: function (root, scene, hooks) {
      var p = root.__gvPlayer;
      if (!p) p = root.__gvPlayer = new Player(root, hooks);
      p.hooks = hooks || p.hooks;
      p.setScene(scene);
      return p;
    },
    /* Draw a static preview of the map while plotly.js loads (no-op once rendered). */
    preview: function (root, scene, hooks) {
      var p = root.__gvPlayer;
      if (!p) p = root.__gvPlayer = new Player(root, hooks);
      p.preview(scene);
      return p;
    },
    decode: decode,
  };
})();
