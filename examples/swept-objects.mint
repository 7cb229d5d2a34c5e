# Sweeps of objects: the seed's "won't work as expected" case, working.
# Sweeps inside a swept object expand too: this axis has 1 + 2 = 3 values.
model: "gpt-4o"
params: [
  { temp: 0.7, tokens: 100 }
  { temp: [0.8, 0.9]*, tokens: 200 }
]*
