# Seed: "Cannot Use in Nested Structures Directly" — the right way:
# sweep the individual values inside the object (2 x 2 = 4 configs).
params: {
  temp: [0.7, 0.9]*
  tokens: [100, 200]*
}
