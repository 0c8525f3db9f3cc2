/* Gradient Valley player: the fan. While the learning rate is dragged, the path, its markers,
 * the loss curve, the readout and the outcome badge are redrawn from the scene's fan (every
 * slider rate's path and verdict, `figures/valley/fan_scene.py`) within the animation frame,
 * with no server round trip; Python reruns once the gesture settles and its scene, the exact
 * run, replaces the fan's picture. The rate slider (ui/controls/rate_slider/rate_slider.js)
 * announces every move as a "gv-rate-input" event on window, detail {id, index}.
 * Needs player_core.js, player_frame.js and player_overlay.js. Each redraw is logged in
 * window.__gvFanLog ({index, input, drawn, painted, path}) and on the root's data-fan-index. */
(function () {
  "use strict";
  var GV = window.GV, fmt = GV.fmt;
  var proto = GV.Player.prototype;

  /* Half floats (IEEE 754 binary16) to a Float32Array. */
  function decodeHalf(spec) {
    var raw = atob(spec.bdata), n = raw.length >> 1;
    var out = new Float32Array(n);
    for (var i = 0; i < n; i++) {
      var h = raw.charCodeAt(2 * i) | (raw.charCodeAt(2 * i + 1) << 8);
      var s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 0x1f, f = h & 0x3ff;
      out[i] = e === 0 ? s * f * 5.960464477539063e-8
        : e === 31 ? (f ? NaN : s * Infinity) : s * (1 + f / 1024) * Math.pow(2, e - 15);
    }
    return out;
  }

  /* The fan decoded once per scene: where each path starts among the points. */
  function decodeFan(fan) {
    var off = [], at = 0;
    fan.count.forEach(function (m) { off.push(at); at += m; });
    return { spec: fan, off: off, xy: decodeHalf(fan.xy), gap: GV.decode(fan.gap) };
  }

  /* Listen to the slider named by the scene's fan (once per player). */
  proto.bindFan = function () {
    var self = this;
    if (this.fanBound) return;
    this.fanBound = true;
    window.addEventListener("gv-rate-input", function (ev) {
      var fan = self.scene && self.scene.fan;
      if (!fan || !ev.detail || ev.detail.id !== fan.slider) return;
      self.fanWanted = ev.detail.index;
      self.fanInput = ev.timeStamp || performance.now();
      if (self.fanFrame) return; // one redraw a frame, of the newest position
      self.fanFrame = requestAnimationFrame(function () {
        self.fanFrame = 0;
        var k = self.fanWanted;
        if (k === fan.index) self.showOwn(self.fanInput); // back at this scene's own rate
        else self.drawFan(k, self.fanInput);
      });
    });
  };

  /* The fans this window holds, by id (a scene names its fan; its data comes once a session,
   * ui/views/fan_ship.py): the newest few. */
  var fans = (window.__gvFans = window.__gvFans || { order: [], byId: {} });
  function keep(id, data) {
    if (!fans.byId[id]) fans.order.push(id);
    fans.byId[id] = data;
    while (fans.order.length > 8) delete fans.byId[fans.order.shift()];
  }

  /* A scene arrived: decode its fan, and if the slider has moved on from the rate this scene
   * ran (a drag still going on), show the slider's rate. */
  proto.takeFan = function (scene) {
    var fan = scene.fan;
    if (this.fanShown) this.leaveFan(); // the chart shows this scene's own run now
    if (fan && fan.data) keep(fan.id, fan.data);
    var data = fan && fans.byId[fan.id];
    if (!data) {
      this.fanData = null;
      if (fan && this.hooks.onNeedFan) this.hooks.onNeedFan(fan.id); // cut short: ask again
      return;
    }
    this.bindFan();
    if (!this.fanData || this.fanData.spec !== data) this.fanData = decodeFan(data);
    this.restoreBadge(scene);
    var now = (window.__gvRateNow || {})[fan.slider];
    if (now != null && now !== fan.index && now >= 0 && now < data.paths) this.drawFan(now);
    else this.root.removeAttribute("data-fan-index");
  };

  /* The scene's own run again (full precision), as the server drew it: the chart's own
   * traces, which the fan's canvas covered. */
  proto.showOwn = function (inputTime) {
    var s = this.scene;
    if (!s) return;
    this.leaveFan();
    this.readout(this.frame, this.frameData(this.frame).notes);
    this.restoreBadge(s);
    this.logDraw(s.fan.index, inputTime);
  };

  proto.leaveFan = function () {
    var s = this.scene;
    GV.overlay(this.ui.map).clear();
    if (s && s.curves) {
      GV.overlay(this.ui.curves).clear();
      clearTimeout(this.rangeTimer);
      var lay = s.curves.layout;
      var moved = this.fanRange;
      this.fanRange = null;
      if (moved) { // a fan's path had the axes follow it: back to this run's
        var update = { "xaxis.range": lay.xaxis.range, "yaxis.autorange": true };
        if (lay.xaxis2) update["xaxis2.range"] = lay.xaxis2.range;
        window.Plotly.relayout(this.ui.curves, update);
      }
    }
    this.fanShown = null;
    this.root.removeAttribute("data-fan-index");
    this.root.setAttribute("data-fan-status", s && s.badge ? s.badge[0] : "");
  };

  /* Each redraw, for tests and benchmarks: the position, its input's and its drawing's times,
   * the frame after it, and the path drawn (null: the scene's own run). */
  proto.logDraw = function (k, inputTime, path) {
    var log = (window.__gvFanLog = window.__gvFanLog || []);
    var entry = { index: k, input: inputTime == null ? null : inputTime, drawn: performance.now(),
                  path: path || null };
    log.push(entry);
    if (log.length > 2000) log.shift();
    requestAnimationFrame(function (ts) { entry.painted = ts; }); // the frame after the paint
  };

  /* Path k of the fan: its drawn points, their steps and loss gaps, the blow-up's step. */
  proto.fanPath = function (k) {
    var F = this.fanData, spec = F.spec;
    var o = F.off[k], m = spec.count[k], t = spec.taken[k];
    var xs = [], ys = [], steps = [], gaps = [];
    for (var i = 0; i < m; i++) {
      xs.push(F.xy[2 * (o + i)]);
      ys.push(F.xy[2 * (o + i) + 1]);
      steps.push(m > 1 ? Math.floor((i * t) / (m - 1)) : 0); // core.valley.fan.drawn_steps
      gaps.push(F.gap[o + i]);
    }
    var escape = spec.escape[k];
    if (escape) { xs.push(escape[0]); ys.push(escape[1]); }
    if (spec.escape_gap[k] != null) { steps.push(t + 1); gaps.push(spec.escape_gap[k]); }
    return { xs: xs, ys: ys, steps: steps, gaps: gaps, last: m - 1, diverged: !!escape };
  };

  /* Draw the fan's path k on the map, the curves, the readout and the badge. */
  proto.drawFan = function (k, inputTime) {
    var s = this.scene, F = this.fanData;
    if (!window.Plotly || !s || !F || !(k >= 0 && k < F.spec.paths)) return;
    if (this.playing) this.pause(false);
    var p = this.fanPath(k), idx = s.idx;
    var hidden = [idx.ghost, idx.trail, idx.head].concat(idx.stale || []);
    var arrows = idx.arrows || {};
    for (var kind in arrows) hidden.push(arrows[kind]);
    var ov = GV.overlay(this.ui.map);
    ov.hide(hidden);
    ov.begin("xaxis", "yaxis");
    var trail = s.map.data[idx.trail], head = s.map.data[idx.head], n = p.last + 1;
    var color = trail.line.color, width = trail.line.width;
    ov.line(p.xs.slice(0, n), p.ys.slice(0, n), color, width);
    if (p.diverged) ov.line(p.xs.slice(n - 1), p.ys.slice(n - 1), color, width, [6, 4]);
    ov.dots(p.xs.slice(0, n), p.ys.slice(0, n), color, trail.marker.size / 2, "#FFFFFF", 1);
    ov.dots([p.xs[p.last]], [p.ys[p.last]], color, head.marker.size / 2, "#FFFFFF", 2.5);
    this.fanShown = p;
    if (s.curves) this.drawFanCurve(p);
    this.fanReadout(k, p);
    this.fanBadge(F.spec.badge[k]);
    this.root.setAttribute("data-fan-index", String(k));
    this.root.setAttribute("data-fan-status", F.spec.badge[k][0]);
    this.logDraw(k, inputTime, p);
  };

  /* The loss curve of a fan's path, on a canvas over the curves' loss panel. Its axes follow
   * the path (a blow-up at step 4 needs no 150-step axis, a converging path no axis of huge
   * losses): the canvas at once, the axes' own ticks once the input pauses (a relayout costs
   * more than a frame). */
  proto.drawFanCurve = function (p) {
    var self = this, s = this.scene, P = window.Plotly;
    var gd = this.ui.curves, fl = gd._fullLayout;
    if (!fl) return;
    var want = curveRanges(p), x = fl.xaxis.range, y = fl.yaxis.range;
    var xFollow = want.x[1] > +x[1] || want.x[1] * 4 < +x[1];
    var ySpan = +y[1] - +y[0], wSpan = want.y[1] - want.y[0];
    var yFollow = want.y[0] < +y[0] - 0.05 * ySpan || want.y[1] > +y[1] + 0.05 * ySpan ||
      wSpan < 0.4 * ySpan;
    var ov = GV.overlay(gd);
    ov.hide([0], ".annotation, .shapelayer");
    ov.begin("xaxis", "yaxis", xFollow ? want.x : null, yFollow ? want.y : null);
    var line = s.curves.data[0].line;
    ov.line(p.steps, p.gaps, line.color, line.width);
    var size = (s.curves.layout.font && s.curves.layout.font.size) || 14;
    if (p.diverged) ov.text("diverged", ov.x(want.x[1]), 2, size);
    clearTimeout(this.rangeTimer);
    if (!xFollow && !yFollow) return;
    this.rangeTimer = setTimeout(function () {
      if (self.fanShown !== p) return;
      var update = {};
      if (xFollow) update["xaxis.range"] = want.x;
      if (xFollow && s.curves.layout.xaxis2) update["xaxis2.range"] = want.x;
      if (yFollow) update["yaxis.range"] = want.y;
      self.fanRange = true;
      P.relayout(gd, update).then(function () {
        if (self.fanShown === p) self.drawFanCurve(p);
      });
    }, 100);
  };

  /* The ranges a path's loss curve wants: steps 0 to its end, its loss gaps in decades. */
  function curveRanges(p) {
    var lo = Infinity, hi = -Infinity;
    p.gaps.forEach(function (g) {
      var d = Math.log10(g);
      if (isFinite(d)) { lo = Math.min(lo, d); hi = Math.max(hi, d); }
    });
    if (!isFinite(lo)) { lo = -1; hi = 1; }
    var pad = Math.max(0.25, 0.06 * (hi - lo));
    return { x: [0, Math.max(1, p.steps[p.steps.length - 1])], y: [lo - pad, hi + pad] };
  }

  proto.fanReadout = function (k, p) {
    var spec = this.fanData.spec;
    var rows = [["point", "(" + fmt(p.xs[p.last]) + ", " + fmt(p.ys[p.last]) + ")"],
                ["loss f", fmt(spec.final[k])], ["steps taken", String(spec.taken[k])]];
    var html = "<table>";
    rows.forEach(function (r) { html += "<tr><th>" + r[0] + "</th><td>" + r[1] + "</td></tr>"; });
    this.ui.readout.innerHTML = html + "</table>";
    this.ui.showFrame(this.n - 1, this.n - 1);
  };

  /* The page's outcome badge (ui/views/badge.py draws it) showing a fan's verdict: its word,
   * step and flags; the explanation, composed by the server for the chosen run, follows when
   * the drag settles. badge = [status, words, [flag words], explanation?]. */
  proto.fanBadge = function (badge) {
    var el = document.querySelector(".gv-badge");
    if (!el) return;
    var spans = el.children, colors = this.fanData.spec.colors[badge[0]] || ["#444444", "#FFFFFF"];
    if (spans.length < 2) return;
    el.setAttribute("data-status", badge[0]);
    el.setAttribute("data-live", "1");
    spans[0].textContent = badge[1];
    spans[0].style.background = colors[0];
    spans[0].style.color = colors[1];
    spans[1].textContent = badge.length > 3 ? badge[3] : "";
    while (el.children.length > 2) el.removeChild(el.lastChild);
    badge[2].forEach(function (word) {
      var f = document.createElement("span");
      f.className = "gv-flag";
      f.textContent = word;
      el.appendChild(f);
    });
  };

  /* A settled scene: the badge shows its run again, if the drag left the fan's there. */
  proto.restoreBadge = function (scene) {
    var el = document.querySelector(".gv-badge");
    if (el && el.getAttribute("data-live") === "1" && scene.badge) {
      this.fanBadge(scene.badge);
      el.removeAttribute("data-live");
    }
  };
})();
