# SYNTAX TEST "source.mint" "let, zip, variants, where, extends, schema, and/or/not/in"

extends "base.mint"
# <------- keyword.control.mint
#       ^^^^^^^^^^^ string.quoted.double.mint

let models = ["gpt-4o", "gpt-4o-mini"]
# <--- storage.type.mint
#   ^^^^^^ entity.name.variable.mint
#          ^ punctuation.separator.assignment.mint
let lrs=1e-5..1e-1 step *10
# <--- storage.type.mint
#   ^^^ entity.name.variable.mint
#      ^ punctuation.separator.assignment.mint
#       ^^^^ constant.numeric.float.mint
let base-prompt = """Be brief."""
#   ^^^^^^^^^^^ entity.name.variable.mint
#                 ^^^ string.quoted.triple.mint

model: models*
#      ^^^^^^ variable.other.mint - entity.name.variable.mint
lr: lrs
#   ^^^ variable.other.mint

zip {
# <--- keyword.control.mint
#   ^ punctuation.definition.object.begin.mint
  provider: ["openai", "anthropic", "cohere"]
# ^^^^^^^^ support.type.property-name.mint
  model: ["gpt-4", "claude-3-opus", "command-r-plus"]
}
# <- punctuation.definition.object.end.mint

variants [
# <-------- keyword.control.mint
#        ^ punctuation.definition.list.begin.mint
  { model: "gpt-4", temperature: [0.0, 0.3, 0.7]* }
#   ^^^^^ support.type.property-name.mint
#                                               ^ keyword.operator.sweep.mint
  { model: ["gpt-4o-mini", "gpt-3.5-turbo"]*, temperature: [0.5, 1.0]* }
]

where not (model == "o1" and temperature != 1.0)
# <----- keyword.control.mint
#     ^^^ keyword.operator.logical.mint
#         ^ punctuation.section.parens.begin.mint
#          ^^^^^ support.type.property-name.mint - variable.other.mint
#                ^^ keyword.operator.comparison.mint
#                        ^^^ keyword.operator.logical.mint
#                            ^^^^^^^^^^^ support.type.property-name.mint
#                                        ^^ keyword.operator.comparison.mint
#                                              ^ punctuation.section.parens.end.mint
where llm.model in ["a", "b"] or llm.provider == "openai"
# <----- keyword.control.mint
#     ^^^ support.type.property-name.mint
#        ^ punctuation.accessor.mint
#         ^^^^^ support.type.property-name.mint
#               ^^ keyword.operator.in.mint
#                             ^^ keyword.operator.logical.mint
where provider not in ["cohere"]
#              ^^^ keyword.operator.logical.mint
#                  ^^ keyword.operator.in.mint
where (a == 1
  and b != 2)
# ^^^ keyword.operator.logical.mint

schema {
# <------ meta.schema.mint keyword.control.mint
  model: string
}

# keywords are whole words only
zipper: 1, wherever: inner, android: 2, notable: x, index: y, letter: z
# <------ support.type.property-name.mint - keyword.control.mint
#          ^^^^^^^^ support.type.property-name.mint - keyword.control.mint
#                    ^^^^^ variable.other.mint - keyword.operator.in.mint
#                                       ^^^^^^^ support.type.property-name.mint - keyword.operator.logical.mint
#                                                   ^^^^^ support.type.property-name.mint - keyword.operator.in.mint
#                                                             ^^^^^^ support.type.property-name.mint - storage.type.mint
