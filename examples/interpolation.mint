# Strings built from the config's values (docs/language.md section 5.9).
# Numbers print as JSON writes them; `$${` is a literal `${`.

let allowed = ["gpt-4o", "o1"]

model: ["gpt-4o", "gpt-4o-mini", "o1"]*
temperature: [0.0, 0.7]*
optimizer: { name: "adam", lr: 0.0001 }

run_name: "${model}-t${temperature}"
output_dir: "runs/${model}/${optimizer.name}-lr${optimizer.lr}"
shell: "echo $${HOME} && train --lr ${optimizer.lr}"
prompt: """You are ${model}.
Answer at temperature ${temperature}."""
tag: str(len(${model})) + "-chars"

where model in allowed
