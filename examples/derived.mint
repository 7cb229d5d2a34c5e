# Values computed from others, per config (docs/language.md section 5.9).
# `${path}` reads this config's value; a bare name is a `let` name.

let base_lr = 0.1
let warmup_fraction = 1 / 20  # computed when the file compiles: 0.05

model: ["resnet18", "resnet50"]*
batch_size: [128, 256, 512]*
accum: [1, 2]*
epochs: 90

# The linear scaling rule: the learning rate grows with the effective batch.
effective_batch: ${batch_size} * ${accum}
lr: base_lr * ${effective_batch} / 256
steps_per_epoch: 1_281_167 // ${effective_batch}
total_steps: ${steps_per_epoch} * ${epochs}
warmup_steps: round(${total_steps} * warmup_fraction)
precision: if ${model} == "resnet50" then "bf16" else "fp32"

# `where` takes the same expressions: keep effective batches up to 512.
where batch_size * accum <= 512
