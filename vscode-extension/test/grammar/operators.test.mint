# SYNTAX TEST "source.mint" "operators and punctuation"

where a == 1 and b != 2 and c < 3 and d <= 4 and e > 5 and f >= 6
#       ^^ keyword.operator.comparison.mint
#                  ^^ keyword.operator.comparison.mint
#                             ^ keyword.operator.comparison.mint
#                                       ^^ keyword.operator.comparison.mint
#                                                  ^ keyword.operator.comparison.mint
#                                                            ^^ keyword.operator.comparison.mint

where not (x in [1, 2] or y == "z")
#     ^^^ keyword.operator.logical.mint
#         ^ punctuation.section.parens.begin.mint
#            ^^ keyword.operator.in.mint
#                      ^^ keyword.operator.logical.mint
#                                 ^ punctuation.section.parens.end.mint

r: 0..10, s: 0..<10
#   ^^ keyword.operator.range.mint
#       ^ punctuation.separator.comma.mint
#             ^^^ keyword.operator.range.mint

obj: { a: [1, 2]*, b: "c", }
#  ^ punctuation.separator.key-value.mint
#    ^ punctuation.definition.object.begin.mint
#         ^ punctuation.definition.list.begin.mint
#           ^ punctuation.separator.comma.mint
#              ^ punctuation.definition.list.end.mint
#               ^ keyword.operator.sweep.mint
#                        ^ punctuation.separator.comma.mint
#                          ^ punctuation.definition.object.end.mint

let n = 3
#     ^ punctuation.separator.assignment.mint

schema {
  p: "a" | "b" | "c"
#        ^ meta.schema.mint keyword.operator.union.mint
#              ^ meta.schema.mint keyword.operator.union.mint
}

lr: 1e-5..1e-1 step *10
#                   ^ keyword.operator.geometric.mint
