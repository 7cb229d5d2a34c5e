# Dotted keys (TOML, Hydra): `optimizer.lr: ...` sets one key inside the
# object `optimizer`, merged with its other entries in source order.
# A quoted key stays one key. 2 x 2 = 4 configs.
optimizer: { name: "adam", betas: [0.9, 0.999] }
optimizer.lr: [1e-3, 1e-4]*
optimizer.schedule.kind: "cosine"
optimizer.schedule.warmup_steps: [0, 1_000]*
"data.path": "/data/train"
