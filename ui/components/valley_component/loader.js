// Shared by the inline components that play scenes from figures/js (the valley player,
// its preloader, the race player): joined before each component's own script.
// A script by URL, once per window (a failed load may be tried again). `ordered` scripts
// download in parallel but run in the order they were asked for (async = false).
function load(url, ordered) {
  const cache = (window.__gvLoads = window.__gvLoads || {});
  if (!cache[url]) {
    cache[url] = new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = url;
      s.async = !ordered;
      s.onload = resolve;
      s.onerror = () => { delete cache[url]; reject(new Error("could not load " + url)); };
      document.head.appendChild(s);
    });
  }
  return cache[url];
}

// Scripts that build on one another (`script_urls`), run in the order given.
function loadAll(urls) {
  return Promise.all(urls.map((url) => load(url, true)));
}

// Download plotly.js without running it (running it freezes the page for a second or more).
function fetchPlotly(url) {
  if (!window.__gvPlotlyBlob) {
    window.__gvPlotlyBlob = fetch(url)
      .then((r) => (r.ok ? r.blob() : Promise.reject(new Error("could not load " + url))))
      .then((blob) => URL.createObjectURL(blob));
    window.__gvPlotlyBlob.catch(() => { window.__gvPlotlyBlob = null; });
  }
  return window.__gvPlotlyBlob;
}
