# Two models at three temperatures, without the mini model's hottest run:
# 5 configs, each with the config_id `mintc compile sweep.mint` prints.
model: ["gpt-4o", "gpt-4o-mini"]*
temperature: 0.0..1.0 step 0.5
max_tokens: 256
where not (model == "gpt-4o-mini" and temperature == 1.0)
