# SYNTAX TEST "source.mint" "junk is invalid.illegal; valid code never is"

a: 1; b: 2
#   ^ invalid.illegal.mint
#     ^ support.type.property-name.mint - invalid.illegal.mint
c: @x, d: $y, e: 'single', f: `tick`, g: ~h, i: !j
#  ^ invalid.illegal.mint
#         ^ invalid.illegal.mint
#                ^ invalid.illegal.mint
#                             ^ invalid.illegal.mint
#                                        ^ invalid.illegal.mint
#                                               ^ invalid.illegal.mint
k: "ok \q"
#      ^^ string.quoted.double.mint invalid.illegal.escape.mint

where x != 1
#       ^^ keyword.operator.comparison.mint - invalid.illegal.mint
notes: "semi; at@ dollar$ 'quote' \\ back"
#       ^^^^^^^^^^^^^^^^^^^^^^^^^ string.quoted.double.mint - invalid.illegal.mint
# comments may hold anything: ; @ $ ' ` ~ ! \q
#                             ^^^^^^^^^^^^^^^^ comment.line.number-sign.mint - invalid.illegal.mint invalid.illegal.escape.mint
raw: """anything \q ; @ goes"""
#                ^^^^^^ string.quoted.triple.mint - invalid.illegal.mint invalid.illegal.escape.mint
