# Seed: "Custom Value Generation" — 10 ** exp for exp in range(-5, 0).
optimizer: "adam"
learning_rate: [1e-5, 1e-4, 1e-3, 1e-2, 1e-1]*
