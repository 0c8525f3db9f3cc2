// A log-scale rate slider that keeps every key press and reruns once a gesture.
//
// The slider is a native <input type=range> over the positions of a list of values (its role,
// name and keys are the browser's own: arrows, Page Up/Down, Home/End, drag, touch). The
// readout follows every move at once, and every move is announced in the page at once: a
// "gv-rate-input" event on window, detail {id, index} (the newest also in
// window.__gvRateNow[id]), from which a player holding a fan (figures/js/player_fan.js)
// redraws the path within the frame. Python hears only where a gesture settles: when the
// pointer is up and no key or move came for SETTLE_MS. If a rerun of ours is still under way
// then, the position waits, and when Python's answer arrives (the component is drawn again at
// the position we sent) the newest settled position is sent. So one rerun a drag or a burst of
// presses, at most one in flight, no press lost to a rerun that redraws an older value, and
// the session is not flooded (Streamlit's slider reruns on every step and, under fast input,
// dies with "Cached ForwardMsg MISS").
//
// data: { labels: [...formatted values], index, label, help, id }. `index` is Python's
// position; a change of it that is not the answer to our own send (a new link, a typed exact
// rate, a surface that brings its own rate) moves the slider. The state sent is {index, n}:
// n counts the sends, so returning to a value Python has since overridden still reaches it.
const ANSWER_MS = 3000; // no answer by then (a rerun cut short): send again
const SETTLE_MS = 150; // this long without a move, a key or a pressed pointer: the gesture ended

function build(parentElement) {
  const root = document.createElement("div");
  root.className = "gv-rate";
  root.innerHTML =
    '<div class="gv-rate-head"><label class="gv-rate-label"></label>' +
    '<output class="gv-rate-value" aria-hidden="true"></output></div>' +
    '<input class="gv-rate-input" type="range" min="0" step="1">' +
    '<div class="gv-rate-ends" aria-hidden="true"><span></span><span></span></div>';
  parentElement.appendChild(root);
  return root;
}

function show(root, index) {
  const input = root.querySelector("input");
  const text = root.__gv.labels[index] ?? "";
  input.setAttribute("aria-valuetext", text);
  root.querySelector("output").textContent = text;
}

function send(root) {
  const gv = root.__gv;
  const index = Number(root.querySelector("input").value);
  if (gv.inFlight || index === gv.server) return;
  gv.inFlight = true;
  gv.sent = index;
  gv.n += 1;
  gv.setStateValue("rate", { index: index, n: gv.n });
  (window.__gvRateSends = window.__gvRateSends || []).push(performance.now()); // benchmarks
  clearTimeout(gv.timer);
  gv.timer = setTimeout(() => {
    gv.inFlight = false;
    send(root);
  }, ANSWER_MS);
}

// Tell the page where the slider is now (players redraw from their fan).
function announce(root, index) {
  const id = root.__gv.id;
  (window.__gvRateNow = window.__gvRateNow || {})[id] = index;
  window.dispatchEvent(new CustomEvent("gv-rate-input", { detail: { id: id, index: index } }));
}

// Send once the gesture has settled: the pointer up and SETTLE_MS without a move or a key.
function settle(root) {
  const gv = root.__gv;
  clearTimeout(gv.settleTimer);
  gv.settleTimer = setTimeout(() => {
    if (!gv.holding) send(root);
  }, SETTLE_MS);
}

function listen(root) {
  const gv = root.__gv;
  const input = root.querySelector("input");
  input.addEventListener("input", () => {
    const index = Number(input.value);
    show(root, index);
    announce(root, index);
    settle(root);
  });
  input.addEventListener("pointerdown", () => {
    gv.holding = true;
    clearTimeout(gv.settleTimer);
  });
  const release = () => {
    if (!gv.holding) return;
    gv.holding = false;
    settle(root);
  };
  window.addEventListener("pointerup", release);
  window.addEventListener("pointercancel", release);
  input.addEventListener("change", release); // a drag ends with change even without pointerup
  input.addEventListener("keydown", () => settle(root)); // a held key: the gesture goes on
  input.addEventListener("keyup", () => settle(root));
}

export default function (component) {
  const { data, parentElement, setStateValue } = component;
  if (!data || !Array.isArray(data.labels)) return;
  let root = parentElement.querySelector(".gv-rate");
  if (!root) {
    root = build(parentElement);
    root.__gv = { server: null, sent: null, inFlight: false, timer: null, n: 0 };
    root.__gv.settleTimer = null;
    root.__gv.holding = false;
    listen(root);
  }
  const gv = root.__gv;
  gv.setStateValue = setStateValue; // the newest handle, for the next send
  gv.labels = data.labels;
  const input = root.querySelector("input");
  gv.id = data.id || "lr";
  const id = "gv-rate-" + gv.id;
  input.id = id;
  input.max = String(data.labels.length - 1);
  const label = root.querySelector("label");
  label.htmlFor = id;
  label.textContent = data.label;
  input.setAttribute("aria-label", data.label);
  root.title = data.help || "";
  const ends = root.querySelectorAll(".gv-rate-ends span");
  ends[0].textContent = data.labels[0];
  ends[1].textContent = data.labels[data.labels.length - 1];
  const answered = gv.inFlight && data.index === gv.sent;
  const moved = data.index !== gv.server;
  gv.server = data.index;
  if (answered) {
    clearTimeout(gv.timer);
    gv.inFlight = false;
    settle(root); // the learner moved on while Python ran: the newest, once it settles
  } else if (moved && !gv.inFlight && !gv.holding) {
    input.value = String(data.index); // set from Python: a link, the exact box, a surface
    (window.__gvRateNow = window.__gvRateNow || {})[gv.id] = data.index;
  }
  show(root, Number(input.value));
}
