# The sweep examples/ray/data_example.py reads with Ray Data.
# Two optimizers with settings of their own (variants), three learning
# rates, a `where`, and a baseline document: 2 x 3 + 3 - 1 + 1 = 9 configs,
# not all with the same keys.
task: "cifar10"
variants [
  { optimizer: "sgd", momentum: [0, 0.9]* }
  { optimizer: "adam", betas: [0.9, 0.999] }
]
lr: [0.001, 0.01, 0.1]*
epochs: 10
where not (optimizer == "adam" and lr == 0.1)
---
# The baseline the others are compared with.
task: "cifar10"
optimizer: "sgd"
lr: 0.1
epochs: 10
schedule: "cosine"
