# Seed: "Conditional Value Generation", for every model at once.
# Each alternative expands its own sweeps: 3 + 2 x 2 = 7 configs.
variants [
  { model: "gpt-4", temperature: [0.0, 0.3, 0.7]* }
  { model: ["gpt-4o-mini", "gpt-3.5-turbo"]*, temperature: [0.5, 1.0]* }
]
max_tokens: 1000
