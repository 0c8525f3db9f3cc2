/* Gradient Valley player, the core: its elements, taking in a scene, and playback.
 *
 * One "scene" (built by figures/valley/scene.py) holds figure dicts for the map, the curves and the
 * optional 3D view, plus the per-frame arrays. Playback moves a marker with Plotly.restyle
 * inside requestAnimationFrame: no Plotly.animate (which hides contour traces, plotly.js
 * #4491) and no server round trip per frame. The surface is a layout image, so it is never
 * redrawn while the marker moves.
 *
 * The player is several files, loaded in order after common.js (figures/scripts.py lists
 * them): this one defines GV.Player; player_frame.js draws one frame, player_preview.js the
 * static map shown while plotly.js loads, and player.js publishes window.GVPlayer.
 */
(function () {
  "use strict";
  var GV = window.GV;
  if (GV.Player) return;

  var bgCache = (window.__gvBackgrounds = window.__gvBackgrounds || {});

  GV.addStyle("gv-player-style", [
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
  ].join(""));

  /* The player's elements: the control bar, then the map beside the curves and readout, then
   * the 3D view. */
  function build(root) {
    root.innerHTML = "";
    var box = GV.el("div", "gv", root);
    var ui = GV.controlBar(box, "gv", { play: "Play", pause: "Pause", scrub: "Frame" });
    var row = GV.el("div", "gv-row", box);
    var side;
    ui.box = box;
    ui.row = row;
    ui.map = GV.el("div", "gv-map", row);
    side = GV.el("div", "gv-side", row);
    ui.curves = GV.el("div", "gv-curves", side);
    ui.readout = GV.el("div", "gv-readout", side);
    ui.three = GV.el("div", "gv-3d", box);
    return ui;
  }

  function Player(root, hooks) {
    this.root = root;
    this.hooks = hooks || {};
    this.ui = build(root);
    this.scene = null;
    this.frame = 0;
    this.playing = false;
    this.stopClock = null;
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
    GV.bindKeys(this);
    GV.onResize(root, function () { self.relayout(); });
  }

  /* In presentation mode both charts take the height left in the window (GV.fitHeight);
   * otherwise the scene's own. */
  Player.prototype.fit = function (scene) {
    if (!scene.present) return;
    var h = GV.fitHeight(this.ui.row);
    scene.map.layout.height = h;
    if (scene.curves) scene.curves.layout.height = h;
  };

  /* The container or window changed size: fit the charts to it again. */
  Player.prototype.relayout = function () {
    var s = this.scene, ui = this.ui;
    if (!window.Plotly || !s) return;
    this.fit(s);
    GV.resizeTo(ui.map, s.map.layout.height);
    if (s.curves) GV.resizeTo(ui.curves, s.curves.layout.height);
    if (s.three) GV.resizeTo(ui.three, s.three.layout.height);
  };

  /* The surface picture for a scene: sent with it, or kept from an earlier scene. */
  Player.background = function (scene) {
    if (!scene.bg) return null;
    var image = scene.bg.uri || bgCache[scene.bg.key];
    if (scene.bg.uri) bgCache[scene.bg.key] = scene.bg.uri;
    return image || null;
  };

  Player.prototype.setScene = function (scene) {
    var Plotly = window.Plotly;
    if (this.scene && this.scene.id === scene.id) {
      this.ensureBackground(scene);
      if (this.takeFan) this.takeFan(scene);
      return;
    }
    this.pause(false);
    var first = !this.scene;
    this.scene = scene;
    var a = scene.anim;
    this.x = GV.decode(a.x);
    this.y = GV.decode(a.y);
    this.loss = GV.decode(a.loss);
    this.n = this.x.length;
    this.arr = {};
    for (var k in a) if (k !== "x" && k !== "y" && k !== "loss") this.arr[k] = GV.decode(a[k]);
    this.ui.box.classList.toggle("gv-present", !!scene.present);
    this.ui.scrub.max = String(this.n - 1);
    this.fit(scene);
    var config = { displayModeBar: false, responsive: true, scrollZoom: false, staticPlot: false };
    var layout = scene.map.layout;
    var image = Player.background(scene);
    if (layout.images && layout.images.length) layout.images[0].source = image || "";
    this.hasImage = !!image;
    var ghost = scene.map.data[scene.idx.ghost];
    ghost.x = this.x;
    ghost.y = this.y;
    // The first frame goes into the figures themselves: one render each, no restyle after.
    var start = scene.frame == null ? this.n - 1 : Math.min(scene.frame, this.n - 1);
    GV.putFrame(scene.map.data, this.frameData(start));
    if (scene.curves && scene.curves.layout.shapes) {
      scene.curves.layout.shapes[0].x0 = scene.curves.layout.shapes[0].x1 = start;
    }
    var preview = this.ui.map.querySelector(".gv-preview");
    if (preview) preview.remove();
    Plotly.react(this.ui.map, scene.map.data, GV.ownWidth(this.ui.map, layout), config);
    if (scene.curves) {
      Plotly.react(this.ui.curves, scene.curves.data, GV.ownWidth(this.ui.curves, scene.curves.layout), config);
    }
    this.ui.three.style.display = scene.three ? "" : "none";
    if (scene.three) {
      Plotly.react(this.ui.three, scene.three.data, GV.ownWidth(this.ui.three, scene.three.layout), config);
    }
    else if (this.ui.three.data) Plotly.purge(this.ui.three);
    if (first) this.bindClick();
    if (!image && scene.bg && this.hooks.onNeedBackground) this.hooks.onNeedBackground(scene.bg.key);
    this.draw(start, true);
    GV.describe(this.ui.map, scene.alt);
    this.root.setAttribute("data-scene", scene.id);
    if (this.takeFan) this.takeFan(scene); // player_fan.js: the rate dragged in the page
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

  Player.prototype.start = function () {
    var self = this;
    GV.startPlayback(
      this,
      function () { return self.stepsPerSecond; },
      function () { self.pause(true); }
    );
  };

  Player.prototype.pause = function (report) {
    var was = GV.stopPlayback(this);
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

  GV.Player = Player;
})();
