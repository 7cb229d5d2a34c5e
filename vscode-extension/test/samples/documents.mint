# Several documents in one file; their configs are concatenated.
model: "gpt-4o"
temperature: [0.0, 1.0]*
---
model: "o1"
temperature: 1.0
---
# the third document starts from another file
extends "base.mint"
max_tokens: 256
