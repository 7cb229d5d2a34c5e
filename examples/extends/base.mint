# A base sweep shared by several experiments (one document).
schema {
  model: string
  temperature: float in 0.0..2.0
  llm: { provider: string, timeout: int }
  seed?: int
}
model: ["gpt-4o", "gpt-4o-mini"]*
temperature: 0.7
llm: { provider: "openai", timeout: 30 }
