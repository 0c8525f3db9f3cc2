// Keeps the learner's lesson progress in localStorage in step with the Streamlit session.
// `data.progress` is the session's copy; `data.reset` a token that, once per new value, wipes
// what this browser stored. The merged document is written back, and sent to Python only when
// it holds something Python's copy lacks. `data.key` names the localStorage entry.
function canonical(v) {
  if (Array.isArray(v)) return "[" + v.map(canonical).join(",") + "]";
  if (v && typeof v === "object") {
    return "{" + Object.keys(v).sort()
      .map((k) => JSON.stringify(k) + ":" + canonical(v[k])).join(",") + "}";
  }
  return JSON.stringify(v);
}
function read(KEY) {
  try {
    const doc = JSON.parse(window.localStorage.getItem(KEY) || "null");
    return doc && typeof doc === "object" && doc.lessons && typeof doc.lessons === "object"
      ? doc : { lessons: {} };
  } catch (e) {
    return { lessons: {} };
  }
}
function merge(first, second) {
  const out = { lessons: {} };
  for (const doc of [second, first]) {
    for (const [slug, entry] of Object.entries(doc.lessons || {})) {
      if (!entry || typeof entry !== "object") continue;
      const mine = out.lessons[slug] || { done: false, answers: {} };
      mine.done = mine.done || entry.done === true;
      mine.answers = Object.assign({}, mine.answers, entry.answers || {});
      out.lessons[slug] = mine;
    }
  }
  return out;
}
export default function (component) {
  const { data, setStateValue } = component;
  if (!data || !data.progress || !data.key) return;
  const KEY = data.key;
  let stored = read(KEY);
  try {
    if (data.reset && window.localStorage.getItem(KEY + ".reset") !== data.reset) {
      window.localStorage.setItem(KEY + ".reset", data.reset);
      stored = { lessons: {} };
    }
    const merged = merge(data.progress, stored);
    window.localStorage.setItem(KEY, canonical(merged));
    const text = canonical(merged);
    // Send only news: what Python already has, or was already sent, would loop.
    if (text !== canonical(data.progress) && text !== window.__gvProgressSent) {
      window.__gvProgressSent = text;
      setStateValue("stored", merged);
    }
  } catch (e) {
    /* localStorage unavailable (private mode, quota): progress lasts for this session only */
  }
}
