// An invisible element that starts loading the player and plotly.js as soon as the page's
// first element renders (loader.js comes first: loadAll, fetchPlotly).
export default function (component) {
  const data = component.data;
  if (!data) return;
  // The player first (the preview needs it), then the big download.
  (window.GVPlayer ? Promise.resolve() : loadAll(data.player_urls))
    .then(() => (window.Plotly ? null : fetchPlotly(data.plotly_url)))
    .catch(() => {});
}
