// A log-scale rate slider that keeps every key press and sends one value per gesture.
//
// The slider is a native <input type=range> over the positions of a list of values (its role,
// name and keys are the browser's own: arrows, Page Up/Down, Home/End, drag, touch). While the
// learner moves it, the readout follows at once; the value goes to Python only once the input
// has been still for IDLE_MS (or the pointer is lifted), so a burst of presses or a drag is
// one rerun, not one per step: no press is lost to a rerun that redraws an older value, and
// the session is not flooded (Streamlit's "Cached ForwardMsg MISS" under fast input).
//
// data: { labels: [...formatted values], index, label, help, id }. `index` is Python's
// position; it is applied when it changes and no gesture is under way (a new link, a typed
// exact rate, a surface that brings its own rate). The state sent is {index, n}: n counts the
// commits, so moving back to a value Python has since overridden still reaches Python.
const IDLE_MS = 250;

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

export default function (component) {
  const { data, parentElement, setStateValue } = component;
  if (!data || !Array.isArray(data.labels)) return;
  let root = parentElement.querySelector(".gv-rate");
  if (!root) {
    root = build(parentElement);
    root.__gv = { pending: null, server: null, sent: null, n: 0 };
    const input = root.querySelector("input");
    const commit = () => {
      const gv = root.__gv;
      clearTimeout(gv.pending);
      gv.pending = null;
      const index = Number(input.value);
      if (index === gv.sent) return;
      gv.sent = index;
      gv.n += 1;
      gv.setStateValue("rate", { index: index, n: gv.n });
    };
    input.addEventListener("input", () => {
      const gv = root.__gv;
      show(root, Number(input.value));
      clearTimeout(gv.pending);
      gv.pending = setTimeout(commit, IDLE_MS);
    });
    for (const end of ["pointerup", "touchend", "pointercancel"]) {
      input.addEventListener(end, () => {
        if (root.__gv.pending !== null) commit();
      });
    }
  }
  const gv = root.__gv;
  gv.setStateValue = setStateValue; // the newest handle, for the next commit
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
  if (data.index !== gv.server) {
    gv.server = data.index;
    gv.sent = data.index;
    if (gv.pending === null) {
      input.value = String(data.index);
      show(root, data.index);
    }
  } else if (gv.pending === null) {
    show(root, Number(input.value));
  }
}
