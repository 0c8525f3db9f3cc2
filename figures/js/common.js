/* Gradient Valley: what the client-side players share (the valley player, player_*.js, and the
 * race player, race.js): decoding the scene's arrays, building elements and styles, the
 * play / scrub / speed bar, and playback: the clock that plays frames in real time.
 *
 * Loaded before either player (ui/valley_component, ui/race_player, figures/export.py):
 * window.GV.
 */
(function () {
  "use strict";
  if (window.GV) return;

  var SPEEDS = [1, 2, 5, 10, 20, 50, 100, 200]; // steps per second on offer
  var DEFAULT_SPEED = 20;

  /* A float32 array from a Plotly-style typed array ({bdata: base64}) or a plain list. */
  function decode(spec) {
    if (spec == null) return null;
    if (Array.isArray(spec)) return Float32Array.from(spec);
    var raw = atob(spec.bdata);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return new Float32Array(bytes.buffer);
  }

  /* A number for a readout: four significant digits, exponent form when very small or large. */
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

  /* Add a style sheet to the page once (by id). */
  function addStyle(id, css) {
    if (document.getElementById(id)) return;
    var style = document.createElement("style");
    style.id = id;
    style.textContent = css;
    document.head.appendChild(style);
  }

  /* The bar above a chart: play button, frame scrubber, "step i / n" and a speed menu, with
   * class names under `prefix` and accessible names from `names` ({play, pause, scrub}). */
  function controlBar(parent, prefix, names) {
    var bar = el("div", prefix + "-bar", parent);
    var play = el("button", prefix + "-play", bar);
    play.type = "button";
    var scrub = el("input", prefix + "-scrub", bar);
    scrub.type = "range";
    scrub.min = "0";
    scrub.step = "1";
    scrub.setAttribute("aria-label", names.scrub);
    var label = el("span", prefix + "-frame", bar, "");
    var speedLabel = el("label", prefix + "-speed-label", bar, "Speed ");
    var speed = el("select", prefix + "-speed", speedLabel);
    speed.setAttribute("aria-label", "Speed");
    SPEEDS.forEach(function (s) {
      el("option", null, speed, s + " steps/s").value = String(s);
    });
    speed.value = String(DEFAULT_SPEED);
    var controls = {
      bar: bar, play: play, scrub: scrub, label: label, speed: speed,
      /* The play button as it should read while playing or not. */
      showPlaying: function (playing) {
        play.textContent = playing ? "❚❚ Pause" : "▶ " + names.play;
        play.setAttribute("aria-label", playing ? names.pause : names.play);
      },
      /* Scrubber and label at frame i of frames 0..last. */
      showFrame: function (i, last) {
        scrub.value = String(i);
        label.textContent = "step " + i + " / " + last;
      },
    };
    controls.showPlaying(false);
    return controls;
  }

  /* Keys on a player's bar (p: a player with ui, playing, start() and pause()): Space plays
   * or pauses from the Play button (the browser's own click) and from the scrubber; the
   * arrow keys step one frame back or on, Home and End go to the first and last, from the
   * button as from the scrubber (the range input's own keys). A step goes through the
   * scrubber's input event, so each player pauses and draws it as when it is dragged. */
  var STEP_KEYS = { ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1 };
  function bindKeys(p) {
    var ui = p.ui;
    ui.bar.addEventListener("keydown", function (ev) {
      if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
      if (ev.key === " " && ev.target === ui.scrub) {
        ev.preventDefault();
        p.playing ? p.pause(true) : p.start();
      } else if (ev.target === ui.play && (ev.key in STEP_KEYS || ev.key === "Home" || ev.key === "End")) {
        ev.preventDefault();
        var last = +ui.scrub.max, now = +ui.scrub.value;
        var to = ev.key === "Home" ? 0 : ev.key === "End" ? last : now + STEP_KEYS[ev.key];
        ui.scrub.value = String(Math.max(0, Math.min(last, to)));
        ui.scrub.dispatchEvent(new Event("input"));
      }
    });
  }

  /* Play frames from..last in real time: onFrame(i) for each new frame, at rate() frames per
   * second (read every tick, so a speed change applies at once), then onEnd(). Returns stop(). */
  function playClock(from, last, rate, onFrame, onEnd) {
    var pos = from, current = from, t0 = performance.now(), raf = 0, running = true;
    var tick = function (t) {
      if (!running) return;
      pos += ((t - t0) / 1000) * rate();
      t0 = t;
      var next = Math.min(last, Math.floor(pos));
      if (next !== current) {
        current = next;
        onFrame(next);
      }
      if (next >= last) {
        running = false;
        onEnd();
        return;
      }
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return function stop() {
      running = false;
      if (raf) cancelAnimationFrame(raf);
    };
  }

  /* Start playing player `p` from its frame (from the first when at the last): it has scene, n,
   * frame, root, ui (a controlBar) and draw(i). rate(): frames per second; onEnd() at the end. */
  function startPlayback(p, rate, onEnd) {
    if (!p.scene || p.n < 2) return;
    if (p.frame >= p.n - 1) p.draw(0);
    p.playing = true;
    p.root.setAttribute("data-playing", "1");
    p.ui.showPlaying(true);
    p.stopClock = playClock(p.frame, p.n - 1, rate, function (i) { p.draw(i); }, onEnd);
  }

  /* Stop player `p` playing; returns whether it was. */
  function stopPlayback(p) {
    if (p.stopClock) p.stopClock();
    p.stopClock = null;
    var was = p.playing;
    p.playing = false;
    p.root.setAttribute("data-playing", "0");
    p.ui.showPlaying(false);
    return was;
  }

  /* The height a chart whose top is `el` may take in presentation mode, so a projected demo
   * needs no scrolling: when it starts in the window's first half (a page's own demo), the
   * rest of the window; further down (a lesson's experiment, scrolled to), most of a window,
   * leaving room for a control above and an outcome line below. */
  var FIT_MIN = 300; // px: below this a chart is no longer readable at projection sizes
  function fitHeight(el) {
    var vh = window.innerHeight;
    var top = 0; // el's top in the page, however far the page is scrolled
    for (var e = el; e; e = e.offsetParent) top += e.offsetTop;
    var room = top < 0.5 * vh ? vh - top - 12 : 0.62 * vh;
    return Math.round(Math.max(FIT_MIN, room));
  }

  /* Call onChange() (at most once a frame) when el's width or the window's height changes:
   * a player re-lays its charts out to its container when the mode, sidebar or window does. */
  function onResize(el, onChange) {
    var last = { w: el.clientWidth, h: window.innerHeight }, pending = 0;
    var check = function () {
      pending = 0;
      var now = { w: el.clientWidth, h: window.innerHeight };
      if (now.w === last.w && now.h === last.h) return;
      last = now;
      onChange();
    };
    var soon = function () { if (!pending) pending = requestAnimationFrame(check); };
    if (window.ResizeObserver) new ResizeObserver(soon).observe(el);
    window.addEventListener("resize", soon);
  }

  /* Plotly measures a chart's box only at its first render: a later Plotly.react keeps that
   * width (plots.supplyDefaults, once _initialAutoSizeIsDone), and Plots.resize measures 100 ms
   * late and drops the layout's height. So a player gives every render, and every change of its
   * container, the chart's own width as measured now. */
  function ownWidth(gd, layout) {
    if (gd.clientWidth) layout.width = gd.clientWidth;
    return layout;
  }

  /* Lay chart gd out again at its box's width and (if given) that height, if either changed. */
  function resizeTo(gd, height) {
    var full = gd._fullLayout, update = {}, changed = false;
    if (!full || !gd.clientWidth) return;
    if (Math.abs(full.width - gd.clientWidth) > 0.5) { update.width = gd.clientWidth; changed = true; }
    if (height != null && height !== full.height) { update.height = height; changed = true; }
    if (changed) window.Plotly.relayout(gd, update);
  }

  /* A chart's text alternative (ui/a11y.py writes it): the chart is one picture to a screen
   * reader, named by the sentence that says what it shows. */
  function describe(el, text) {
    if (!text) return;
    el.setAttribute("role", "img");
    el.setAttribute("aria-label", text);
  }

  /* Put a frame's moving traces ({traces, xs, ys}) into figure data before its first render. */
  function putFrame(data, frame) {
    for (var k = 0; k < frame.traces.length; k++) {
      data[frame.traces[k]].x = frame.xs[k];
      data[frame.traces[k]].y = frame.ys[k];
    }
  }

  window.GV = {
    decode: decode, fmt: fmt, el: el, addStyle: addStyle,
    controlBar: controlBar, playClock: playClock, putFrame: putFrame,
    startPlayback: startPlayback, stopPlayback: stopPlayback,
    fitHeight: fitHeight, onResize: onResize, ownWidth: ownWidth, resizeTo: resizeTo,
    describe: describe,
    bindKeys: bindKeys,
  };
})();
