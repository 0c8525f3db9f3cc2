/* Gradient Valley race player: several paths over one surface, moving together, client-side.
 *
 * The scene (figures/compare/race.py) holds the map figure with empty trail/head traces per racer and
 * each racer's float32 path. Playback restyles only those traces inside requestAnimationFrame:
 * the surface is a layout image, never redrawn, so it stays visible while the racers move.
 * A racer whose run stopped early (diverged) waits at its last point.
 *
 * The race starts hidden: every racer at the start, no path drawn, so the picture does not
 * give the result away before Play (unless scene.at_end: this race was already seen to its
 * end). Reaching the last frame, by playing or scrubbing, calls hooks.onFinish(scene id) once:
 * the page then reveals its leaderboard. In presentation mode the map takes the height left
 * in the window (GV.fitHeight) and follows its container's width.
 *
 * Needs common.js loaded first (window.GV).
 *
 *   window.GVRace.render(root, scene, hooks)
 */
(function () {
  "use strict";
  if (window.GVRace) return;
  var GV = window.GV;

  GV.addStyle("gv-race-style", [
    ".gvr-bar{display:flex;align-items:center;gap:.75rem;flex-wrap:wrap;margin:0 0 .35rem}",
    ".gvr-play{font:inherit;padding:.3rem .9rem;min-width:6.5em;border-radius:.5rem;",
    "border:1px solid rgba(49,51,63,.35);background:#fff;color:#262730;cursor:pointer}",
    ".gvr-play:hover{border-color:#D55E00;color:#D55E00}",
    ".gvr-scrub{flex:1 1 180px;accent-color:#D55E00}",
    ".gvr-present{font-size:1.45em}",
    ".gvr-present .gvr-play{border-width:2px;color:#000}",
  ].join(""));

  function Race(root, hooks) {
    this.root = root;
    this.hooks = hooks || {};
    root.innerHTML = "";
    var box = (this.box = GV.el("div", "gvr", root));
    this.ui = GV.controlBar(box, "gvr", { play: "Play race", pause: "Pause race", scrub: "Race step" });
    this.map = GV.el("div", "gvr-map", box);
    this.scene = null;
    this.frame = 0;
    this.playing = false;
    this.stopClock = null;
    var self = this;
    this.ui.play.addEventListener("click", function () {
      self.playing ? self.pause() : self.start();
    });
    this.ui.scrub.addEventListener("input", function () {
      self.pause();
      self.draw(+self.ui.scrub.value);
    });
    GV.bindKeys(this);
    GV.onResize(root, function () { self.relayout(); });
  }

  /* In presentation mode the map takes the room left in the window. */
  Race.prototype.fit = function (scene) {
    if (scene.present) scene.map.layout.height = GV.fitHeight(this.map);
  };

  Race.prototype.relayout = function () {
    var s = this.scene;
    if (!s || !window.Plotly) return;
    this.fit(s);
    GV.resizeTo(this.map, s.map.layout.height);
  };

  Race.prototype.setScene = function (scene) {
    if (this.scene && this.scene.id === scene.id) return;
    this.pause();
    this.scene = scene;
    this.paths = scene.paths.map(function (p) {
      return { x: GV.decode(p.x), y: GV.decode(p.y), trail: p.trail, head: p.head };
    });
    this.n = scene.steps + 1;
    this.traces = [];
    var self = this;
    this.paths.forEach(function (p) { self.traces.push(p.trail, p.head); });
    this.box.classList.toggle("gvr-present", !!scene.present);
    this.ui.scrub.max = String(this.n - 1);
    this.finished = !!scene.at_end;
    // The first frame (the start, or the finish of a race seen before) goes into the figure
    // itself: one render, no restyle.
    var first = scene.at_end ? this.n - 1 : 0;
    GV.putFrame(scene.map.data, this.frameData(first));
    this.fit(scene);
    // On a narrow screen (a phone) the legend goes above the map: beside it, it squeezes the
    // map to a stamp.
    if (this.map.clientWidth && this.map.clientWidth < 640) {
      scene.map.layout.legend = Object.assign({}, scene.map.layout.legend, {
        orientation: "h", x: 0, xanchor: "left", y: 1.02, yanchor: "bottom",
      });
    }
    var config = { displayModeBar: false, responsive: true, scrollZoom: false };
    window.Plotly.react(this.map, scene.map.data, GV.ownWidth(this.map, scene.map.layout), config);
    this.draw(first, true);
    GV.describe(this.map, scene.alt);
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
    this.ui.showFrame(i, this.n - 1);
    this.root.setAttribute("data-frame", String(i));
    if (i >= this.n - 1 && !this.finished) {
      this.finished = true;
      if (this.hooks.onFinish) this.hooks.onFinish(this.scene.id);
    }
  };

  Race.prototype.start = function () {
    var self = this;
    GV.startPlayback(
      this,
      function () { return +self.ui.speed.value; },
      function () { self.pause(); }
    );
  };

  Race.prototype.pause = function () {
    GV.stopPlayback(this);
  };

  window.GVRace = {
    render: function (root, scene, hooks) {
      var r = root.__gvRace;
      if (!r) r = root.__gvRace = new Race(root, hooks);
      r.hooks = hooks || r.hooks;
      r.setScene(scene);
      return r;
    },
    decode: GV.decode,
  };
})();
