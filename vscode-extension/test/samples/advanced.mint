# Reuse, paired values, variants, constraints and a schema.
extends "base.mint"

schema {
  model: string
  temperature: float in 0.0..2.0
  max_tokens: int in 1..100000
  provider: "openai" | "anthropic"
  stop?: list          # ? marks an optional key
  stream: bool, extra: any, meta: object, seed: int | null
  llm: { top_p?: float in 0.0..1.0 }
  "max-tokens"?: int
}

zip {
  provider: ["openai", "anthropic", "cohere"]
  model: ["gpt-4", "claude-3-opus", "command-r-plus"]
}

variants [
  { model: "gpt-4", temperature: [0.0, 0.3, 0.7]* }
  { model: ["gpt-4o-mini", "gpt-3.5-turbo"]*, temperature: [0.5, 1.0]* }
]

where not (model == "o1" and temperature != 1.0)
where llm.model in ["a", "b"] or max_tokens <= 4096
where temperature < 2.0 and temperature >= 0.0 and max_tokens > 1
