# A static document: one config. Every value form of the language.
name: "baseline"
"max-tokens": 512
retries: 3, backoff: -7, scale: 3.14, lr: 1e-5, decay: -3.5e-3
stream: true
debug: false
stop: null
escapes: "tab\tnewline\nquote\"slash\\\/ \b\f\r \u00e9"
tags: [1, "two", [3.0]]
llm: {
  model: "gpt-4o-mini",
  params: { top_p: 1.0, presence_penalty: 0.0, },
}
system_prompt: """You are a terse assistant.
Answer in one line. "Quotes" need no escapes here.
"""
