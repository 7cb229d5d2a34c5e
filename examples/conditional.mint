# Seed: "Conditional Value Generation" — gpt-4's own temperature range.
model: "gpt-4"
temperature: [0.0, 0.3, 0.7]*
