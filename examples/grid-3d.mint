# Seed: "Three-Dimensional Grid" — 2 x 2 x 3 = 12 configs.
model: ["gpt-4o", "gpt-4o-mini"]*
temperature: [0.0, 0.7]*
max_tokens: [500, 1000, 2000]*
