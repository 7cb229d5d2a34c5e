# Random search: distributions drawn per config, 20 samples per grid point.
let rates = loguniform(1e-5, 1e-1)

model: ["gpt-4o", "gpt-4o-mini"]*
learning_rate: rates
temperature: uniform(0.0, 1.0) step 0.05
batch: randint(1, 9)
noise: normal(0, 1)
scale: lognormal(0, 1)
prompt: choice(["short", "long"], weights: [3, 1])
seed: 0

sample 20 seed 7 sobol
