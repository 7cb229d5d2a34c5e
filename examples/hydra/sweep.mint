# A sweep for the Hydra app train.py beside it (docs/integrations.md, Hydra):
#   python train.py -m hydra/sweeper=mint hydra.sweeper.path=sweep.mint
# Each optimizer has its own settings (adam has no momentum), and sgd runs
# with the large batch only: (2 + 2) x 2 - 2 = 6 jobs.
variants [
  { optimizer: { name: "adam", lr: [1e-4, 1e-3]* } }
  { optimizer: { name: "sgd", lr: 0.01, momentum: [0.0, 0.9]* } }
]
batch_size: [32, 256]*
where not (optimizer.name == "sgd" and batch_size == 32)
