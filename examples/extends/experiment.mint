# Starts from base.mint: entries here override (objects merge deeply), and
# the base's schema still checks every value. 2 models x 2 temps x 2 seeds.
extends "base.mint"
temperature: [0.2, 0.9]*
llm: { timeout: 60 }
seed: [1, 2]*
