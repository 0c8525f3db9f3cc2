// The race player's component: a root element and the finish hook back to Python
// (loader.js comes first: load, loadAll).
export default function (component) {
  const { data, parentElement, setStateValue } = component;
  let root = parentElement.querySelector(".gv-race");
  if (!root) {
    root = document.createElement("div");
    root.className = "gv-race";
    parentElement.appendChild(root);
  }
  if (!data || !data.scene) return;
  const hooks = { onFinish: (id) => setStateValue("finished", id) };
  const plotly = window.Plotly ? Promise.resolve() : load(data.plotly_url);
  const race = window.GVRace ? Promise.resolve() : loadAll(data.race_urls);
  Promise.all([plotly, race])
    .then(() => window.GVRace.render(root, data.scene, hooks))
    .catch((err) => { root.textContent = "The race could not be shown: " + err.message; });
}
