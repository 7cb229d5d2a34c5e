# Prompt sweeps with block strings: after an opening `"""` that ends its
# line, the indentation of the closing `"""` is removed from every line
# (Swift's rule); deeper indentation and blank lines are kept. 2 x 2 configs.
agent: {
  system: [
    """
    You are a careful assistant.
    Answer in one paragraph.
    """
    """
    You are a terse assistant.
      - answer in one line
      - no preamble

    """
  ]*
  max_tokens: [256, 1_024]*
}
