# Derived values, interpolation and composition.
import "prompts.mint" as prompts
extends "base.mint"

let scale = 256
batch_size: [32, 64]*
optimizer.lr: 0.1 * ${batch_size} / scale
steps: ${epochs} ** 2 // 3 % 7 + 1 - 2
warmup: -${steps}
run_name: "runs/${model}/bs${batch_size}-$${not}"
system: prompts.system
size: 100_000
bs: if ${batch_size} > 32 then "big" else str(max(1, round(2.5)))
momentum: delete
where ${batch_size} * 2 <= 128
