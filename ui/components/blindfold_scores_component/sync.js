// The learner's best blindfold walks ({best: {walk: fewest steps}}), kept in localStorage by
// the shared keepInStep (../browser_store/keep_in_step.js, loaded first): the merge keeps the
// fewer steps of each walk.
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
  keepInStep(component, { field: "best", session: "scores", merge });
}
