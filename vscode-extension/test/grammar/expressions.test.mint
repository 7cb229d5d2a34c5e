# SYNTAX TEST "source.mint" "expressions, interpolation, composition"

lr: 0.1 * ${batch_size} / 256
#       ^ keyword.operator.arithmetic.mint
#         ^^ meta.interpolation.mint punctuation.definition.interpolation.begin.mint
#           ^^^^^^^^^^ meta.interpolation.mint support.type.property-name.mint
#                     ^ meta.interpolation.mint punctuation.definition.interpolation.end.mint
#                       ^ keyword.operator.arithmetic.mint

steps: ${epochs} ** 2 // 3 % 7 + 1 - ${warmup}
#                ^^ keyword.operator.arithmetic.mint
#                     ^^ keyword.operator.arithmetic.mint
#                          ^ keyword.operator.arithmetic.mint
#                              ^ keyword.operator.arithmetic.mint
#                                  ^ keyword.operator.arithmetic.mint

run: "runs/${model}/lr${optimizer.lr}-$${literal}"
#          ^^ string.quoted.double.mint meta.interpolation.mint punctuation.definition.interpolation.begin.mint
#            ^^^^^ string.quoted.double.mint meta.interpolation.mint support.type.property-name.mint
#                       ^^^^^^^^^ string.quoted.double.mint meta.interpolation.mint support.type.property-name.mint
#                                ^ string.quoted.double.mint meta.interpolation.mint punctuation.accessor.mint
#                                     ^^^ string.quoted.double.mint constant.character.escape.mint

bs: if ${model} == "big" then 16 else min(32, ${max_bs})
#   ^^ keyword.control.conditional.mint
#                        ^^^^ keyword.control.conditional.mint
#                                ^^^^ keyword.control.conditional.mint
#                                     ^^^ support.function.builtin.mint

layers: [64, 128]* 
#                ^ keyword.operator.sweep.mint

size: 100_000
#     ^^^^^^^ constant.numeric.integer.mint

rate: 1_000.5
#     ^^^^^^^ constant.numeric.float.mint

optimizer.lr: 0.1
# <--------- support.type.property-name.mint
#        ^ punctuation.accessor.mint
#         ^^ support.type.property-name.mint

import "prompts.mint" as prompts
# <------ keyword.control.import.mint
#      ^^^^^^^^^^^^^^ string.quoted.double.mint
#                     ^^ keyword.control.import.mint
#                        ^^^^^^^ entity.name.namespace.mint

momentum: delete
#         ^^^^^^ keyword.other.delete.mint

offset: -${warmup}
#       ^ keyword.operator.arithmetic.mint
