"""Playground speed against the bars of issue 3, with the plain approach measured in the same run.

    python benchmarks/bench_playground.py [--presses 20] [--opens 5]

Two real servers, driven by headless Chromium:
- ours: `streamlit run app.py` (the playground at "/", 200 steps);
- baseline: the plain prototype: the same sidebar slider and engine, then a 200-frame animated
  `go.Figure` (contour + path frames) and a loss `go.Figure` through `st.plotly_chart`, with
  Streamlit's default settings.

Bars (medians): server CPU per rerun after a learning-rate change <= 30 ms (the server
process's user + system CPU time from /proc over a series of slider steps, divided by the
steps); slider step to updated chart <= 250 ms; first chart <= 2 s after opening the page on a
running server (fresh browser context, so nothing cached); data sent per rerun <= 300 KB
(websocket frames received by the page).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import chromium  # noqa: E402
from benchmarks.server_proc import cpu_seconds, serving  # noqa: E402

STEPS = 200

BASELINE_APP = textwrap.dedent(
    f"""
    import sys
    sys.path.insert(0, {str(ROOT)!r})
    import numpy as np
    import plotly.graph_objects as go
    import streamlit as st
    import core
    from core.schema.experiment import Experiment
    from ui.controls.lr_control import LR_GRID

    lr = st.sidebar.select_slider("Learning rate", options=LR_GRID, value=0.01)
    run = core.simulate(Experiment(lr=lr, steps={STEPS}))
    s = run.surface
    xs = np.linspace(*s.domain[0], 200)
    ys = np.linspace(*s.domain[1], 200)
    z = np.asarray(s.fn(*np.meshgrid(xs, ys)), dtype=float)
    p = run.path
    fig = go.Figure(
        data=[
            go.Contour(x=xs, y=ys, z=np.log10(z - z.min() + 1e-3), showscale=False),
            go.Scatter(x=p[:1, 0], y=p[:1, 1], mode="lines+markers"),
            go.Scatter(x=p[:1, 0], y=p[:1, 1], mode="markers", marker=dict(size=14)),
        ],
        frames=[
            go.Frame(
                data=[
                    go.Scatter(x=p[: i + 1, 0], y=p[: i + 1, 1]),
                    go.Scatter(x=p[i : i + 1, 0], y=p[i : i + 1, 1]),
                ],
                traces=[1, 2],
                name=str(i),
            )
            for i in range(len(p))
        ],
        layout=go.Layout(
            title=f"lr = {{lr:g}}",
            xaxis=dict(range=list(s.domain[0])),
            yaxis=dict(range=list(s.domain[1])),
            updatemenus=[dict(type="buttons", buttons=[dict(label="Play", method="animate",
                args=[None, dict(frame=dict(duration=50, redraw=False))])])],
        ),
    )
    left, right = st.columns(2)
    left.plotly_chart(fig)
    right.plotly_chart(go.Figure(go.Scatter(y=run.loss), layout=dict(yaxis_type="log")))
    st.write(run.outcome.explanation)
    """
)


class Target:
    """How to recognise 'the chart is up' and 'the chart changed' on one of the two apps."""

    def __init__(self, name, script, cwd, path, visible, chart, marker_js):
        self.name, self.script, self.cwd, self.path = name, script, cwd, path
        self.visible = visible  # selector of the first drawing of the map
        self.chart = chart  # selector of the interactive chart
        self.marker_js = marker_js  # JS expression naming what the chart currently shows


OURS = Target(
    "ours",
    ROOT / "app.py",
    ROOT,
    f"/?steps={STEPS}&lr=0.01",
    ".gv-map svg",
    ".gv-root[data-scene] .gv-map .main-svg",
    "document.querySelector('.gv-root') && document.querySelector('.gv-root').dataset.scene",
)
BASELINE = Target(
    "baseline",
    None,
    None,
    "/",
    ".stPlotlyChart .main-svg .contour",
    ".stPlotlyChart .main-svg .contour",
    "(document.querySelector('.stPlotlyChart .gtitle') || {}).textContent",
)


def first_chart(browser, url: str, target: Target, opens: int) -> tuple[list, list]:
    """Seconds from navigation to the map being visible, and to the chart being interactive."""
    visible, ready = [], []
    for _ in range(opens):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.add_init_script(
            "new MutationObserver((_, o) => { if (document.querySelector("
            + repr(target.visible)
            + ")) { window.__visible = performance.now(); o.disconnect(); } })"
            ".observe(document, {childList: true, subtree: true});"
        )
        page.goto(url + target.path, wait_until="commit")
        page.wait_for_selector(target.chart, timeout=60_000)
        ready.append(page.evaluate("performance.now()") / 1000)
        visible.append(page.evaluate("window.__visible") / 1000)
        context.close()
    return visible, ready


def slider_series(browser, url: str, target: Target, pid: int, presses: int):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    received = []
    page.on(
        "websocket",
        lambda ws: ws.on("framereceived", lambda payload: received.append(len(payload))),
    )
    page.goto(url + target.path)
    page.wait_for_selector(target.chart, timeout=60_000)
    time.sleep(1.0)
    slider = page.get_by_role("slider", name="Learning rate")
    slider.focus()
    latencies, cpu, sizes = [], [], []
    for _ in range(presses):
        before = page.evaluate(f"() => {target.marker_js}")
        received.clear()
        c0 = cpu_seconds(pid)
        t0 = time.perf_counter()
        slider.press("ArrowRight")
        page.wait_for_function(f"old => ({target.marker_js}) !== old", arg=before, timeout=30_000)
        latencies.append(time.perf_counter() - t0)
        time.sleep(0.6)  # let the run finish and the socket go quiet
        cpu.append(cpu_seconds(pid) - c0)
        sizes.append(sum(received))
    context.close()
    return latencies, cpu, sizes


def measure(browser, target: Target, presses: int, opens: int) -> dict:
    with serving(script=target.script, cwd=target.cwd) as (url, process):
        first_chart(browser, url, target, 1)  # warm the server: imports, compilation, caches
        visible, ready = first_chart(browser, url, target, opens)
        latencies, cpu, sizes = slider_series(browser, url, target, process.pid, presses)
    return {
        "first chart visible (s)": statistics.median(visible),
        "chart interactive (s)": statistics.median(ready),
        "slider to chart (ms)": 1000 * statistics.median(latencies),
        "server CPU per rerun (ms)": 1000 * statistics.mean(cpu),
        "data per rerun (KB)": statistics.median(sizes) / 1024,
    }


BARS = {
    "first chart visible (s)": 2.0,
    "chart interactive (s)": None,
    "slider to chart (ms)": 250.0,
    "server CPU per rerun (ms)": 30.0,
    "data per rerun (KB)": 300.0,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=20)
    parser.add_argument("--opens", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        script = Path(tmp) / "baseline_app.py"
        script.write_text(BASELINE_APP)
        BASELINE.script, BASELINE.cwd = script, Path(tmp)  # default config: no .streamlit/
        browser = chromium.launch(playwright)
        results = {t.name: measure(browser, t, args.presses, args.opens) for t in (OURS, BASELINE)}
        browser.close()
    print(
        f"\n== Playground, {STEPS} steps: medians ({args.presses} slider steps, "
        f"{args.opens} fresh opens); CPU is the mean over the series"
    )
    print(f"  {'metric':<28}{'ours':>10}{'baseline':>11}{'ours/base':>11}{'bar':>9}  verdict")
    for metric, bar in BARS.items():
        ours, base = results["ours"][metric], results["baseline"][metric]
        if bar is None:
            verdict, bar_text = "(no bar)", "-"
        else:
            verdict = "meets the bar" if ours <= bar else "MISSES the bar"
            bar_text = f"{bar:g}"
        print(
            f"  {metric:<28}{ours:>10.2f}{base:>11.2f}{ours / base:>11.2f}{bar_text:>9}  {verdict}"
        )
    print(f"  (load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
