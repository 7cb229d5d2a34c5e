# Settings for a GPU machine, laid over a base with a second `extends`.
device: "cuda"
batch_size: 64
optimizer: { lr: 0.2 }
