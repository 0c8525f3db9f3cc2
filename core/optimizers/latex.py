"""The update rules in LaTeX: one string per optimizer, shared by docstrings and the UI.

Notation (t is the 0-based step, the one that moves theta_t to theta_{t+1}): eta_t the learning
rate of step t (a schedule's lr[t]), lambda the weight decay, mu the momentum, tau the dampening,
delta Adagrad's lr_decay, alpha RMSprop's smoothing constant, beta_1/beta_2 Adam's decay rates.
"""

from __future__ import annotations

from collections.abc import Callable

_GRAD = r"g_t = \nabla f(\theta_t) + \lambda\,\theta_t"
_BUFFER = r"b_t = \begin{cases} g_t & t = 0 \\ \mu\, b_{t-1} + (1 - \tau)\, g_t & t > 0 \end{cases}"

UPDATE_RULES: dict[str, str] = {
    "sgd": rf"{_GRAD} \\ \theta_{{t+1}} = \theta_t - \eta_t\, g_t",
    "momentum": rf"{_GRAD} \\ {_BUFFER} \\ \theta_{{t+1}} = \theta_t - \eta_t\, b_t",
    "nesterov": (rf"{_GRAD} \\ {_BUFFER} \\ \theta_{{t+1}} = \theta_t - \eta_t\,(g_t + \mu\, b_t)"),
    "adagrad": (
        rf"{_GRAD} \\ s_t = s_{{t-1}} + g_t^2,\quad s_{{-1}} = s_{{\mathrm{{init}}}} \\ "
        r"\tilde\eta_t = \frac{\eta_t}{1 + t\,\delta} \\ "
        r"\theta_{t+1} = \theta_t - \tilde\eta_t\, \frac{g_t}{\sqrt{s_t} + \epsilon}"
    ),
    "rmsprop": (
        rf"{_GRAD} \\ v_t = \alpha\, v_{{t-1}} + (1 - \alpha)\, g_t^2,\quad v_{{-1}} = 0 \\ "
        r"b_t = \mu\, b_{t-1} + \frac{g_t}{\sqrt{v_t} + \epsilon},\quad b_{-1} = 0 \\ "
        r"\theta_{t+1} = \theta_t - \eta_t\, b_t"
    ),
    "adam": (
        rf"{_GRAD} \\ m_t = \beta_1 m_{{t-1}} + (1 - \beta_1)\, g_t,\quad "
        r"v_t = \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2,\quad m_{-1} = v_{-1} = 0 \\ "
        r"\hat m_t = \frac{m_t}{1 - \beta_1^{\,t+1}},\quad "
        r"\hat v_t = \frac{v_t}{1 - \beta_2^{\,t+1}} \\ "
        r"\theta_{t+1} = \theta_t - \eta_t\, \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}"
    ),
}

# One formula per line, centred; KaTeX (st.latex) and MathJax both render ``gathered``.
UPDATE_RULES = {
    name: rf"\begin{{gathered}} {rule} \end{{gathered}}" for name, rule in UPDATE_RULES.items()
}

_PLACEHOLDER = "@UPDATE_RULE@"


def with_update_rule(name: str) -> Callable[[Callable], Callable]:
    """Put ``UPDATE_RULES[name]`` verbatim into the decorated function's docstring."""

    def decorate(func: Callable) -> Callable:
        if func.__doc__ is None or _PLACEHOLDER not in func.__doc__:
            raise AssertionError(f"{func.__name__}'s docstring lacks {_PLACEHOLDER}")
        func.__doc__ = func.__doc__.replace(_PLACEHOLDER, UPDATE_RULES[name])
        return func

    return decorate
