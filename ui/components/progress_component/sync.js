// The learner's lesson progress ({lessons: {slug: {done, answers}}}), kept in localStorage by
// the shared keepInStep (../browser_store/keep_in_step.js, loaded first). `data.reset` is a
// token that, once per new value, wipes what this browser stored.
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
function reset(data, key, stored) {
  if (data.reset && window.localStorage.getItem(key + ".reset") !== data.reset) {
    window.localStorage.setItem(key + ".reset", data.reset);
    return { lessons: {} };
  }
  return stored;
}
export default function (component) {
  keepInStep(component, { field: "lessons", session: "progress", merge, before: reset });
}
