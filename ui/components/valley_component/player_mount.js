// The valley player's component: a root element, the player's hooks back to Python, and
// the scripts it needs (loader.js comes first: load, loadAll, fetchPlotly).
function loadPlayer(data) {
  // Both in parallel: the player only touches window.Plotly when it renders.
  const plotly = window.Plotly
    ? Promise.resolve()
    : fetchPlotly(data.plotly_url).then((url) => load(url));
  const player = window.GVPlayer ? Promise.resolve() : loadAll(data.player_urls);
  return Promise.all([plotly, player]);
}

export default function (component) {
  const { data, parentElement, setTriggerValue, setStateValue } = component;
  let root = parentElement.querySelector(".gv-root");
  if (!root) {
    root = document.createElement("div");
    root.className = "gv-root";
    parentElement.appendChild(root);
  }
  if (!data || !data.scene) return;
  const hooks = {
    onPick: (xy) => setTriggerValue("pick", xy),
    onFrame: (id, frame) => setStateValue("frame", { scene: id, frame: frame }),
    onNeedBackground: (key) => setTriggerValue("need_background", key),
    onNeedFan: (id) => setTriggerValue("need_fan", id),
  };
  // Evaluating plotly.js blocks the page for a second or more: draw the map as a static
  // picture first (the player script is small), and only then start loading plotly.js.
  const previewed = window.Plotly
    ? Promise.resolve()
    : (window.GVPlayer ? Promise.resolve() : loadAll(data.player_urls)).then(
        () =>
          new Promise((resolve) => {
            if (!window.Plotly) window.GVPlayer.preview(root, data.scene, hooks);
            requestAnimationFrame(() => setTimeout(resolve, 0)); // let the preview paint
          })
      );
  previewed
    .then(() => loadPlayer(data))
    .then(() => {
      window.GVPlayer.render(root, data.scene, hooks);
    })
    .catch((err) => {
      root.textContent = "The chart could not be shown: " + err.message;
    });
}
