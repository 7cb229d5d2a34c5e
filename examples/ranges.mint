# Seed: "From Ranges" — range(0, 101, 25) is 0, 25, 50, 75, 100.
# The end is included when a step lands on it exactly.
temperature: 0..100 step 25
