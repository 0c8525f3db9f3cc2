// What the components that keep a document in this browser's localStorage share (the lessons'
// progress, the blindfold walks' best scores). The session holds one copy (`data[session]`),
// localStorage another (under `data.key`); `merge(first, second)` makes one of the two, which
// is written back, and sent to Python only when it holds something Python's copy lacks. Each
// component's own file says what its document holds (`field`) and how two copies merge.

// JSON with every object's keys sorted: two equal documents give one text.
function canonical(v) {
  if (Array.isArray(v)) return "[" + v.map(canonical).join(",") + "]";
  if (v && typeof v === "object") {
    return "{" + Object.keys(v).sort()
      .map((k) => JSON.stringify(k) + ":" + canonical(v[k])).join(",") + "}";
  }
  return JSON.stringify(v);
}

// The stored document, or an empty one when there is none or it is not ours ({field: {}}).
function readDoc(key, field) {
  try {
    const doc = JSON.parse(window.localStorage.getItem(key) || "null");
    return doc && typeof doc === "object" && doc[field] && typeof doc[field] === "object"
      ? doc : { [field]: {} };
  } catch (e) {
    return { [field]: {} };
  }
}

// `before(data, key, stored)`, if given, may replace what was read (e.g. a reset).
function keepInStep(component, { field, session, merge, before }) {
  const { data, setStateValue } = component;
  if (!data || !data[session] || !data.key) return;
  const key = data.key;
  try {
    let stored = readDoc(key, field);
    if (before) stored = before(data, key, stored);
    const merged = merge(data[session], stored);
    const text = canonical(merged);
    window.localStorage.setItem(key, text);
    // Send only news: what Python already has, or was already sent, would loop.
    const sentKey = "__gvSent:" + key;
    if (text !== canonical(data[session]) && text !== window[sentKey]) {
      window[sentKey] = text;
      setStateValue("stored", merged);
    }
  } catch (e) {
    /* localStorage unavailable (private mode, quota): the document lasts for this session */
  }
}
