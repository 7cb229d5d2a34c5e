# SYNTAX TEST "source.mint" "keys: identifiers, hyphenated, quoted, optional"

model: "gpt-4"
# <----- support.type.property-name.mint
#    ^ punctuation.separator.key-value.mint
#      ^^^^^^^ string.quoted.double.mint - support.type.property-name.mint

max-tokens: 5
# <---------- support.type.property-name.mint
#         ^ punctuation.separator.key-value.mint

_private_key2 : 1
# <------------- support.type.property-name.mint
#             ^ punctuation.separator.key-value.mint

"max-tokens": 5
# <- string.quoted.double.mint support.type.property-name.mint punctuation.definition.string.begin.mint
# <~---------- string.quoted.double.mint support.type.property-name.mint
#          ^ string.quoted.double.mint support.type.property-name.mint punctuation.definition.string.end.mint
#           ^ punctuation.separator.key-value.mint
#             ^ constant.numeric.integer.mint

"with \"escape\" and \u00e9": true
# <~---- string.quoted.double.mint support.type.property-name.mint
#     ^^ string.quoted.double.mint support.type.property-name.mint constant.character.escape.mint
#                    ^^^^^^ string.quoted.double.mint support.type.property-name.mint constant.character.escape.mint
#                           ^ punctuation.separator.key-value.mint

llm: { model: "a", "top-p": 1.0, params: { temperature: 0.5 } }
# <--- support.type.property-name.mint
#      ^^^^^ support.type.property-name.mint
#                   ^^^^^ string.quoted.double.mint support.type.property-name.mint
#                                ^^^^^^ support.type.property-name.mint
#                                          ^^^^^^^^^^^ support.type.property-name.mint

# keys may be spelled like keywords, types and constants
let: 1, zip: 2, variants: 3, where: 4, extends: 5, schema: 6, step: 7, count: 8
# <--- support.type.property-name.mint - storage.type.mint
#       ^^^ support.type.property-name.mint - keyword.control.mint
#               ^^^^^^^^ support.type.property-name.mint - keyword.control.mint
#                            ^^^^^ support.type.property-name.mint - keyword.control.mint
#                                      ^^^^^^^ support.type.property-name.mint - keyword.control.mint
#                                                  ^^^^^^ support.type.property-name.mint - keyword.control.mint meta.schema.mint
#                                                             ^^^^ support.type.property-name.mint - keyword.other.mint
#                                                                      ^^^^^ support.type.property-name.mint - keyword.other.mint
true: 1, null: 2, in: 3, and: 4, string: 5
# <---- support.type.property-name.mint - constant.language.mint
#        ^^^^ support.type.property-name.mint - constant.language.mint
#                 ^^ support.type.property-name.mint - keyword.operator.in.mint
#                        ^^^ support.type.property-name.mint - keyword.operator.logical.mint
#                                ^^^^^^ support.type.property-name.mint - support.type.mint

schema {
  stop?: list
# ^^^^ meta.schema.mint support.type.property-name.mint
#     ^ meta.schema.mint keyword.operator.optional.mint
#      ^ meta.schema.mint punctuation.separator.key-value.mint
  "stop-words"?: list
#  ^^^^^^^^^^ meta.schema.mint string.quoted.double.mint support.type.property-name.mint
#             ^ meta.schema.mint keyword.operator.optional.mint
#              ^ meta.schema.mint punctuation.separator.key-value.mint
}

# a string value is not a key
note: "looks: like a key"
#     ^^^^^^^^^^^^^^^^^^^ string.quoted.double.mint - support.type.property-name.mint
