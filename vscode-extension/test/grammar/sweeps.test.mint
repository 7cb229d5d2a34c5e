# SYNTAX TEST "source.mint" "list sweeps, name sweeps, range sweeps, sweeps of objects"

model: ["gpt-4", "gpt-4o-mini"]*
#      ^ punctuation.definition.list.begin.mint
#                             ^ punctuation.definition.list.end.mint
#                              ^ keyword.operator.sweep.mint

static: [1, "two", [3.0]]
#       ^ punctuation.definition.list.begin.mint
#         ^ punctuation.separator.comma.mint
#                      ^^ punctuation.definition.list.end.mint

spaced: [0.1, 0.2] *
#                  ^ keyword.operator.sweep.mint

let models = ["gpt-4o", "gpt-4o-mini"]
model: models*
#      ^^^^^^ variable.other.mint
#            ^ keyword.operator.sweep.mint

params: [{temp: 0.7, tokens: 100}, {temp: [0.8, 0.9]*, tokens: 200}]*
#        ^ punctuation.definition.object.begin.mint
#         ^^^^ support.type.property-name.mint
#                               ^ punctuation.definition.object.end.mint
#                                                   ^ keyword.operator.sweep.mint
#                                                                   ^ keyword.operator.sweep.mint

nested: {
  deep: {
    lr: 1e-5..1e-1 step *10
#                  ^^^^ keyword.other.mint
#                       ^ keyword.operator.geometric.mint
    seed: 0..<3
#          ^^^ keyword.operator.range.mint
    temperature: [
      0.0,
      0.5,
    ]*
#   ^ punctuation.definition.list.end.mint
#    ^ keyword.operator.sweep.mint
  }
}
