# Random search: 32 configs. Each one draws the learning rate and the weight
# decay log-uniformly, the dropout on a grid of 0.05 and the batch size from
# a list. `seed 1` fixes the draws: config i is a pure function of the seed,
# i and the key, so every machine, shard and rerun gets the same 32 configs.
sample 32 seed 1

model: "resnet-18"
epochs: 20
optimizer: {
  name: "adamw"
  lr: loguniform(1e-5, 1e-1)
  weight_decay: loguniform(1e-6, 1e-2)
}
dropout: uniform(0.0, 0.5) step 0.05
batch_size: choice([32, 64, 128, 256])
