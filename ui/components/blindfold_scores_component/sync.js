// Keeps the learner's best blindfold walks in localStorage in step with the Streamlit session,
// as the lessons' progress is kept (../progress_component/sync.js): `data.scores` is the
// session's copy ({walk: fewest steps}); the merge keeps the fewer steps of each walk; the
// merged document is written back and sent to Python only when it holds something new.
function canonical(v) {
  if (v && typeof v === "object") {
    return "{" + Object.keys(v).sort()
      .map((k) => JSON.stringify(k) + ":" + canonical(v[k])).join(",") + "}";
  }
  return JSON.stringify(v);
}
function read(KEY) {
  try {
    const doc = JSON.parse(window.localStorage.getItem(KEY) || "null");
    return doc && typeof doc === "object" && doc.best && typeof doc.best === "object"
      ? doc : { best: {} };
  } catch (e) {
    return { best: {} };
  }
}
function merge(first, second) {
  const out = { best: {} };
  for (const doc of [second, first]) {
    for (const [walk, steps] of Object.entries(doc.best || {})) {
      if (!Number.isInteger(steps) || steps < 0) continue;
      out.best[walk] = walk in out.best ? Math.min(out.best[walk], steps) : steps;
    }
  }
  return out;
}
export default function (component) {
  const { data, setStateValue } = component;
  if (!data || !data.scores || !data.key) return;
  const KEY = data.key;
  try {
    const merged = merge(data.scores, read(KEY));
    const text = canonical(merged);
    window.localStorage.setItem(KEY, text);
    // Send only news: what Python already has, or was already sent, would loop.
    if (text !== canonical(data.scores) && text !== window.__gvBlindfoldSent) {
      window.__gvBlindfoldSent = text;
      setStateValue("stored", merged);
    }
  } catch (e) {
    /* localStorage unavailable (private mode, quota): the scores last for this session only */
  }
}
