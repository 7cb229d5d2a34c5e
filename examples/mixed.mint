# Seed: "Mixing Static and Dynamic" — 1 static config + 2 x 3 dynamic = 7.
# Each document is one entry of spearmint's `configs` list.

# Static config
model: "gpt-4"
temperature: 0.7
mode: "production"
---
# Dynamic configs
model: ["gpt-4o-mini", "gpt-3.5-turbo"]*
temperature: [0.0, 0.5, 1.0]*
mode: "evaluation"
