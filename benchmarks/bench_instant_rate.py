"""Drag the rate and the path follows (issue #13): the fan against today's round trip.

    python benchmarks/bench_instant_rate.py [--presses 60] [--bursts 10] [--port 8632]

One real server (`streamlit run app.py`, warm: the page opened once before measuring), driven
by headless Chromium, and the fan computed in this process as the server computes it. Bars:
- key press to path repainted, p95 <= 35 ms over >= 50 presses: from the key's input event to
  the animation frame after the player redrew from the fan (`window.__gvFanLog`, times from
  performance.now() and requestAnimationFrame in the page); the baseline, measured in the same
  run, is today's round trip: from the slider's send to the server-drawn chart (data-scene);
- 30 presses 30 ms apart, 10 bursts: the rate ends exactly 30 positions on, the badge, the
  URL and the exact box agree within 1 s of the last press, one rerun a burst, no connection
  error;
- fan computation <= 20 ms of CPU for 150 steps; bytes of a fan <= 400 KB at 150 steps and
  <= 1 MB at 10,000 steps (the JSON the scene carries).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import chromium  # noqa: E402
from benchmarks.server_proc import serving  # noqa: E402
from core.schema.experiment import Experiment  # noqa: E402
from core.schema.rate_grid import LR_GRID  # noqa: E402
from core.valley.fan import fan  # noqa: E402
from figures.valley.fan_scene import fan_data  # noqa: E402
from ui.controls.lr_control import format_lr  # noqa: E402

WATCH = """() => {
  const root = document.querySelector('.gv-root');
  window.__scenes = [];
  if (!window.__sceneWatch) {  // one observer, however often the count starts afresh
    window.__sceneWatch = new MutationObserver(() => window.__scenes.push(performance.now()));
    window.__sceneWatch.observe(root, { attributes: true, attributeFilter: ['data-scene'] });
  }
  window.__gvFanLog = []; window.__gvRateSends = [];
}"""
AGREES = """lr => {
  const root = document.querySelector('.gv-root'), badge = document.querySelector('.gv-badge');
  const box = [...document.querySelectorAll('[data-testid="stNumberInput"]')]
    .find((el) => el.innerText.includes('Exact learning rate'));
  const exact = box && box.querySelector('input');
  return location.search.includes('lr=' + lr) && !root.hasAttribute('data-fan-index')
    && badge && !badge.hasAttribute('data-live') && exact && Number(exact.value) === Number(lr);
}"""


def p95(values):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]


def fan_costs() -> dict:
    """CPU of one fan (warm, median of 20) at 150 steps, and bytes at 150 and 10,000 steps."""
    exp = Experiment()
    fan_data(fan(exp), floor=0.0, slider="lr_drag")  # compile
    cpu = []
    for _ in range(20):
        t = time.process_time()
        fan_data(fan(exp), floor=0.0, slider="lr_drag")
        cpu.append(time.process_time() - t)
    sizes = {}
    for steps, name in ((150, "valley"), (10_000, "valley"), (10_000, "rosenbrock")):
        e = Experiment(surface=name, optimizer="adam" if name == "rosenbrock" else "sgd")
        data = fan_data(fan(e.replace(steps=steps)), floor=0.0, slider="lr_drag")
        sizes[(steps, name)] = len(json.dumps(data))
    return {"cpu": statistics.median(cpu), "sizes": sizes}


def open_page(browser, url):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(url + "/")
    page.wait_for_selector(".gv-root[data-scene]", timeout=60_000)
    page.wait_for_function("() => document.querySelector('.gv-root').__gvPlayer.fanData")
    page.wait_for_timeout(1500)
    return page, errors


def latency(page, presses: int) -> tuple[list, list]:
    """(press to repaint from the fan, ms), (today's round trip: send to server chart, ms)."""
    slider = page.get_by_role("slider", name="Learning rate")
    slider.focus()
    fans, trips, done, direction = [], [], 0, "ArrowRight"
    while done < presses:
        page.evaluate(WATCH)
        for _ in range(10):  # a short burst, 60 ms apart (a steady drag)
            page.keyboard.press(direction)
            time.sleep(0.06)
        done += 10
        direction = "ArrowLeft" if direction == "ArrowRight" else "ArrowRight"
        page.wait_for_function("() => window.__scenes.length >= 1", timeout=15_000)
        page.wait_for_timeout(800)
        log = page.evaluate("window.__gvFanLog")
        fans += [max(e["painted"], e["drawn"]) - e["input"] for e in log if e["input"]]
        sends, scenes = page.evaluate("[window.__gvRateSends, window.__scenes]")
        if sends and scenes:
            trips.append(scenes[-1] - sends[-1])
    # Today's protocol per press: single presses, each a rerun to its chart.
    for _ in range(8):
        page.evaluate(WATCH)
        page.keyboard.press(direction)
        page.wait_for_function("() => window.__scenes.length >= 1", timeout=15_000)
        sends, scenes = page.evaluate("[window.__gvRateSends, window.__scenes]")
        trips.append(scenes[-1] - sends[-1])
        page.wait_for_timeout(300)
    return fans, trips


def bursts(page, count: int) -> list[dict]:
    slider = page.get_by_role("slider", name="Learning rate")
    slider.focus()
    results = []
    for b in range(count):
        page.evaluate(WATCH)
        start = int(slider.input_value())
        direction, sign = ("ArrowRight", 1) if b % 2 == 0 else ("ArrowLeft", -1)
        for _ in range(30):
            page.keyboard.press(direction)
            time.sleep(0.03)
        last = time.perf_counter()
        end = start + sign * 30
        lr = format_lr(LR_GRID[end])
        try:
            page.wait_for_function(AGREES, arg=lr, timeout=10_000, polling=20)
            agreed = time.perf_counter() - last
        except Exception:
            agreed = float("inf")
        page.wait_for_timeout(500)
        text = page.locator("body").inner_text()
        results.append(
            {
                "exact": int(slider.input_value()) == end,
                "agreed_s": agreed,
                "reruns": page.evaluate("window.__scenes.length"),
                "connection_error": "Connection error" in text or "ForwardMsg" in text,
            }
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--presses", type=int, default=60)
    parser.add_argument("--bursts", type=int, default=10)
    parser.add_argument("--port", type=int, default=8632)
    args = parser.parse_args()
    costs = fan_costs()
    from playwright.sync_api import sync_playwright

    with serving(port=args.port) as (url, _), sync_playwright() as pw:
        browser = chromium.launch(pw)
        warm, _ = open_page(browser, url)  # warm the server (compiles, caches)
        warm.close()
        page, errors = open_page(browser, url)
        fans, trips = latency(page, args.presses)
        burst = bursts(page, args.bursts)
        browser.close()
    ok = lambda good: "ok" if good else "MISSED"
    print(f"fan CPU, 150 steps: {costs['cpu'] * 1e3:.1f} ms (bar 20 ms) {ok(costs['cpu'] <= 0.02)}")
    for (steps, name), size in costs["sizes"].items():
        bar = 400_000 if steps <= 150 else 1_000_000
        print(
            f"fan bytes, {name} {steps} steps: {size / 1e3:.0f} KB (bar {bar // 1000} KB) "
            f"{ok(size <= bar)}"
        )
    f95, t95 = p95(fans), p95(trips)
    print(
        f"press to path repainted from the fan: p50 {statistics.median(fans):.1f} ms, "
        f"p95 {f95:.1f} ms over {len(fans)} presses (bar 35 ms) {ok(f95 <= 35)}"
    )
    print(
        f"baseline, today's round trip (send to server chart): p50 "
        f"{statistics.median(trips):.0f} ms, p95 {t95:.0f} ms over {len(trips)} reruns; "
        f"{t95 / f95:.1f}x the fan's p95"
    )
    exact = sum(r["exact"] for r in burst)
    worst = max(r["agreed_s"] for r in burst)
    reruns = [r["reruns"] for r in burst]
    errors_seen = sum(r["connection_error"] for r in burst)
    print(
        f"30-press bursts x {len(burst)}: exact end {exact}/{len(burst)} "
        f"{ok(exact == len(burst))}; agreement after the last press: worst {worst:.2f} s "
        f"(bar 1 s) {ok(worst <= 1.0)}; reruns a burst {reruns}; connection errors "
        f"{errors_seen} {ok(errors_seen == 0)}"
    )
    if errors:
        print("console errors:", errors[:5])


if __name__ == "__main__":
    main()
