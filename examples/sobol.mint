# Quasi-random search: 64 configs, the points of a scrambled Sobol sequence
# (seed 7) over four keys. Sobol points are balanced when N is a power of 2:
# each half, quarter, ... of every key's range holds its share of them.
sample 64 seed 7 sobol

model: "mlp"
lr: loguniform(1e-4, 1e-1)
momentum: uniform(0.8, 0.99)
layers: randint(2, 9)  # 2 to 8: the end is excluded, as in `range`
hidden: choice([128, 256, 512])
