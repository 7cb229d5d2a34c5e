# Sweeps: lists, ranges, names, objects.
let models = ["gpt-4o", "gpt-4o-mini"]
let lrs = 1e-5..1e-1 step *10

model: models*
provider: ["openai", "anthropic"]*
learning_rate: lrs
epochs: 1..3
batch: 0..100 step 25
countdown: 10..0 step -5
offsets: -5..-1
temperature: 0.0..2.0 step 0.1
seed: 0..<10
dropout: 0..1 count 5
tiny: 1e-5..1e-1 step *10
params: [{temp: 0.7, tokens: 100}, {temp: [0.8, 0.9]*, tokens: 200}]*
nested: {
  optimizer: {
    name: ["adam", "sgd"]*
    momentum: [
      0.9,
      0.99,
    ]*
  }
}
