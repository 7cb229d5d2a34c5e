# Constraints: drop the combinations that make no sense.
# 3 models x 3 temperatures = 9, minus o1 at temperatures other than 1.0
# (2 configs) = 7.
model: ["o1", "gpt-4o", "gpt-4o-mini"]*
temperature: [0.0, 0.5, 1.0]*
where not (model == "o1" and temperature != 1.0)
