# Seed: "A/B/n Testing" — 4 algorithm versions, the same feature flags.
algorithm_version: ["v1", "v2", "v3", "v4"]*
feature_flags: {
  use_cache: true
  timeout: 30
}
