# SYNTAX TEST "source.mint" "document separator"

model: "a"
---
# <--- meta.separator.document.mint
model: "b"
# <----- support.type.property-name.mint - meta.separator.document.mint
---  
# <--- meta.separator.document.mint

# not separators: an indented dash line, a string, a comment
  ---
# ^^^ - meta.separator.document.mint
x: "---"
#   ^^^ string.quoted.double.mint - meta.separator.document.mint
# ---
# ^^^ comment.line.number-sign.mint - meta.separator.document.mint

schema {
  a: int
---
# <--- meta.separator.document.mint
b: 1
# <- support.type.property-name.mint - meta.schema.mint
