# Seed: "From Generators" — temp / 100.0 for temp in range(0, 101, 50),
# written as a float range: 0.0, 0.5, 1.0.
model: "gpt-4"
temperature: 0.0..1.0 step 0.5
