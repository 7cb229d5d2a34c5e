# SYNTAX TEST "source.mint" "numbers and ranges, including the tricky range forms"

ints: [42, -7, 0, 100000000000000000000000]
#      ^^ constant.numeric.integer.mint
#          ^^ constant.numeric.integer.mint
#              ^ constant.numeric.integer.mint
#                 ^^^^^^^^^^^^^^^^^^^^^^^^ constant.numeric.integer.mint

floats: [3.14, 1e-5, -3.5e-3, 2E+10, 0.0, -0.5, 1e5]
#        ^^^^ constant.numeric.float.mint
#              ^^^^ constant.numeric.float.mint
#                    ^^^^^^^ constant.numeric.float.mint
#                             ^^^^^ constant.numeric.float.mint
#                                    ^^^ constant.numeric.float.mint
#                                         ^^^^ constant.numeric.float.mint
#                                               ^^^ constant.numeric.float.mint

a: 0..100
#  ^ constant.numeric.integer.mint
#   ^^ keyword.operator.range.mint - constant.numeric.integer.mint constant.numeric.float.mint
#     ^^^ constant.numeric.integer.mint - constant.numeric.float.mint

b: 0.0..1.0
#  ^^^ constant.numeric.float.mint
#     ^^ keyword.operator.range.mint - constant.numeric.float.mint
#       ^^^ constant.numeric.float.mint

c: -5..-1
#  ^^ constant.numeric.integer.mint
#    ^^ keyword.operator.range.mint - constant.numeric.integer.mint
#      ^^ constant.numeric.integer.mint

d: 1e-5..1e-1
#  ^^^^ constant.numeric.float.mint
#      ^^ keyword.operator.range.mint - constant.numeric.float.mint
#        ^^^^ constant.numeric.float.mint

e: 0..<10
#  ^ constant.numeric.integer.mint
#   ^^^ keyword.operator.range.mint - keyword.operator.comparison.mint
#      ^^ constant.numeric.integer.mint

f: 0..100 step 25
#  ^ constant.numeric.integer.mint
#   ^^ keyword.operator.range.mint
#     ^^^ constant.numeric.integer.mint
#         ^^^^ keyword.other.mint
#              ^^ constant.numeric.integer.mint

g: 10..0 step -5
#  ^^ constant.numeric.integer.mint
#   ^ constant.numeric.integer.mint
#        ^^^^ keyword.other.mint
#             ^^ constant.numeric.integer.mint

h: 0.0..2.0 step 0.1
#  ^^^ constant.numeric.float.mint
#       ^^^ constant.numeric.float.mint
#                ^^^ constant.numeric.float.mint

i: 1e-5..1e-1 step *10
#  ^^^^ constant.numeric.float.mint
#        ^^^^ constant.numeric.float.mint
#             ^^^^ keyword.other.mint
#                  ^ keyword.operator.geometric.mint - keyword.operator.sweep.mint
#                   ^^ constant.numeric.integer.mint

j: 0..1 count 5
#  ^ constant.numeric.integer.mint
#     ^ constant.numeric.integer.mint
#       ^^^^^ keyword.other.mint
#             ^ constant.numeric.integer.mint

k: 0 .. 10 step 3
#    ^^ keyword.operator.range.mint

l: -3.5e-3..-1e-3 step 5e-4
#  ^^^^^^^ constant.numeric.float.mint
#         ^^ keyword.operator.range.mint
#           ^^^^^ constant.numeric.float.mint
#                      ^^^^ constant.numeric.float.mint

m: 1..5, n: 2.5..10.0
#  ^ constant.numeric.integer.mint
#     ^ constant.numeric.integer.mint
#           ^^^ constant.numeric.float.mint
#                ^^^^ constant.numeric.float.mint

# digits inside names are not numbers
gpt4: model-2b
# <---- support.type.property-name.mint - constant.numeric.integer.mint
#     ^^^^^^^^ variable.other.mint - constant.numeric.integer.mint
