// Reports window.innerHeight when it differs from the height the server knows (on mount and
// after a resize): one rerun the first time, none after. Mounted by ui/theme.py.
export default function (component) {
  const { data, setStateValue } = component;
  window.__gvViewport = { known: data.known, set: setStateValue };
  const report = () => {
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
