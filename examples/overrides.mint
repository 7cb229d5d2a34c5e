# One file, changed from the command line without editing it (`--set` takes
# any .mint value; `--add` a key the file does not have). Each command below
# is run by tests/test_overrides.py:
#   mintc compile examples/overrides.mint --set 'model=["gpt-4o", "o1"]*' --set optimizer.lr=0.01   => 2 configs
#   mintc count examples/overrides.mint --set 'seed=0..<10'                                        => 10 configs
#   mintc compile examples/overrides.mint --add 'tags=["nightly"]'                                  => 1 config
model: "gpt-4o-mini"
optimizer: { name: "adam", lr: 0.001 }
seed: 0
