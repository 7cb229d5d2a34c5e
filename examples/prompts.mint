# Prompts and seeds: every literal form in one sweep (2 prompts x 3 seeds).
max-tokens: 512
"eval.dataset": "gsm8k"  # a key that is not an identifier needs quotes
prompt: [
  """You are a terse assistant.
Answer in one line."""
  """You are "helpful".
Explain step by step, then answer."""
]*
seed: 1..3
stop: ["\n\n", "###"]
logit_bias: null
stream: false
