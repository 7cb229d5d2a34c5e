# Seed: "Model Comparison", done right. In Python the seed's
# DynamicValue over a dict pairs nothing: it iterates the dict's keys and
# gives 3 x 3 = 9 configs. `zip` pairs the lists position by position:
# one axis, 3 configs.
zip {
  provider: ["openai", "anthropic", "cohere"]
  model: ["gpt-4", "claude-3-opus", "command-r-plus"]
}
temperature: 0.7
