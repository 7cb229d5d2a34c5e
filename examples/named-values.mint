# Named values: `let` names a value once; `name*` sweeps a named list.
# Names are file-scoped, defined before use, and never emitted.
let models = ["gpt-4o", "gpt-4o-mini"]
let max_temp = 1.0

model: models*  # 2 values
temperature: 0.0..max_temp step 0.5  # 3 values: a name as a range bound
fallback: models  # a plain (static) list
