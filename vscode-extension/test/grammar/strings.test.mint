# SYNTAX TEST "source.mint" "strings, escapes and triple-quoted strings"

name: "gpt-4o-mini"
#     ^ string.quoted.double.mint punctuation.definition.string.begin.mint
#      ^^^^^^^^^^^ string.quoted.double.mint
#                 ^ string.quoted.double.mint punctuation.definition.string.end.mint

empty: ""
#      ^^ string.quoted.double.mint - string.quoted.triple.mint

escapes: "a\nb\tc\"d\\e\/f\bg\fh\ri\u00E9j\uABCD"
#          ^^ string.quoted.double.mint constant.character.escape.mint
#             ^^ string.quoted.double.mint constant.character.escape.mint
#                ^^ string.quoted.double.mint constant.character.escape.mint
#                   ^^ string.quoted.double.mint constant.character.escape.mint
#                      ^^ string.quoted.double.mint constant.character.escape.mint
#                         ^^ string.quoted.double.mint constant.character.escape.mint
#                            ^^ string.quoted.double.mint constant.character.escape.mint
#                               ^^ string.quoted.double.mint constant.character.escape.mint
#                                  ^^^^^^ string.quoted.double.mint constant.character.escape.mint
#                                         ^^^^^^ string.quoted.double.mint constant.character.escape.mint
#                                        ^ string.quoted.double.mint - constant.character.escape.mint
#                                               ^ string.quoted.double.mint punctuation.definition.string.end.mint

bad: "x\qy\u12G4\a"
#      ^^ string.quoted.double.mint invalid.illegal.escape.mint
#         ^^ string.quoted.double.mint invalid.illegal.escape.mint
#           ^^^^ string.quoted.double.mint - invalid.illegal.escape.mint
#               ^^ string.quoted.double.mint invalid.illegal.escape.mint

mixed: ["a", "b,c", "d]*"]
#            ^^^^^ string.quoted.double.mint - punctuation.separator.comma.mint
#                   ^^^^^ string.quoted.double.mint - keyword.operator.sweep.mint punctuation.definition.list.end.mint

prompt: """You are a helpful assistant.
#       ^^^ string.quoted.triple.mint punctuation.definition.string.begin.mint
#          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ string.quoted.triple.mint
Say "hello", use \n literally, keys: [1]* and # are text.
#   ^^^^^^^ string.quoted.triple.mint - string.quoted.double.mint
#                ^^ string.quoted.triple.mint - constant.character.escape.mint invalid.illegal.escape.mint
#                              ^^^^^ string.quoted.triple.mint - support.type.property-name.mint
#                                    ^^^^ string.quoted.triple.mint - keyword.operator.sweep.mint
#                                             ^^^^^^^^^^^ string.quoted.triple.mint - comment.line.number-sign.mint
---
# <--- string.quoted.triple.mint - meta.separator.document.mint
"""
# <--- string.quoted.triple.mint punctuation.definition.string.end.mint
after: 1
# <----- support.type.property-name.mint - string.quoted.triple.mint

one_line: """He said "yes"."""
#         ^^^ string.quoted.triple.mint punctuation.definition.string.begin.mint
#            ^^^^^^^^^^^^^^ string.quoted.triple.mint
#                          ^^^ string.quoted.triple.mint punctuation.definition.string.end.mint

# the first """ closes the string (as in the compiler), so a fourth quote opens a new string
quote_at_end: """ends with a quote""""
#                ^^^^^^^^^^^^^^^^^ string.quoted.triple.mint - punctuation.definition.string.end.mint
#                                 ^^^ string.quoted.triple.mint punctuation.definition.string.end.mint
next: 2
# <---- support.type.property-name.mint

extends "base.mint"
#       ^^^^^^^^^^^ string.quoted.double.mint
