# A schema checks every value any config can take, before expanding.
schema {
  provider: "openai" | "anthropic"
  model: string
  temperature: float in 0.0..2.0
  max_tokens: int in 1..100000
  stop?: list
}
provider: "openai"
model: ["gpt-4o", "gpt-4o-mini"]*
temperature: 0.0..1.0 step 0.5
max_tokens: 1000
