// A log-scale rate slider that keeps every key press and never floods the server.
//
// The slider is a native <input type=range> over the positions of a list of values (its role,
// name and keys are the browser's own: arrows, Page Up/Down, Home/End, drag, touch). The
// readout follows every move at once. The position goes to Python at once if no rerun of ours
// is under way; otherwise it waits, and when Python's answer arrives (the component is drawn
// again at the position we sent) the newest position is sent. So at most one rerun is in
// flight: a burst of presses or a drag costs a few reruns, not one per step, no press is lost
// to a rerun that redraws an older value, and the session is not flooded (Streamlit's slider
// reruns on every step and, under fast input, dies with "Cached ForwardMsg MISS").
//
// data: { labels: [...formatted values], index, label, help, id }. `index` is Python's
// position; a change of it that is not the answer to our own send (a new link, a typed exact
// rate, a surface that brings its own rate) moves the slider. The state sent is {index, n}:
// n counts the sends, so returning to a value Python has since overridden still reaches it.
const ANSWER_MS = 3000; // no answer by then (a rerun cut short): send again

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
  clearTimeout(gv.timer);
  gv.timer = setTimeout(() => {
    gv.inFlight = false;
    send(root);
  }, ANSWER_MS);
}

export default function (component) {
  const { data, parentElement, setStateValue } = component;
  if (!data || !Array.isArray(data.labels)) return;
  let root = parentElement.querySelector(".gv-rate");
  if (!root) {
    root = build(parentElement);
    root.__gv = { server: null, sent: null, inFlight: false, timer: null, n: 0 };
    const input = root.querySelector("input");
    input.addEventListener("input", () => {
      show(root, Number(input.value));
      send(root);
    });
  }
  const gv = root.__gv;
  gv.setStateValue = setStateValue; // the newest handle, for the next send
  gv.labels = data.labels;
  const input = root.querySelector("input");
  const id = "gv-rate-" + (data.id || "lr");
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
    send(root); // the learner moved on while Python ran: the newest position
  } else if (moved && !gv.inFlight) {
    input.value = String(data.index); // set from Python: a link, the exact box, a surface
  }
  show(root, Number(input.value));
}
