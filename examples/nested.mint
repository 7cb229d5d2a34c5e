# Seed: "Nested DynamicValues" — sweeps at any depth; structure preserved.
llm: {
  model: ["gpt-4", "gpt-3.5-turbo"]*
  params: {
    temperature: [0.0, 0.5, 1.0]*
    max_tokens: 1000
  }
}
