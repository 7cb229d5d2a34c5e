# SYNTAX TEST "source.mint" "comments"

# a whole-line comment
# <- comment.line.number-sign.mint punctuation.definition.comment.mint
#    ^^^^^^^^^^^^^^^^^^^^ comment.line.number-sign.mint

model: "gpt-4"   # trailing comment: "quotes" and 0..10 and [x]* are plain comment text
#                ^ comment.line.number-sign.mint punctuation.definition.comment.mint
#                  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.number-sign.mint
#                                             ^^^^^^^^ - string.quoted.double.mint
#                                                          ^^^^^ - keyword.operator.range.mint constant.numeric.integer.mint

url: "https://example.org/#anchor"  # a '#' inside a string does not start a comment
#    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ string.quoted.double.mint - comment.line.number-sign.mint
#                                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.number-sign.mint

values: [1, 2]*  #comment right after a sweep
#             ^ keyword.operator.sweep.mint
#                ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.number-sign.mint

prompt: """
  # not a comment inside a triple-quoted string
# ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ string.quoted.triple.mint - comment.line.number-sign.mint
"""

schema {
  # comments work inside schema blocks
# ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ meta.schema.mint comment.line.number-sign.mint
  model: string  # and after entries
#                ^^^^^^^^^^^^^^^^^^^ meta.schema.mint comment.line.number-sign.mint
}
