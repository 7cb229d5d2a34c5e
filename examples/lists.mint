# Seed: "From Lists" — one sweep over three models.
model: ["gpt-4", "gpt-3.5-turbo", "gpt-4o-mini"]*
