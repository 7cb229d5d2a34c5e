# SYNTAX TEST "source.mint" "where: key paths are keys, also when spelled like keywords"

where step == 1
# <----- meta.where.mint keyword.control.mint
#     ^^^^ meta.where.mint support.type.property-name.mint - keyword.other.mint
#          ^^ meta.where.mint keyword.operator.comparison.mint
#             ^ meta.where.mint constant.numeric.integer.mint
where schema != "b"
#     ^^^^^^ support.type.property-name.mint - keyword.control.mint
#            ^^ keyword.operator.comparison.mint
#               ^^^ string.quoted.double.mint
where a.step > 0
#     ^ support.type.property-name.mint
#      ^ punctuation.accessor.mint
#       ^^^^ support.type.property-name.mint - keyword.other.mint
#            ^ keyword.operator.comparison.mint
where count >= 2 and zip < 3 or variants == "x" and extends != let
#     ^^^^^ support.type.property-name.mint - keyword.other.mint
#                ^^^ keyword.operator.logical.mint
#                    ^^^ support.type.property-name.mint - keyword.control.mint
#                        ^ keyword.operator.comparison.mint
#                            ^^ keyword.operator.logical.mint
#                               ^^^^^^^^ support.type.property-name.mint - keyword.control.mint
#                                                   ^^^^^^^ support.type.property-name.mint - keyword.control.mint
#                                                              ^^^ support.type.property-name.mint - storage.type.mint
where (where == 1) and not step
#     ^ punctuation.section.parens.begin.mint
#      ^^^^^ support.type.property-name.mint - keyword.control.mint
#                ^ punctuation.section.parens.end.mint
#                  ^^^ keyword.operator.logical.mint
#                      ^^^ keyword.operator.logical.mint
#                          ^^^^ support.type.property-name.mint
where llm.model in ["a", "b"] or llm.provider == other.key
#     ^^^ support.type.property-name.mint
#        ^ punctuation.accessor.mint
#         ^^^^^ support.type.property-name.mint - variable.other.mint
#               ^^ keyword.operator.in.mint
#                  ^ punctuation.definition.list.begin.mint
#                                ^^^ support.type.property-name.mint
#                                   ^ punctuation.accessor.mint
#                                    ^^^^^^^^ support.type.property-name.mint
#                                                ^^^^^ support.type.property-name.mint
#                                                     ^ punctuation.accessor.mint
#                                                      ^^^ support.type.property-name.mint

# `in`, `and`, `or` where an operand begins are keys; `not`, `true`, `false`, `null` never are
where in == 1 or and > 2
#     ^^ support.type.property-name.mint - keyword.operator.in.mint
#             ^^ keyword.operator.logical.mint
#                ^^^ support.type.property-name.mint - keyword.operator.logical.mint
where not in == 1
#     ^^^ keyword.operator.logical.mint
#         ^^ support.type.property-name.mint - keyword.operator.in.mint
where model not in ["a"] and flag == true
#     ^^^^^ support.type.property-name.mint
#           ^^^ keyword.operator.logical.mint
#               ^^ keyword.operator.in.mint - support.type.property-name.mint
#                                    ^^^^ constant.language.mint - support.type.property-name.mint
where a.not == null and a.true != false
#       ^^^ support.type.property-name.mint - keyword.operator.logical.mint
#              ^^^^ constant.language.mint
#                         ^^^^ support.type.property-name.mint - constant.language.mint
#                                 ^^^^^ constant.language.mint
where(step == 1)  # a comment
# <----- keyword.control.mint
#    ^ punctuation.section.parens.begin.mint
#     ^^^^ support.type.property-name.mint
#                 ^^^^^^^^^^^ comment.line.number-sign.mint

# the region ends with its line: keys and keywords after it are read as everywhere else
where x == 1
step: 2
# <---- support.type.property-name.mint - meta.where.mint
where: 3
# <----- support.type.property-name.mint - keyword.control.mint meta.where.mint
a: where
#  ^^^^^ keyword.control.mint - meta.where.mint

# an item after `,` on the same line
x: 1, where step == 1
#     ^^^^^ meta.where.mint keyword.control.mint
#           ^^^^ meta.where.mint support.type.property-name.mint - keyword.other.mint
