# SYNTAX TEST "source.mint" "true, false, null"

flags: [true, false, null]
#       ^^^^ constant.language.mint
#             ^^^^^ constant.language.mint
#                    ^^^^ constant.language.mint

stream: true
#       ^^^^ constant.language.mint
debug: [false, true]*
#       ^^^^^ constant.language.mint
#              ^^^^ constant.language.mint
stop: null
#     ^^^^ constant.language.mint

# longer names that merely start with a constant are references
x: trueish, y: nullable, z: false-y
#  ^^^^^^^ variable.other.mint - constant.language.mint
#              ^^^^^^^^ variable.other.mint - constant.language.mint
#                           ^^^^^^^ variable.other.mint - constant.language.mint

where use_cache == false
#                  ^^^^^ constant.language.mint
