"""The claims a lesson can make, by kind: what each argument is and what the claim is about.

Each entry is (scope, argument form); the comment above each table says what holds when.
"""

from __future__ import annotations

from core.catalog.statuses import FLAGS, STATUSES

# Claim kinds: what the argument is, and whether it needs several runs (a `vary` block).
#   status S              the run's outcome status is S
#   flag F / no_flag F    the run's outcome carries (does not carry) flag F
#   ends_in global|local  the run settles in the global (a local, non-global) minimum
#   fastest V             of the runs, V converges in the fewest steps
#   lowest_final_loss V   of the runs, V ends lowest (a diverged run counts as worst)
#   longest_first_step V  of the runs, V's first step is the longest
#   diverges_at_lr LO HI  the run diverges while its (scheduled) rate lies in [LO, HI]
#   best_loss_at_lr LO HI the rate of the step taken from the lowest point of the run lies in
#                         [LO, HI] (a range test's "where the loss turns up")
#   converges_between LO HI  the run converges, at a step in [LO, HI]
#   final_loss_below X / final_loss_above X  the run's last loss is below (above) X
#   ends_near X Y R       the run's last point lies within R of (X, Y)
#   passes_within X Y R   some point of the run lies within R of (X, Y)
#   never_within X Y R    no point of the run lies within R of (X, Y)
CLAIMS = {
    "status": ("one", STATUSES),
    "flag": ("one", FLAGS),
    "no_flag": ("one", FLAGS),
    "ends_in": ("one", ("global", "local")),
    "fastest": ("compare", None),
    "lowest_final_loss": ("compare", None),
    "longest_first_step": ("compare", None),
    "diverges_at_lr": ("one", "range"),
    "best_loss_at_lr": ("one", "range"),
    "converges_between": ("one", "steps"),
    "final_loss_below": ("one", "number"),
    "final_loss_above": ("one", "number"),
    "ends_near": ("one", "point_radius"),
    "passes_within": ("one", "point_radius"),
    "never_within": ("one", "point_radius"),
}
# Claims about a ``model`` block (a real model trained by the engine), checked by
# `core.lessons.model_runs`. A run of a model block may draw several seeds: "diverges" means
# every seed blew up, "trains" that none did, and the numbers are averaged over the seeds.
#   suggestion_between RULE LO HI  the range test's RULE (steepest, minimum, valley) suggests a
#                                  rate in [LO, HI]
#   diverges / trains              the run blows up (does not blow up)
#   val_accuracy_above X / _below  final held-out accuracy above (below) X, 0 < X < 1
#   train_loss_above X / _below    final loss over the whole training set above (below) X
#   val_loss_above X / _below      final loss on the held-out set above (below) X
#   best_val_accuracy V            of the runs, V ends with the highest held-out accuracy
#   lowest_val_loss V              of the runs, V ends with the lowest validation loss
#   smaller_batch_noisier          of runs differing in batch size, each smaller batch makes
#                                  the training loss jitter more in the second half of the run
#   loss_rise_above X / _below     the training loss climbs to more (less) than X times the
#                                  lowest measured before it (`core.lessons.model_loss_rise`)
#   val_loss_lowest_between LO HI  the validation loss is lowest at a step in [LO, HI]
#   val_loss_rises_by X            the final validation loss is more than X above its lowest
#   val_loss_below_start / _above_start  the final validation loss is below (above) the one
#                                  the run started from (a warm start: the pretrained weights')
MODEL_CLAIMS = {
    "suggestion_between": ("range_test", "rule_range"),
    "diverges": ("one", "none"),
    "trains": ("one", "none"),
    "val_accuracy_above": ("one", "fraction"),
    "val_accuracy_below": ("one", "fraction"),
    "train_loss_above": ("one", "positive"),
    "train_loss_below": ("one", "positive"),
    "val_loss_above": ("one", "positive"),
    "val_loss_below": ("one", "positive"),
    "best_val_accuracy": ("compare", None),
    "lowest_val_loss": ("compare", None),
    "smaller_batch_noisier": ("batches", "none"),
    "loss_rise_above": ("one", "positive"),
    "loss_rise_below": ("one", "positive"),
    "val_loss_lowest_between": ("one", "step_range"),
    "val_loss_rises_by": ("one", "positive"),
    "val_loss_below_start": ("one", "none"),
    "val_loss_above_start": ("one", "none"),
}
