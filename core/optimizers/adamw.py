"""AdamW: Adam whose weight decay shrinks the point itself instead of entering the gradient.

Its docstring writes its update rule (`core.catalog.optimizers` reads it there). The moments,
the bias corrections and the internals are Adam's own (`core.optimizers.adaptive`): AdamW is
Adam without L2, plus one decoupled shrink of the point by ``lr * weight_decay`` per step.
"""

from __future__ import annotations

from .adaptive import AdamState, adam, adam_internals, adam_step_table
from .base import GradientTransformation, LearningRate, Scalar, check_range, rate_at, tree_map


def adamw(
    learning_rate: LearningRate,
    beta1: Scalar = 0.9,
    beta2: Scalar = 0.999,
    eps: Scalar = 1e-8,
    weight_decay: Scalar = 0.01,
) -> GradientTransformation:
    r"""AdamW: Adam's step on the plain gradient, and the point pulled towards 0 apart from it.

    Update rule (:math:`\lambda` the decoupled weight decay: it is not added to the gradient,
    so the moments never see it)::

        \begin{gathered}
        g_t = \nabla f(\theta_t) \\
        m_t = \beta_1 m_{t-1} + (1 - \beta_1)\, g_t,\quad
        v_t = \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2,\quad m_{-1} = v_{-1} = 0 \\
        \hat m_t = \frac{m_t}{1 - \beta_1^{\,t+1}},\quad
        \hat v_t = \frac{v_t}{1 - \beta_2^{\,t+1}} \\
        \theta_{t+1} = (1 - \eta_t \lambda)\,\theta_t
        - \eta_t\, \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}
        \end{gathered}

    References: Loshchilov & Hutter, "Decoupled Weight Decay Regularization" (ICLR 2019);
    PyTorch ``torch.optim.AdamW``, https://pytorch.org/docs/stable/generated/torch.optim.AdamW.html
    """
    check_range("adamw", "beta1", beta1, 0.0, 1.0, high_open=True)
    check_range("adamw", "beta2", beta2, 0.0, 1.0, high_open=True)
    check_range("adamw", "eps", eps, 0.0)
    check_range("adamw", "weight_decay", weight_decay, 0.0)
    inner = adam(learning_rate, beta1=beta1, beta2=beta2, eps=eps)  # no L2: a literal 0

    def update(grads, state: AdamState, params=None, *, scales=None):
        """``scales``: this step's entry of the catalog's step table (Adam's), or None."""
        if params is None:
            raise ValueError("adamw needs the current params: call update(grads, state, params)")
        lr = rate_at(learning_rate, state.count)
        adam_updates, state = inner.update(grads, state, None, scales=scales)
        # torch: param *= 1 - lr * wd, then the Adam step; as an update, -lr * wd * param.
        updates = tree_map(lambda u, p: u - lr * weight_decay * p, adam_updates, params)
        return updates, state

    return GradientTransformation(inner.init, update)


adamw_internals = adam_internals  # the same moments and effective rate; the shrink is apart
__all__ = ["adamw", "adamw_internals", "adam_step_table"]  # its step table is Adam's
