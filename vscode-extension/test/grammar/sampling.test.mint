# SYNTAX TEST "source.mint" "sampling: distributions, `sample N [seed S] [method]`"

lr: loguniform(1e-5, 1e-1)
# <-- support.type.property-name.mint
#   ^^^^^^^^^^ support.function.mint
#             ^ punctuation.section.parens.begin.mint
#              ^^^^ constant.numeric.float.mint
#                  ^ punctuation.separator.comma.mint
#                    ^^^^ constant.numeric.float.mint
#                        ^ punctuation.section.parens.end.mint
temperature: uniform(0.0, 1.0) step 0.05
#            ^^^^^^^ support.function.mint
#                              ^^^^ keyword.other.mint
#                                   ^^^^ constant.numeric.float.mint
batch: randint (1, 9)
#      ^^^^^^^ support.function.mint
x: normal(0, 1), y: lognormal(mu, 1)
#  ^^^^^^ support.function.mint
#                ^ support.type.property-name.mint
#                   ^^^^^^^^^ support.function.mint
#                             ^^ variable.other.mint
model: choice(["a", "b"], weights: [3, 1])
#      ^^^^^^ support.function.mint
#             ^ punctuation.definition.list.begin.mint
#              ^^^ string.quoted.double.mint
#                         ^^^^^^^ support.type.property-name.mint
#                                ^ punctuation.separator.key-value.mint
opt: { lr: uniform(0, 1) }
#          ^^^^^^^ support.function.mint
let rates = loguniform(1e-4, 1e-2)
#           ^^^^^^^^^^ support.function.mint

# a name is a distribution only before `(`
uniform: normal, choices: choice
# <------- support.type.property-name.mint - support.function.mint
#        ^^^^^^ variable.other.mint - support.function.mint
#                         ^^^^^^ variable.other.mint - support.function.mint
x: uniformly(0, 1)
#  ^^^^^^^^^ variable.other.mint - support.function.mint

sample 64
# <------ meta.sample.mint keyword.control.mint
#      ^^ meta.sample.mint constant.numeric.integer.mint
sample 64 seed 7 sobol  # Sobol' points
# <------ keyword.control.mint
#         ^^^^ keyword.other.mint
#              ^ constant.numeric.integer.mint
#                ^^^^^ keyword.other.mint
#                       ^^^^^^^^^^^^^^^ comment.line.number-sign.mint
  sample 8 halton
# ^^^^^^ keyword.control.mint
#          ^^^^^^ keyword.other.mint
sample 8 lhs
#        ^^^ keyword.other.mint
sample n random
#      ^ variable.other.mint
#        ^^^^^^ keyword.other.mint
a: 1, sample 4
#     ^^^^^^ keyword.control.mint

# `sample` and `seed` stay keys, and the method words are words like others elsewhere
seed: 1..3
# <---- support.type.property-name.mint - keyword.other.mint
sample: 3
# <------ support.type.property-name.mint - keyword.control.mint
sample ?: 3
# <------ support.type.property-name.mint - keyword.control.mint
sampler: sobol, seeds: seed
# <------- support.type.property-name.mint - keyword.control.mint
#        ^^^^^ variable.other.mint - keyword.other.mint
#                      ^^^^ variable.other.mint - keyword.other.mint
where seed == 1 and sample > 2
#     ^^^^ support.type.property-name.mint - keyword.other.mint
#                   ^^^^^^ support.type.property-name.mint - keyword.control.mint
