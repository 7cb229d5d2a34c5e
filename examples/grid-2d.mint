# Seed: "Model and Temperature Grid" — 2 models x 3 temperatures.
# The last sweep varies fastest, as in itertools.product.
model: ["gpt-4", "gpt-3.5-turbo"]*
temperature: [0.0, 0.5, 1.0]*
