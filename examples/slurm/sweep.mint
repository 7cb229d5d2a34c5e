# An LLM evaluation sweep, run as a Slurm job array (see README.md here).
# 4 models x 2 prompts x 3 temperatures x 3 seeds = 72 combinations,
# minus o3-mini at the temperatures it does not take (2 x 2 x 3 = 12): 60 configs.
# `mintc count sweep.mint` prints the number; pick the array size from it.

let models = ["gpt-4o", "gpt-4o-mini", "o3-mini", "llama-3.1-70b"]

task: "qa-eval"
dataset: "data/questions.jsonl"
model: models*
prompt: [
  { name: "direct", system: """Answer the question in one short sentence.""" }
  {
    name: "step-by-step"
    system: """Think step by step, then give the answer on a last line starting with "Answer:"."""
  }
]*
temperature: 0.0..1.0 step 0.5
seed: 0..<3
llm: {
  max_tokens: 512
  stop: ["\n\nQuestion:"]
  timeout_s: 60
}
# o3-mini only runs at its fixed temperature.
where not (model == "o3-mini" and temperature != 1.0)
