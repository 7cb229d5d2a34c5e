# SYNTAX TEST "source.mint" "schema blocks: types, literal alternatives, bounds, optional keys"

schema {
# <------ meta.schema.mint keyword.control.mint
#      ^ meta.schema.mint punctuation.definition.object.begin.mint
  model: string
# ^^^^^ meta.schema.mint support.type.property-name.mint
#        ^^^^^^ meta.schema.mint support.type.mint
  temperature: float in 0.0..2.0
#              ^^^^^ meta.schema.mint support.type.mint
#                    ^^ meta.schema.mint keyword.operator.in.mint
#                       ^^^ meta.schema.mint constant.numeric.float.mint
#                          ^^ meta.schema.mint keyword.operator.range.mint
#                            ^^^ meta.schema.mint constant.numeric.float.mint
  max_tokens: int in 1..100000
#             ^^^ meta.schema.mint support.type.mint
#                    ^ meta.schema.mint constant.numeric.integer.mint
#                       ^^^^^^ meta.schema.mint constant.numeric.integer.mint
  provider: "openai" | "anthropic"
#           ^^^^^^^^ meta.schema.mint string.quoted.double.mint - support.type.property-name.mint
#                    ^ meta.schema.mint keyword.operator.union.mint
#                      ^^^^^^^^^^^ meta.schema.mint string.quoted.double.mint
  stop?: list          # ? marks an optional key
# ^^^^ meta.schema.mint support.type.property-name.mint
#     ^ meta.schema.mint keyword.operator.optional.mint
#        ^^^^ meta.schema.mint support.type.mint
#                      ^^^^^^^^^^^^^^^^^^^^^^^^^ meta.schema.mint comment.line.number-sign.mint
  stream: bool, seed: int | null, extra: any, meta: object
#         ^^^^ meta.schema.mint support.type.mint
#             ^ meta.schema.mint punctuation.separator.comma.mint
#                           ^^^^ meta.schema.mint constant.language.mint
#                                        ^^^ meta.schema.mint support.type.mint
#                                                   ^^^^^^ meta.schema.mint support.type.mint
  llm: {
#      ^ meta.schema.mint punctuation.definition.object.begin.mint
    top_p?: float in 0.0..1.0
#   ^^^^^ meta.schema.mint support.type.property-name.mint
#           ^^^^^ meta.schema.mint support.type.mint
  }
# ^ meta.schema.mint punctuation.definition.object.end.mint
  "max-tokens"?: int
#  ^^^^^^^^^^ meta.schema.mint string.quoted.double.mint support.type.property-name.mint
#                ^^^ meta.schema.mint support.type.mint
}
# <- meta.schema.mint punctuation.definition.object.end.mint

# type names are only types inside a schema block
model: string
# <----- support.type.property-name.mint - meta.schema.mint
#      ^^^^^^ variable.other.mint - support.type.mint meta.schema.mint

schema
{
# <- meta.schema.mint punctuation.definition.object.begin.mint
  a: float
#    ^^^^^ meta.schema.mint support.type.mint
}
after: int
#      ^^^ variable.other.mint - support.type.mint meta.schema.mint
