# base.mint, then gpu.mint over it (later wins, objects merge deeply), with
# values from prompts.mint and one inherited key removed.
# 2 seeds x 2 prompts x 2 temperatures = 8 configs.
extends "base.mint"
extends "gpu.mint"
import "prompts.mint" as prompts
model: "gpt-4o"
optimizer.momentum: delete
batch_size: delete
system: [prompts.system, prompts.terse]*
temperature: [prompts.low, prompts.high]*
