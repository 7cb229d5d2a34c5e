# A library of prompts and limits: other files `import` its `let` names.
let system = """You are a careful assistant.
Answer in one sentence."""
let terse = "Answer with a single word."
let low = 0.2
let high = 0.8
