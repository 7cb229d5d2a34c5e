# An LLM sweep that mixes a grid with random search: 3 models (a grid axis)
# x 16 draws of temperature and top_p each = 48 configs, the 16 samples of
# each model one after the other. The schema checks that every value a
# distribution can give is allowed before anything is drawn.
schema {
  model: string
  temperature: float in 0.0..2.0
  top_p: float in 0.0..1.0
  max_tokens: int in 1..100000
  system: string
}
sample 16 seed 3

model: ["gpt-4o", "gpt-4o-mini", "claude-3-5-sonnet"]*
temperature: uniform(0.0, 1.2) step 0.05
top_p: uniform(0.8, 1.0) step 0.01
max_tokens: 512
system: """You are a careful assistant. Answer in one paragraph."""
