# The sweep tests/test_hydra.py runs through tests/hydra_app/app.py: nested
# keys, strings Hydra would read as numbers, booleans or interpolations, a
# list holding an object, keys the app's config lacks, a `zip` and a `where`.
# 2 x 3 - 1 = 5 configs.
model: {
  zip {
    lr: [0.1, 3]
    depth: [1, 2]
  }
  name: ["1e-05", "true", "it's \"q\", a=b [c] $${x} \\ é ✓"]*
  layers: [{kind: "conv", sizes: []}, "null", 1e-05]
}
optim.betas: [0.9, 0.999]
data: {}
where not (model.name == "true" and model.lr == 0.1)
