# The defaults every experiment starts from (one document).
schema {
  model: string
  optimizer: { name: string, lr: float, momentum?: float }
  seed: int
  device?: string
  batch_size?: int
  system?: string
  temperature?: float
}
model: "gpt-4o-mini"
optimizer: { name: "sgd", lr: 0.1, momentum: 0.9 }
seed: [0, 1]*
