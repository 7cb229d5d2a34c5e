# Seed: "Parameter Sweep for Tuning" — 21 x 3 x 3 = 189 configs.
# The range is computed in decimal: its fourth value is exactly 0.3
# (the seed's `i * 0.1` gives 0.30000000000000004).
model: "gpt-4"
temperature: 0.0..2.0 step 0.1
top_p: [0.9, 0.95, 1.0]*
frequency_penalty: [0.0, 0.5, 1.0]*
