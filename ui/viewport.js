// Reports window.innerHeight when it differs from the height the server knows (on mount and
// after a resize): one rerun the first time, none after. Mounted by ui/theme.py.
export default function (component) {
  const { data, setStateValue } = component;
  window.__gvViewport = { known: data.known, set: setStateValue };
  const report = () => {
    // Never while a script run is under way: a rerun asked for mid-run cuts it short before
    // its later widgets are drawn, and they come back at their defaults (steps 1, no racers).
    const app = document.querySelector('[data-testid="stApp"]');
    const state = app && app.getAttribute("data-test-script-state");
    if (state && state !== "notRunning") {
      clearTimeout(window.__gvViewportWait);
      window.__gvViewportWait = setTimeout(report, 100);
      return;
    }
    const v = window.__gvViewport, h = window.innerHeight;
    if (!v.known || Math.abs(h - v.known) > 8) { v.known = h; v.set("height", h); }
  };
  report();
  if (!window.__gvViewportWatch) {
    let timer = 0;
    window.__gvViewportWatch = () => { clearTimeout(timer); timer = setTimeout(report, 300); };
    window.addEventListener("resize", window.__gvViewportWatch);
  }
}
