/* Gradient Valley race player: several paths over one surface, moving together, client-side.
 *
 * The scene (figures/race.py) holds the map figure with empty trail/head traces per racer and
 * each racer's float32 path. Playback restyles only those traces inside requestAnimationFrame:
 * the surface is a layout image, never redrawn, so it stays visible while the racers move.
 * A racer whose run stopped early (diverged) waits at its last point.
 *
 *   window.GVRace.render(root, scene)
 */
(function () {
  "use strict";
  if (window.GVRace) return;

  var SPEEDS = [1, 2, 5, 10, 20, 50, 100, 200];
  var CSS = [
    ".gvr-bar{display:flex;align-items:center;gap:.75rem;flex-wrap:wrap;margin:0 0 .35rem}",
    ".gvr-play{font:inherit;padding:.3rem .9rem;min-width:6.5em;border-radius:.5rem;",
    "border:1px solid rgba(49,51,63,.35);background:#fff;color:#262730;cursor:pointer}",
    ".gvr-play:hover{border-color:#D55E00;color:#D55E00}",
    ".gvr-scrub{flex:1 1 180px;accent-color:#D55E00}",
    ".gvr-present{font-size:1.45em}",
    ".gvr-present .gvr-play{border-width:2px;color:#000}",
  ].join("");
  if (!document.getElementById("gv-race-style")) {
    var style = document.createElement("style");
    style.id = "gv-race-style";
    style.textContent = CSS;
    document.head.appendChild(style);
  }

  function decode(spec) {
    if (Array.isArray(spec)) return Float32Array.from(spec);
    var raw = atob(spec.bdata);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return new Float32Array(bytes.buffer);
  }

  function el(tag, cls, parent, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }

  function Race(root) {
    this.root = root;
    root.innerHTML = "";
    var box = (this.box = el("div", "gvr", root));
    var bar = el("div", "gvr-bar", box);
    this.play = el("button", "gvr-play", bar, "▶ Play race");
    this.play.type = "button";
    this.play.setAttribute("aria-label", "Play race");
    this.scrub = el("input", "gvr-scrub", bar);
    this.scrub.type = "range";
    this.scrub.min = "0";
    this.scrub.step = "1";
    this.scrub.setAttribute("aria-label", "Race step");
    this.label = el("span", "gvr-frame", bar, "");
    var speedLabel = el("label", null, bar, "Speed ");
    this.speed = el("select", "gvr-speed", speedLabel);
    this.speed.setAttribute("aria-label", "Speed");
    var self = this;
    SPEEDS.forEach(function (s) {
      el("option", null, self.speed, s + " steps/s").value = String(s);
    });
    this.speed.value = "20";
    this.map = el("div", "gvr-map", box);
    this.scene = null;
    this.frame = 0;
    this.playing = false;
    this.raf = 0;
    this.play.addEventListener("click", function () {
      self.playing ? self.pause() : self.start();
    });
    this.scrub.addEventListener("input", function () {
      self.pause();
      self.draw(+self.scrub.value);
    });
  }

  Race.prototype.setScene = function (scene) {
    if (this.scene && this.scene.id === scene.id) return;
    this.pause();
    this.scene = scene;
    this.paths = scene.paths.map(function (p) {
      return { x: decode(p.x), y: decode(p.y), trail: p.trail, head: p.head };
    });
    this.n = scene.steps + 1;
    this.traces = [];
    var self = this;
    this.paths.forEach(function (p) { self.traces.push(p.trail, p.head); });
    this.box.classList.toggle("gvr-present", !!scene.present);
    this.scrub.max = String(this.n - 1);
    // The first frame (the finish) goes into the figure itself: one render, no restyle.
    var f = this.frameData(this.n - 1);
    for (var k = 0; k < f.traces.length; k++) {
      scene.map.data[f.traces[k]].x = f.xs[k];
      scene.map.data[f.traces[k]].y = f.ys[k];
    }
    var config = { displayModeBar: false, responsive: true, scrollZoom: false };
    window.Plotly.react(this.map, scene.map.data, scene.map.layout, config);
    this.draw(this.n - 1, true);
    this.root.setAttribute("data-scene", scene.id);
    this.root.setAttribute("data-paths", String(this.paths.length));
  };

  Race.prototype.frameData = function (i) {
    var out = { traces: this.traces, xs: [], ys: [] };
    this.paths.forEach(function (p) {
      var j = Math.min(i, p.x.length - 1);
      out.xs.push(p.x.subarray(0, j + 1), [p.x[j]]);
      out.ys.push(p.y.subarray(0, j + 1), [p.y[j]]);
    });
    return out;
  };

  Race.prototype.draw = function (i, inFigure) {
    i = Math.max(0, Math.min(this.n - 1, Math.round(i)));
    this.frame = i;
    if (!inFigure) {
      var f = this.frameData(i);
      window.Plotly.restyle(this.map, { x: f.xs, y: f.ys }, f.traces);
    }
    this.scrub.value = String(i);
    this.label.textContent = "step " + i + " / " + (this.n - 1);
    this.root.setAttribute("data-frame", String(i));
  };

  Race.prototype.start = function () {
    if (!this.scene || this.n < 2) return;
    if (this.frame >= this.n - 1) this.draw(0);
    this.playing = true;
    this.root.setAttribute("data-playing", "1");
    this.play.textContent = "❚❚ Pause";
    this.play.setAttribute("aria-label", "Pause race");
    var self = this, pos = this.frame, t0 = performance.now();
    var tick = function (t) {
      if (!self.playing) return;
      pos += ((t - t0) / 1000) * +self.speed.value;
      t0 = t;
      var next = Math.min(self.n - 1, Math.floor(pos));
      if (next !== self.frame) self.draw(next);
      if (next >= self.n - 1) { self.pause(); return; }
      self.raf = requestAnimationFrame(tick);
    };
    this.raf = requestAnimationFrame(tick);
  };

  Race.prototype.pause = function () {
    if (this.raf) cancelAnimationFrame(this.raf);
    this.raf = 0;
    this.playing = false;
    this.root.setAttribute("data-playing", "0");
    this.play.textContent = "▶ Play race";
    this.play.setAttribute("aria-label", "Play race");
  };

  window.GVRace = {
    render: function (root, scene) {
      var r = root.__gvRace;
      if (!r) r = root.__gvRace = new Race(root);
      r.setScene(scene);
      return r;
    },
    decode: decode,
  };
})();
